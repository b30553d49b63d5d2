// `resume RUN`: the per-host operation of the interrupted command, wrapped. A host the run never started runs
// the operation as usual; one it had started is re-probed first: this run's host script still holding its
// lock is waited for, then `decideResume` says whether the host is final as it stands or is done again.

import { GofleetError } from '../errors.ts';
import { DEFAULT_POLL_MS, type EngineContext } from './context.ts';
import type { EngineStep, HostResult, StepRecord } from './events.ts';
import { failureResult } from './failure-result.ts';
import { HostRecorder } from './host-recorder.ts';
import { currentVersion, probeHost, readFacts, type ProbedHost } from './probe-host.ts';
import { awaitOwnLockRelease, ownLiveLock } from './own-lock.ts';
import { decideResume } from './resume-decide.ts';
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
      let facts = host.facts;
      // fenced (a worker of a dispatched run, issue 14): a live lock of this run belongs to a worker whose lease
      // ran out; the host script takes it over by its fencing token (own-lock.ts) instead of waiting on a holder
      // that may be paused for good
      const waited = ctx.fence === undefined && ownLiveLock(facts, ctx.run);
      if (waited) facts = await waitForOwnLock(host, ctx, rec, state);
      const decision = decideResume(
        {
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
        },
        spec.name,
      );
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

/** Poll the host's facts until this run's host script has released its lock (as run-script's recover does). */
async function waitForOwnLock(host: ProbedHost, ctx: EngineContext, rec: HostRecorder, state: ResumeState): Promise<HostFacts> {
  return rec.step('recover', () =>
    awaitOwnLockRelease(() => readFacts(host, ctx), {
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
    }),
  );
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
