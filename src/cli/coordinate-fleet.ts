// The coordinator of `upgrade|use|rollback --workers` (issue 14): runFleet's signature and the same rollout loop
// (engine/rollout.ts: waves, failure budget, hook between waves, deadline, interrupt and events, so the progress,
// journal, summary and exit code are those of a local run), with its own wave runner: each wave's hosts are
// enqueued for workers (DispatchPort.enqueueWave) and awaited (waitHosts) instead of run here. A host's result is
// the one its worker reported; its host-done is emitted as it arrives.
//
// Within a wave at most --parallel hosts are in the queue or in flight at once, across all workers: as each one
// finishes, the next is enqueued only if the rollout's gate lets it start (budget, interrupt, deadline) — as
// runFleet asks before it starts a host — so a budget spent mid-wave stops the rest of the wave too. The per-host
// operation is the workers' (`op` is unused).

import type { EngineContext } from '../engine/context.ts';
import type { HostResult } from '../engine/events.ts';
import type { HostOperation } from '../engine/host-operation.ts';
import type { FleetResult, FleetRunOptions } from '../engine/run-fleet.ts';
import { runRollout, type WaveRun } from '../engine/rollout.ts';
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
  return <R extends HostResult>(hosts: HostSpec[], _op: HostOperation<R>, ctx: EngineContext, options: FleetRunOptions) =>
    runRollout<R>(hosts, ctx, options, (wave) => dispatchWave(co, ctx, options, wave));
}

/**
 * Run one wave through the queue with at most --parallel hosts enqueued and not yet done; a host is enqueued only
 * when the wave's gate lets it start (else the rollout has reported it, not started).
 */
async function dispatchWave<R extends HostResult>(co: CoordinateOptions, ctx: EngineContext, options: FleetRunOptions, wave: WaveRun<R>): Promise<void> {
  const slots = Math.max(1, options.parallel);
  const inFlight = new Set<string>();
  let next = 0;
  // fill the free slots: each host gated (budget, interrupt, deadline) as it would be before starting locally
  const fill = async (): Promise<void> => {
    const batch: HostSpec[] = [];
    while (inFlight.size + batch.length < slots && next < wave.hosts.length) {
      const spec = wave.hosts[next++] as HostSpec;
      if (wave.mayStart(spec)) batch.push(spec);
    }
    if (batch.length === 0) return;
    await co.dispatch.enqueueWave(ctx.run, wave.wave, batch.map((h) => ({ host: h.name, site: h.site ?? null, payload: co.payloadFor(h, options) })));
    for (const h of batch) inFlight.add(h.name);
  };
  const arrive = (host: string, result: unknown): void => {
    if (inFlight.delete(host)) wave.report(host, asHostResult(host, result));
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
