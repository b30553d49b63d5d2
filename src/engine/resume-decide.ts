// Pure: what `resume` does with a host the interrupted run had already started, from the journal (did its
// host script run? did it reach the switch?) and the host's fresh facts. Never switches a host twice.

import { GofleetError } from '../errors.ts';
import type { StepName } from '../platform/types.ts';
import type { EngineStep } from './events.ts';

/** Steps only a host script reports: once one is journaled, the script owned the host. */
const SCRIPT_STEPS: ReadonlySet<EngineStep> = new Set<StepName>(['lock', 'adopt', 'pull', 'stage', 'switch', 'verify', 'rollback', 'prune', 'unlock']);

export interface ResumeFacts {
  /** the version the goroot provides now (managed.active ?? goroot.version) */
  active: string | null;
  /** what `<goroot>/bin/go version` answers; undefined when not probed */
  goVersion?: string | null;
  /** the host records its switch to `active` as never verified (the script that switched it died) */
  unverified?: boolean;
}

export interface ResumeInput {
  command: string;
  /** the run's target (null for rollback and prune) */
  target: string | null;
  /** the steps the interrupted run journaled for this host, in order */
  priorSteps: readonly { step: EngineStep }[];
  /** resume found this run's live lock on the host and waited for the host script to end */
  waited: boolean;
  /** the version the host was on when the interrupted run first probed it (null: no Go, undefined: unknown) */
  from?: string | null;
  facts: ResumeFacts;
}

export type ResumeDecision =
  /** run the command's own per-host operation (safe: nothing of this run is in flight on the host) */
  | { kind: 'redo' }
  /** the host is final without touching it again */
  | { kind: 'final'; status: 'upgraded' | 'switched' | 'unchanged' | 'rolled_back' | 'failed'; warning?: string; error?: GofleetError };

export function scriptRan(steps: readonly { step: EngineStep }[]): boolean {
  return steps.some((s) => SCRIPT_STEPS.has(s.step));
}

export function decideResume(input: ResumeInput, host: string): ResumeDecision {
  const { command, target, facts } = input;
  const ran = input.waited || scriptRan(input.priorSteps);
  // prune is idempotent; a host whose script never ran has nothing of this run on it
  if (command === 'prune' || !ran) return { kind: 'redo' };
  if (command === 'rollback' || target === null) {
    // the host's "previous" moved when its script switched: running rollback again could switch it back
    return {
      kind: 'final',
      status: 'failed',
      error: new GofleetError('REMOTE_FAILED', `${host}: the controller stopped while the rollback ran on this host; it is now on ${facts.active ?? 'no Go'}`, {
        host,
        hint: 'Check the host with `gofleet facts`; run `gofleet rollback --limit HOST` again only if it is not on the version you want.',
      }),
    };
  }
  const answers = facts.goVersion === undefined || facts.goVersion === target;
  // switched but never verified (the host script died after the switch): the operation verifies it now
  if (facts.active === target && facts.unverified) return { kind: 'redo' };
  if (facts.active === target && answers) {
    // the run did the work when the host started elsewhere: `upgraded` (`switched` for use), as uninterrupted
    const moved = input.from !== undefined && input.from !== target;
    return {
      kind: 'final',
      status: moved ? (command === 'use' ? 'switched' : 'upgraded') : 'unchanged',
      warning: `the interrupted run's host script finished the switch to ${target}; resume found the host there and left it alone`,
    };
  }
  if (input.priorSteps.some((s) => s.step === 'switch') && facts.active !== target) {
    return {
      kind: 'final',
      status: 'rolled_back',
      error: new GofleetError('VERIFY_FAILED', `${host}: switched to ${target} in the interrupted run, then rolled back by itself to ${facts.active ?? 'no Go'}`, {
        host,
        hint: 'The host script rolled back after the controller stopped; see `gofleet show RUN` for the steps it reported.',
      }),
    };
  }
  // the script ended before switching (or its switch went unseen and was undone): the host is on its old Go
  return { kind: 'redo' };
}
