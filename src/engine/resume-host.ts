// `resume RUN`: the per-host operation of the interrupted command, wrapped. A host the run never started runs
// the operation as usual; one it had started is re-probed first: this run's host script still holding its
// lock is waited for (unless the context is fenced), then `decideResume` says whether the host is final as it stands
// or is done again. What resume reads on the host is journaled as a `recover` step whenever it waited or the reading
// settles the host, so a switch the earlier attempt completed shows in the journal as recovered.

import { GofleetError } from '../errors.ts';
import { DEFAULT_POLL_MS, type EngineContext } from './context.ts';
import type { EngineStep, HostResult, StepRecord } from './events.ts';
import { failureResult } from './failure-result.ts';
import { HostRecorder } from './host-recorder.ts';
import { currentVersion, probeHost, readFacts, type ProbedHost } from './probe-host.ts';
import { awaitOwnLockRelease, ownLock } from './own-lock.ts';
import { decideResume, type ResumeDecision, type ResumeInput } from './resume-decide.ts';
import type { HostOperation } from './host-operation.ts';
import type { HostFacts } from '../platform/types.ts';

/** What the interrupted run left for one host. */
export interface PriorHost {
  /** journaled steps of the first attempt, in order */
  steps: (StepRecord & { step: EngineStep })[];
  /** the version the host was on when the run first started it, when known */
  from: string | null;
  /**
   * the host ended the first attempt untouched or rolled back by an interrupt (final, INTERRUPTED): it is
   * simply done again, its first steps kept in front
   */
  final?: boolean;
}

export interface ResumeState {
  command: string;
  target: string | null;
  /** hosts the interrupted run had started (a host not listed was still pending) */
  prior: ReadonlyMap<string, PriorHost>;
  /** wait for a host script of this run at most this long (default: the step timeout, at least 60 s) */
  waitMs?: number;
  /** default: the context's pollMs */
  pollMs?: number;
  /** the interrupted run's rollout, which the resumed one keeps (its waves, its failure budget; see resume-plan.ts);
   *  absent: the hosts are planned afresh (a worker's job) */
  plan?: PriorPlan;
}

/** What the journal tells of the interrupted run's rollout. */
export interface PriorPlan {
  /** every host of the run, in the run's (planned) order */
  hosts: readonly string[];
  /** each host's wave as the run journaled it (wave-start); a host of a wave never started is missing */
  waves: ReadonlyMap<string, number>;
  /** hosts final as a failure (failed, rolled_back, unreachable) and not done again: already counted by the budget */
  failed: readonly string[];
}

// set by the runtime for a resumed command, read by runFleet: change.ts builds the operations and stays unaware
const states = new WeakMap<EngineContext, ResumeState>();

export function markResumed(ctx: EngineContext, state: ResumeState): void {
  states.set(ctx, state);
}

export function resumeStateOf(ctx: EngineContext): ResumeState | undefined {
  return states.get(ctx);
}

