// The one rollout loop (--canary, --waves; see waves.ts): the waves in order, the hook between waves (--pause,
// --pause-after; see wave-gate.ts), the failure budget (--max-fail) checked before each host starts, the deadline,
// an interrupt, the hosts never started (skipped, with the reason) and the run's event stream. How a wave's hosts
// run is a strategy, a WaveRunner: the local engine runs them through its concurrency limiter (run-fleet.ts), the
// coordinator of --workers enqueues them for workers and waits (src/cli/coordinate-fleet.ts).

import { GofleetError } from '../errors.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { EngineContext } from './context.ts';
import type { HostResult } from './events.ts';
import { HostRecorder } from './host-recorder.ts';
import { resumeStateOf } from './resume-host.ts';
import { freshPlan, resumedPlan } from './resume-plan.ts';
import type { BeforeWave } from './wave-gate.ts';
import { FailureBudget, type MaxFail, type WavePolicy } from './waves.ts';

export interface RolloutPolicy extends WavePolicy {
  maxFail?: MaxFail;
}

export interface FleetRunOptions {
  command: string;
  target: string | null;
  parallel: number;
  /** canary, waves and failure budget; default: one wave, no budget */
  rollout?: RolloutPolicy;
  /** asked before each wave after the first (not when the budget is spent or the run interrupted); default: go on */
  beforeWave?: BeforeWave;
  /** no host starts at or after this instant (ms since the epoch; --deadline, a maintenance window's end); hosts in
   * flight then finish or roll back as usual */
  deadline?: number;
}

/** A host's result plus the wave it belonged to (1-based); results come back in rollout order. */
export type FleetResult<R extends HostResult = HostResult> = (R | HostResult) & { wave: number };

/** One wave as the loop hands it to its runner. */
export interface WaveRun<R extends HostResult> {
  /** 1-based */
  wave: number;
  /** in the order they should start */
  hosts: readonly HostSpec[];
  /** Asked just before a host would start: false when it may no longer (budget spent, interrupt, deadline); the loop
   *  has then reported it, not started, and the runner must leave it alone. */
  mayStart(spec: HostSpec): boolean;
  /** A started host's result, once, as it ends: counted against the budget and emitted (host-done) at once. */
  report(host: string, result: R | HostResult): void;
}

/** Runs a wave's hosts (each gated by mayStart, each started one reported); resolves once every host is reported. */
export type WaveRunner<R extends HostResult> = (wave: WaveRun<R>) => Promise<void>;

export async function runRollout<R extends HostResult>(hosts: HostSpec[], ctx: EngineContext, options: FleetRunOptions, runWave: WaveRunner<R>): Promise<FleetResult<R>[]> {
  // a resumed run keeps the interrupted one's waves and failure budget (resume-plan.ts)
  const resumed = resumeStateOf(ctx);
  const prior = resumed?.plan;
  const plan = prior ? resumedPlan(hosts, prior, options.rollout) : freshPlan(hosts, options.rollout);
  // a host the interrupted run had started (and not settled) is only held back by Ctrl-C: its script may have switched
  // it, so it is read back (resume-host.ts) even when the budget is spent, the rollout stopped or the deadline past --
  // skipped, it would be left out of every later resume and its outcome never journaled
  const gate = (spec: HostSpec, why: NotStartedWhy | null): NotStartedWhy | null => {
    const p = resumed?.prior.get(spec.name);
    return why !== null && why !== 'interrupted' && p !== undefined && p.final !== true ? null : why;
  };
  const budget = new FailureBudget(options.rollout?.maxFail, plan.fleetSize);
  const hostsInOrder = plan.waves.flatMap((w) => w.hosts);
  ctx.emit({ kind: 'run-start', run: ctx.run, command: options.command, target: options.target, hosts: hostsInOrder.map((h) => h.name), at: ctx.now() });
  const results: FleetResult<R>[] = [];
  const done = (result: FleetResult<R>): FleetResult<R> => {
    ctx.emit({ kind: 'host-done', run: ctx.run, result, at: ctx.now() });
    return result;
  };
  let stoppedAt: number | null = null;
  const lastWave = plan.waves.at(-1)?.wave ?? 0;
  let asked = false;
  for (const planned of plan.waves) {
    const { wave: n, hosts: wave } = planned;
    const startWave = (): void => {
      budget.startWave(n, planned.size);
      // failures the wave had before the run was resumed
      for (let f = 0; f < planned.failed; f++) budget.record('failed');
    };
    if (wave.length === 0) {
      // final before the run was resumed: only its failures count
      startWave();
      continue;
    }
    const spent = budget.spent();
    if (spent === null && !ctx.signal?.aborted && stoppedAt === null && asked && options.beforeWave) {
      if ((await askBeforeWave(options.beforeWave, { wave: n, waves: lastWave, hosts: wave })) === 'stop') stoppedAt = n;
    }
    asked = true;
    const why = whyNotStarted(ctx, spent, stoppedAt, options.deadline);
    if (why && wave.every((spec) => gate(spec, why) !== null)) {
      // no further wave starts: its hosts are skipped, untouched, with the reason
      for (const spec of wave) results.push(done({ ...notStarted(spec, ctx, options.target, why), wave: n }));
      continue;
    }
    startWave();
    ctx.emit({ kind: 'wave-start', run: ctx.run, wave: n, hosts: wave.map((h) => h.name), at: ctx.now() });
    const got = new Map<string, FleetResult<R>>();
    const report = (host: string, result: R | HostResult): void => {
      if (got.has(host)) return;
      budget.record(result.status);
      got.set(host, done({ ...result, wave: n }));
    };
    const mayStart = (spec: HostSpec): boolean => {
      const why = gate(spec, whyNotStarted(ctx, budget.spent(), stoppedAt, options.deadline));
      if (why) report(spec.name, notStarted(spec, ctx, options.target, why));
      return why === null;
    };
    await runWave({ wave: n, hosts: wave, mayStart, report });
    for (const spec of wave) {
      const result = got.get(spec.name);
      if (!result) throw new Error(`wave ${n}: the wave runner never reported ${spec.name}`);
      results.push(result);
    }
    ctx.emit({ kind: 'wave-end', run: ctx.run, wave: n, at: ctx.now() });
  }
  ctx.emit({ kind: 'run-end', run: ctx.run, results, at: ctx.now() });
  return results;
}

