// The executor: runs one per-host operation over the selected hosts wave by wave (--canary, --waves; see
// waves.ts), with bounded concurrency inside a wave, one connection per host for the whole command, the failure
// budget (--max-fail) checked as each host finishes, an optional hook between waves (--pause, --pause-after; see
// wave-gate.ts), and the run's event stream.

import { GofleetError } from '../errors.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { EngineContext } from './context.ts';
import type { HostResult } from './events.ts';
import type { HostOperation } from './host-operation.ts';
import { HostRecorder } from './host-recorder.ts';
import { createLimiter } from '../util/limiter.ts';
import { resumeOperation, resumeStateOf } from './resume-host.ts';
import { Sessions } from './sessions.ts';
import type { BeforeWave } from './wave-gate.ts';
import { FailureBudget, planWaves, type MaxFail, type WavePolicy } from './waves.ts';

/** Connections opened ahead of their host's turn, at most (bounded: each holds a socket and an sshd). */
const CONNECT_AHEAD = 4;

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

export type { HostOperation } from './host-operation.ts';

/** A host's result plus the wave it belonged to (1-based); results come back in rollout order. */
export type FleetResult<R extends HostResult = HostResult> = (R | HostResult) & { wave: number };

export async function runFleet<R extends HostResult>(
  hosts: HostSpec[],
  op: HostOperation<R>,
  ctx: EngineContext,
  options: FleetRunOptions,
): Promise<FleetResult<R>[]> {
  // `resume RUN`: hosts the interrupted run had started are re-probed before anything is done again
  const resumed = resumeStateOf(ctx);
  const run: HostOperation<R | HostResult> = resumed ? resumeOperation(op, ctx, resumed) : op;
  const waves = planWaves(hosts, options.rollout);
  const sessions = new Sessions((h) => ctx.connect(h));
  const limit = createLimiter(Math.max(1, options.parallel));
  const budget = new FailureBudget(options.rollout?.maxFail, hosts.length);
  const names = waves.flat().map((h) => h.name);
  ctx.emit({ kind: 'run-start', run: ctx.run, command: options.command, target: options.target, hosts: names, at: ctx.now() });
  const results: FleetResult<R>[] = [];
  const done = (result: FleetResult<R>): FleetResult<R> => {
    ctx.emit({ kind: 'host-done', run: ctx.run, result, at: ctx.now() });
    return result;
  };
  try {
    let stoppedAt: number | null = null;
    for (const [i, wave] of waves.entries()) {
      const n = i + 1;
      const spent = budget.spent();
      if (spent === null && !ctx.signal?.aborted && stoppedAt === null && i > 0 && options.beforeWave) {
        if ((await askBeforeWave(options.beforeWave, { wave: n, waves: waves.length, hosts: wave })) === 'stop') stoppedAt = n;
      }
      const why = whyNotStarted(ctx, spent, stoppedAt, options.deadline);
      if (why) {
        // no further wave starts: its hosts are skipped, untouched, with the reason
        for (const spec of wave) results.push(done({ ...notStarted(spec, ctx, options.target, why), wave: n }));
        continue;
      }
      budget.startWave(n, wave.length);
      ctx.emit({ kind: 'wave-start', run: ctx.run, wave: n, hosts: wave.map((h) => h.name), at: ctx.now() });
      // while the limiter is full, the next few hosts' SSH handshakes overlap the others' work
      sessions.connectAhead(wave, Math.min(options.parallel, CONNECT_AHEAD));
      const waveResults = await Promise.all(
        wave.map((spec) =>
          limit(async (): Promise<FleetResult<R>> => {
            let result: R | HostResult;
            try {
              const why = whyNotStarted(ctx, budget.spent(), null, options.deadline);
              result = why ? notStarted(spec, ctx, options.target, why) : await run(spec, sessions);
            } finally {
              await sessions.close(spec.name);
            }
            budget.record(result.status);
            return done({ ...result, wave: n });
          }),
        ),
      );
      results.push(...waveResults);
      ctx.emit({ kind: 'wave-end', run: ctx.run, wave: n, at: ctx.now() });
    }
    ctx.emit({ kind: 'run-end', run: ctx.run, results, at: ctx.now() });
    return results;
  } finally {
    await sessions.closeAll();
  }
}

/** The hook's answer; a hook that throws stops the rollout rather than the run losing its results. */
export async function askBeforeWave(hook: BeforeWave, next: Parameters<BeforeWave>[0]): Promise<'continue' | 'stop'> {
  try {
    return (await hook(next)) === 'continue' ? 'continue' : 'stop';
  } catch {
    return 'stop';
  }
}

/** Why a host was never started (also for the coordinator of --workers, src/cli/coordinate-fleet.ts): the failure budget is spent, the run was interrupted, the hook stopped it, or the deadline passed. */
export type NotStartedWhy = { spent: string } | 'interrupted' | { stoppedAt: number } | { deadline: number };

/** Ctrl-C first, then a spent budget, then a stop between waves, then the deadline; null: the host may start. */
export function whyNotStarted(ctx: EngineContext, spent: string | null, stoppedAt: number | null, deadline: number | undefined): NotStartedWhy | null {
  if (ctx.signal?.aborted) return 'interrupted';
  if (spent !== null) return { spent };
  if (stoppedAt !== null) return { stoppedAt };
  return deadline !== undefined && ctx.now() >= deadline ? { deadline } : null;
}

export function notStarted(spec: HostSpec, ctx: EngineContext, target: string | null, why: NotStartedWhy): HostResult {
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

/** A run id that sorts by time and is short enough to type: 20261125-091502-3fa2. */
export function newRunId(now = new Date(), random = Math.random): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const d = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const t = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  const r = Math.floor(random() * 0x10000).toString(16).padStart(4, '0');
  return `${d}-${t}-${r}`;
}