/** The operation for a resumed run (the first attempt's steps are kept in front of the new ones). */
export function resumeOperation<R extends HostResult>(op: HostOperation<R>, ctx: EngineContext, state: ResumeState): HostOperation<R | HostResult> {
  return async (spec, sessions) => {
    const prior = state.prior.get(spec.name);
    if (!prior) return op(spec, sessions);
    const earlier = closedPriorSteps(prior.steps, ctx.now());
    if (prior.final) {
      const again = await op(spec, sessions);
      return { ...again, from: again.from ?? prior.from, steps: [...earlier, ...again.steps] };
    }
    const rec = new HostRecorder(spec.name, ctx.run, ctx.emit, ctx.now);
    let from = prior.from;
    try {
      const host = await probeHost(spec, ctx, sessions, rec);
      from ??= currentVersion(host.facts);
      // a live lock of this run is waited for unless the context is fenced (a worker of a dispatched run, issue
      // 14): then its holder may be paused for good, and the host script takes it over by its fencing token
      const own = ownLock(host.facts, ctx.run, ctx.fence !== undefined);
      const judge = (facts: HostFacts): Judged => ({ facts, decision: decideResume(resumeInput(state, prior, own.wait, facts), spec.name) });
      // what resume reads on the host is journaled as a `recover` step: the wait for this run's host script when
      // there is one, else the reading when it settles the host's outcome (one simply done again needs none)
      const { facts, decision } = own.wait
        ? await rec.step('recover', async () => judge(await waitForOwnLock(host, ctx, state)), (j) => ({ message: j.decision.read }))
        : journalRead(rec, judge(own.facts));
      if (decision.kind === 'redo') {
        const again = await op(spec, sessions);
        return { ...again, from: again.from ?? from, startedAt: rec.startedAt, durationMs: ctx.now() - rec.startedAt, steps: [...earlier, ...rec.steps, ...again.steps], warnings: [...rec.warnings, ...again.warnings] };
      }
      if (decision.warning) rec.warnings.push(decision.warning);
      const result = rec.result(decision.status, from, decision.status === 'unchanged' ? currentVersion(facts) : state.target, decision.error ?? null);
      return { ...result, steps: [...earlier, ...result.steps] };
    } catch (err) {
      const result = failureResult(err, rec, from, state.target);
      return { ...result, steps: [...earlier, ...result.steps] };
    }
  };
}

interface Judged {
  /** the facts the host was judged from (after the wait, when there was one) */
  facts: HostFacts;
  decision: ResumeDecision;
}

/** decideResume's input: the journal's steps and from, the fresh facts. */
function resumeInput(state: ResumeState, prior: PriorHost, waited: boolean, facts: HostFacts): ResumeInput {
  return {
    command: state.command,
    target: state.target,
    priorSteps: prior.steps,
    waited,
    // only the journal's from tells where the host started (the fresh probe may already show the target)
    ...(prior.from !== null ? { from: prior.from } : {}),
    facts: {
      active: currentVersion(facts),
      ...(facts.goroot.goVersion !== undefined ? { goVersion: facts.goroot.goVersion } : {}),
      ...(facts.managed.unverified ? { unverified: facts.managed.unverified === currentVersion(facts) } : {}),
    },
  };
}

/**
 * A host settled from what it shows, without waiting (its script ended, or a fenced context leaves a live one to its
 * token): the reading is journaled as an instant `recover` step, so the journal tells that the host's outcome --
 * a switch the earlier attempt's script completed, say, whose own step was cut off -- was recovered, not redone.
 */
function journalRead(rec: HostRecorder, judged: Judged): Judged {
  if (judged.decision.kind !== 'redo') rec.end(rec.start('recover'), 'ok', { message: judged.decision.read });
  return judged;
}

/** Poll the host's facts until this run's host script has released its lock (as run-script's recover does). */
function waitForOwnLock(host: ProbedHost, ctx: EngineContext, state: ResumeState): Promise<HostFacts> {
  return awaitOwnLockRelease(() => readFacts(host, ctx), {
    run: ctx.run,
    deadline: ctx.now() + (state.waitMs ?? Math.max(ctx.stepTimeoutMs, 60_000)),
    now: ctx.now,
    pollMs: state.pollMs ?? ctx.pollMs ?? DEFAULT_POLL_MS,
    waitFirst: true,
    timedOut: (facts) =>
      new GofleetError('HOST_LOCKED', `${host.spec.name}: the host script of this run (pid ${facts.lock?.pid ?? '?'}) is still running`, {
        host: host.spec.name,
        hint: 'It finishes or rolls back by itself; run `gofleet resume RUN` again later.',
      }),
  });
}

/** The first attempt's steps as they stood; one the controller was killed in is closed as such. */
function closedPriorSteps(steps: PriorHost['steps'], now: number): StepRecord[] {
  return steps.map((s) => {
    const { step, status, startedAt, endedAt, code, message } = s;
    const base: StepRecord = { step, status, startedAt, endedAt, ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}) };
    return status === 'running'
      ? { ...base, status: 'fail', endedAt: now, code: 'INTERRUPTED', message: 'the controller stopped during this step (its outcome was read back from the host when the run was resumed)' }
      : base;
  });
}
