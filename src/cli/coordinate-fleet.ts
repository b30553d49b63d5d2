// The coordinator of `upgrade|use|rollback --workers` (issue 14): runFleet's signature and rollout semantics — the
// same waves (planWaves), failure budget, hook between waves, deadline, interrupt and events, so the progress,
// journal, summary and exit code are those of a local run — but each wave's hosts are enqueued for workers
// (DispatchPort.enqueueWave) and awaited (waitHosts) instead of run here. A host's result is the one its worker
// reported; its host-done is emitted as it arrives.
//
// Within a wave at most --parallel hosts are in the queue or in flight at once, across all workers: as each one
// finishes, the failure budget, an interrupt and the deadline are checked before the next is enqueued — as runFleet
// checks them before it starts a host — so a budget spent mid-wave stops the rest of the wave too. The per-host
// operation is the workers' (`op` is unused).

import type { EngineContext } from '../engine/context.ts';
import type { HostResult } from '../engine/events.ts';
import type { HostOperation } from '../engine/host-operation.ts';
import { askBeforeWave, notStarted, whyNotStarted, type FleetResult, type FleetRunOptions } from '../engine/run-fleet.ts';
import { FailureBudget, planWaves } from '../engine/waves.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { DispatchPort } from './dispatch-port.ts';

export interface CoordinateOptions {
  dispatch: Pick<DispatchPort, 'enqueueWave' | 'waitHosts'>;
  /** the job payload of one host (coordinator-side: ../workers-fleet.ts) */
  payloadFor(host: HostSpec, options: FleetRunOptions): unknown;
  /** how often the queue is read while a wave runs (default: the dispatch's) */
  pollMs?: number;
}

export type FleetRunner = <R extends HostResult>(hosts: HostSpec[], op: HostOperation<R>, ctx: EngineContext, options: FleetRunOptions) => Promise<FleetResult<R>[]>;

export function coordinateFleet(co: CoordinateOptions): FleetRunner {
  return async <R extends HostResult>(hosts: HostSpec[], _op: HostOperation<R>, ctx: EngineContext, options: FleetRunOptions) => {
    const waves = planWaves(hosts, options.rollout);
    const budget = new FailureBudget(options.rollout?.maxFail, hosts.length);
    ctx.emit({ kind: 'run-start', run: ctx.run, command: options.command, target: options.target, hosts: waves.flat().map((h) => h.name), at: ctx.now() });
    const results: FleetResult<R>[] = [];
    const done = (result: FleetResult<R>): FleetResult<R> => {
      ctx.emit({ kind: 'host-done', run: ctx.run, result, at: ctx.now() });
      return result;
    };
    let stoppedAt: number | null = null;
    for (const [i, wave] of waves.entries()) {
      const n = i + 1;
      const spent = budget.spent();
      if (spent === null && !ctx.signal?.aborted && stoppedAt === null && i > 0 && options.beforeWave) {
        if ((await askBeforeWave(options.beforeWave, { wave: n, waves: waves.length, hosts: wave })) === 'stop') stoppedAt = n;
      }
      const why = whyNotStarted(ctx, spent, stoppedAt, options.deadline);
      if (why) {
        for (const spec of wave) results.push(done({ ...notStarted(spec, ctx, options.target, why), wave: n }));
        continue;
      }
      budget.startWave(n, wave.length);
      ctx.emit({ kind: 'wave-start', run: ctx.run, wave: n, hosts: wave.map((h) => h.name), at: ctx.now() });
      const payloadFor = (h: HostSpec): unknown => co.payloadFor(h, options);
      const mayStart = (spec: HostSpec): FleetResult<R> | null => {
        const why = whyNotStarted(ctx, budget.spent(), null, options.deadline);
        return why ? { ...notStarted(spec, ctx, options.target, why), wave: n } : null;
      };
      const slots = Math.max(1, options.parallel);
      results.push(...(await runWave({ ...co, payloadFor }, ctx, wave, n, slots, mayStart, (r) => (budget.record(r.status), done(r)))));
      ctx.emit({ kind: 'wave-end', run: ctx.run, wave: n, at: ctx.now() });
    }
    ctx.emit({ kind: 'run-end', run: ctx.run, results, at: ctx.now() });
    return results;
  };
}

/**
 * Run one wave through the queue with at most `slots` hosts enqueued and not yet done; a host is enqueued only when
 * `mayStart` lets it (else its not-started result stands). Results in the wave's order.
 */
async function runWave<R extends HostResult>(
  co: Omit<CoordinateOptions, 'payloadFor'> & { payloadFor(host: HostSpec): unknown },
  ctx: EngineContext,
  wave: HostSpec[],
  n: number,
  slots: number,
  mayStart: (spec: HostSpec) => FleetResult<R> | null,
  done: (r: FleetResult<R>) => FleetResult<R>,
): Promise<FleetResult<R>[]> {
  const got = new Map<string, FleetResult<R>>();
  const inFlight = new Set<string>();
  let next = 0;
  // fill the free slots: each host checked (budget, interrupt, deadline) as it would be before starting locally
  const fill = async (): Promise<void> => {
    const batch: HostSpec[] = [];
    while (inFlight.size + batch.length < slots && next < wave.length) {
      const spec = wave[next++] as HostSpec;
      const skipped = mayStart(spec);
      if (skipped) got.set(spec.name, done(skipped));
      else batch.push(spec);
    }
    if (batch.length === 0) return;
    await co.dispatch.enqueueWave(ctx.run, n, batch.map((h) => ({ host: h.name, site: h.site ?? null, payload: co.payloadFor(h) })));
    for (const h of batch) inFlight.add(h.name);
  };
  const arrive = (host: string, result: unknown): void => {
    if (got.has(host) || !inFlight.has(host)) return;
    inFlight.delete(host);
    got.set(host, done({ ...asHostResult(host, result), wave: n }));
  };
  await fill();
  while (inFlight.size > 0) {
    // wait until at least one host in flight is done (the wait is cut short once a poll found some), then refill
    const some = new AbortController();
    const before = inFlight.size;
    try {
      const statuses = await co.dispatch.waitHosts(ctx.run, [...inFlight], {
        signal: some.signal,
        onDone: (host, result) => {
          arrive(host, result);
          if (inFlight.size < before) some.abort();
        },
        ...(co.pollMs !== undefined ? { pollMs: co.pollMs } : {}),
      });
      for (const s of statuses) arrive(s.host, s.result);
    } catch (err) {
      if (!some.signal.aborted) throw err;
    }
    await fill();
  }
  return wave.map((h) => got.get(h.name) ?? done({ ...asHostResult(h.name, undefined), wave: n }));
}

/** A worker's result as the engine's HostResult; anything else (a foreign or broken job) fails the host. */
function asHostResult(host: string, value: unknown): HostResult {
  const r = value as Partial<HostResult> | null | undefined;
  if (r && typeof r === 'object' && r.name === host && typeof r.status === 'string' && Array.isArray(r.steps)) return r as HostResult;
  return {
    name: host, status: 'failed', from: null, to: null, warnings: [], startedAt: Date.now(), durationMs: 0, steps: [],
    error: { code: 'WORKER_JOB_FAILED', message: `${host}: the job ended without a host result gofleet can read` },
  };
}