/** The hook's answer; a hook that throws stops the rollout rather than the run losing its results. */
async function askBeforeWave(hook: BeforeWave, next: Parameters<BeforeWave>[0]): Promise<'continue' | 'stop'> {
  try {
    return (await hook(next)) === 'continue' ? 'continue' : 'stop';
  } catch {
    return 'stop';
  }
}

/** Why a host was never started: the failure budget is spent, the run was interrupted, the hook stopped it, or the deadline passed. */
type NotStartedWhy = { spent: string } | 'interrupted' | { stoppedAt: number } | { deadline: number };

/** Ctrl-C first, then a spent budget, then a stop between waves, then the deadline; null: the host may start. */
function whyNotStarted(ctx: EngineContext, spent: string | null, stoppedAt: number | null, deadline: number | undefined): NotStartedWhy | null {
  if (ctx.signal?.aborted) return 'interrupted';
  if (spent !== null) return { spent };
  if (stoppedAt !== null) return { stoppedAt };
  return deadline !== undefined && ctx.now() >= deadline ? { deadline } : null;
}

function notStarted(spec: HostSpec, ctx: EngineContext, target: string | null, why: NotStartedWhy): HostResult {
  const rec = new HostRecorder(spec.name, ctx.run, ctx.emit, ctx.now);
  let error: GofleetError;
  if (why === 'interrupted') {
    // the run may have been stopped for a reason of the controller's own (its journal failed): say which
    const reason: unknown = ctx.signal?.reason;
    error =
      reason instanceof GofleetError
        ? new GofleetError('INTERRUPTED', `${spec.name}: not started: ${reason.message}`, { host: spec.name, hint: reason.hint })
        : new GofleetError('INTERRUPTED', `${spec.name}: not started, the run was interrupted`);
  } else if ('deadline' in why) {
    error = new GofleetError('DEADLINE_PASSED', `${spec.name}: not started, the deadline ${new Date(why.deadline).toISOString()} has passed`, { host: spec.name });
  } else if ('spent' in why) {
    error = new GofleetError('BUDGET_EXCEEDED', `${spec.name}: not started, the failure budget is spent (${why.spent})`, { host: spec.name });
  } else {
    // INTERRUPTED on purpose: the run ends `interrupted` in the journal and `gofleet resume RUN` picks these hosts up
    error = new GofleetError('INTERRUPTED', `${spec.name}: not started, the rollout was stopped before wave ${why.stoppedAt}`, {
      host: spec.name,
      hint: `The rollout was stopped between waves; \`gofleet resume ${ctx.run}\` continues with the hosts not started (or re-run the same command).`,
    });
  }
  return rec.result('skipped', null, target, error);
}
