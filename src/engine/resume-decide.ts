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

/** `read`: what resume read on the host and made of it, the message of the `recover` step that journals it */
export type ResumeDecision =
  /** run the command's own per-host operation (safe: nothing of this run is in flight on the host) */
  | { kind: 'redo'; read: string }
  /** the host is final without touching it again: its outcome is recovered from what it shows */
  | { kind: 'final'; status: 'upgraded' | 'switched' | 'unchanged' | 'rolled_back' | 'failed'; read: string; warning?: string; error?: GofleetError };

export function scriptRan(steps: readonly { step: EngineStep }[]): boolean {
  return steps.some((s) => SCRIPT_STEPS.has(s.step));
}

export function decideResume(input: ResumeInput, host: string): ResumeDecision {
  const { command, target, facts } = input;
  const ran = input.waited || scriptRan(input.priorSteps);
  const on = `the host is on ${facts.active ?? 'no Go'}`;
  // prune is idempotent; a host whose script never ran has nothing of this run on it
  if (command === 'prune') return { kind: 'redo', read: `${on}: prune is done again` };
  if (!ran) return { kind: 'redo', read: `${on}: no host script of this run ran on it; done again` };
  if (command === 'rollback' || target === null) {
    // the host's "previous" moved when its script switched: running rollback again could switch it back
    return {
      kind: 'final',
      status: 'failed',
      read: `${on}: the earlier attempt's ${command} script ran; not run again`,
      error: new GofleetError('REMOTE_FAILED', `${host}: the controller stopped while the rollback ran on this host; it is now on ${facts.active ?? 'no Go'}`, {
        host,
        hint: 'Check the host with `gofleet facts`; run `gofleet rollback --limit HOST` again only if it is not on the version you want.',
      }),
    };
  }
  const answers = facts.goVersion === undefined || facts.goVersion === target;
  // switched but never verified (the host script died after the switch): the operation verifies it now
  if (facts.active === target && facts.unverified) return { kind: 'redo', read: `${on}: the earlier attempt switched it but never verified the switch; done again, which verifies it` };
  if (facts.active === target && answers) {
    // the run did the work when the host started elsewhere: `upgraded` (`switched` for use), as uninterrupted
    const moved = input.from !== undefined && input.from !== target;
    return {
      kind: 'final',
      status: moved ? (command === 'use' ? 'switched' : 'upgraded') : 'unchanged',
      read: moved ? `${on}: the earlier attempt's switch completed` : input.from === undefined ? `${on}; the journal does not say where it started` : `${on}, as it was when the run started it`,
      warning: `the interrupted run's host script finished the switch to ${target}; resume found the host there and left it alone`,
    };
  }
  if (input.priorSteps.some((s) => s.step === 'switch') && facts.active !== target) {
    return {
      kind: 'final',
      status: 'rolled_back',
      read: `${on}: the earlier attempt switched it to ${target}, then its host script rolled it back`,
      error: new GofleetError('VERIFY_FAILED', `${host}: switched to ${target} in the interrupted run, then rolled back by itself to ${facts.active ?? 'no Go'}`, {
        host,
        hint: 'The host script rolled back after the controller stopped; see `gofleet show RUN` for the steps it reported.',
      }),
    };
  }
  // the script ended before switching (or its switch went unseen and was undone): the host is on its old Go
  if (facts.active === target) return { kind: 'redo', read: `${on} by name, but its go answers ${facts.goVersion ?? 'nothing'}; done again` };
  return { kind: 'redo', read: `${on}: the earlier attempt's host script ended before switching it; done again` };
}
