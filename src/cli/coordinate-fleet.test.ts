// The --workers coordinator against runFleet: the same scenarios (waves, budget, a stop between waves, an
// interrupt) give the same event stream and results, with hosts enqueued per wave instead of run here.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EngineContext } from '../engine/context.ts';
import type { EngineEvent, FinalStatus, HostResult } from '../engine/events.ts';
import { HostRecorder } from '../engine/host-recorder.ts';
import { runFleet, type FleetRunOptions } from '../engine/run-fleet.ts';
import type { HostSpec } from '../inventory/types.ts';
import { coordinateFleet } from './coordinate-fleet.ts';
import type { JobSpec } from './dispatch-port.ts';

const spec = (name: string, site?: string): HostSpec => ({ name, address: name, port: 22, transport: 'ssh', knownHosts: '', become: false, tags: [], groups: [], vars: {}, source: { file: 'inv' }, ...(site ? { site } : {}) });

function context(signal?: AbortSignal): { ctx: EngineContext; events: EngineEvent[] } {
  const events: EngineEvent[] = [];
  let clock = 0;
  const ctx = { run: 'r1', emit: (e: EngineEvent) => events.push(e), now: () => ++clock, connect: () => Promise.reject(new Error('no connections')), ...(signal ? { signal } : {}) } as unknown as EngineContext;
  return { ctx, events };
}

const resultOf = (name: string, status: FinalStatus): HostResult => new HostRecorder(name, 'r1', () => undefined, () => 5).result(status, 'go1.26.8', 'go1.27.3');

function outline(events: EngineEvent[]): string[] {
  return events.map((e) =>
    e.kind === 'host-done' ? `done ${e.result.name} ${e.result.status}${e.result.error ? ` ${e.result.error.code}` : ''} w${(e.result as HostResult & { wave: number }).wave}`
      : e.kind === 'wave-start' ? `wave-start ${e.wave} ${e.hosts.join(' ')}` : e.kind === 'wave-end' ? `wave-end ${e.wave}` : e.kind === 'run-start' ? `run-start ${e.hosts.join(' ')}` : e.kind,
  );
}

const status = (host: string, result: unknown) => ({ host, state: 'done' as const, attempts: 1, token: 1, worker: 'w', leaseUntil: null, result });

/** A dispatch whose workers end each host with `outcome[name]` (default upgraded), in the wave's order. */
function fakeDispatch(outcome: Record<string, FinalStatus>, onEnqueue: () => void = () => undefined) {
  const enqueued: { wave: number; jobs: JobSpec[] }[] = [];
  return {
    enqueued,
    dispatch: {
      enqueueWave: async (_run: string, wave: number, jobs: readonly JobSpec[]) => {
        enqueued.push({ wave, jobs: [...jobs] });
        onEnqueue();
        return jobs.map((j) => j.host);
      },
      waitHosts: async (_run: string, hosts: readonly string[], o: { onDone?(host: string, result: unknown): void } = {}) => {
        for (const h of [...hosts].reverse()) o.onDone?.(h, resultOf(h, outcome[h] ?? 'upgraded'));
        return hosts.map((h) => status(h, resultOf(h, outcome[h] ?? 'upgraded')));
      },
    },
  };
}

/** runFleet one host at a time against the coordinator with `parallel` hosts in the queue at once (default: a whole wave) */
async function both(hosts: HostSpec[], outcome: Record<string, FinalStatus>, options: Omit<FleetRunOptions, 'command' | 'target' | 'parallel'>, abortAfterFirstWave = false, parallel = 10) {
  const localStop = new AbortController();
  const local = context(localStop.signal);
  const localResults = await runFleet(hosts, async (s) => {
    const r = resultOf(s.name, outcome[s.name] ?? 'upgraded');
    // the coordinator enqueues a wave at once: compare with an interrupt as the wave's last host runs
    if (abortAfterFirstWave && s.name === 'c') localStop.abort();
    return r;
  }, local.ctx, { command: 'upgrade', target: 'go1.27.3', parallel: 1, ...options });
  const stop = new AbortController();
  const remote = context(stop.signal);
  const fake = fakeDispatch(outcome, () => abortAfterFirstWave && stop.abort());
  const run = coordinateFleet({ dispatch: fake.dispatch, payloadFor: (h, o) => ({ host: h.name, target: o.target }) });
  const results = await run(hosts, () => assert.fail('the operation runs on workers'), remote.ctx, { command: 'upgrade', target: 'go1.27.3', parallel, ...options });
  return { local: outline(local.events), remote: outline(remote.events), localResults, results, enqueued: fake.enqueued };
}

/** The outline with host-done lines keyed by the non-host events before them (workers finish in any order). */
const sorted = (o: string[]): string[] => o.map((l, i) => (l.startsWith('done') ? `${o.slice(0, i).filter((x) => !x.startsWith('done')).length} ${l}` : l)).sort();

const hosts = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => spec(n, n === 'f' ? 'paris' : undefined));

describe('coordinateFleet', () => {
  it('enqueues each wave (site and payload per host) and ends like runFleet: same events, same results in rollout order', async () => {
    const r = await both(hosts, { c: 'failed' }, { rollout: { waves: '1,50%' } });
    assert.deepEqual(r.enqueued.map((w) => [w.wave, w.jobs.map((j) => j.host)]), [[1, ['a']], [2, ['b', 'c']], [3, ['d', 'e', 'f']]]);
    assert.deepEqual(r.enqueued[2]?.jobs[2], { host: 'f', site: 'paris', payload: { host: 'f', target: 'go1.27.3' } });
    assert.deepEqual(r.enqueued[0]?.jobs[0]?.site, null);
    assert.deepEqual(r.results.map((x) => [x.name, x.status, x.wave]), r.localResults.map((x) => [x.name, x.status, x.wave]));
    // host-done arrives in the workers' order; the rest of the stream is runFleet's
    assert.deepEqual(sorted(r.remote), sorted(r.local));
  });

  it('a spent budget stops the later waves: never enqueued, skipped BUDGET_EXCEEDED', async () => {
    const r = await both(hosts, { b: 'failed' }, { rollout: { waves: '2,4', maxFail: { count: 0 } } });
    assert.deepEqual(r.enqueued.map((w) => w.wave), [1]);
    assert.deepEqual(r.results.map((x) => `${x.name} ${x.status} ${x.error?.code ?? ''}`), r.localResults.map((x) => `${x.name} ${x.status} ${x.error?.code ?? ''}`));
    assert.deepEqual(r.results.filter((x) => x.error?.code === 'BUDGET_EXCEEDED').map((x) => x.name), ['c', 'd', 'e', 'f']);
  });

  it('--parallel bounds the hosts in the queue across workers, and a budget spent mid-wave stops the rest of that wave', async () => {
    const r = await both(hosts, { b: 'failed' }, { rollout: { maxFail: { count: 0 } } }, false, 1);
    // one host at a time: after b failed, c..f are never enqueued (as runFleet never starts them)
    assert.deepEqual(r.enqueued.map((w) => [w.wave, w.jobs.map((j) => j.host)]), [[1, ['a']], [1, ['b']]]);
    assert.deepEqual(r.results.map((x) => `${x.name} ${x.status} ${x.error?.code ?? ''}`), r.localResults.map((x) => `${x.name} ${x.status} ${x.error?.code ?? ''}`));
    assert.deepEqual(r.results.filter((x) => x.error?.code === 'BUDGET_EXCEEDED').map((x) => x.name), ['c', 'd', 'e', 'f']);
    const three = await both(hosts, {}, {}, false, 3);
    assert.deepEqual(three.enqueued.map((w) => w.jobs.length).reduce((a, b) => a + b, 0), 6);
    assert.ok(three.enqueued.every((w) => w.jobs.length <= 3), JSON.stringify(three.enqueued.map((w) => w.jobs.length)));
    assert.deepEqual(sorted(three.remote), sorted(three.local));
  });

  it('a stop between waves and an interrupt skip the rest, untouched (INTERRUPTED, for resume)', async () => {
    const stopped = await both(hosts, {}, { rollout: { waves: '3' }, beforeWave: async () => 'stop' });
    assert.deepEqual(stopped.enqueued.map((w) => w.wave), [1]);
    assert.deepEqual(sorted(stopped.remote), sorted(stopped.local));
    const interrupted = await both(hosts, {}, { rollout: { waves: '3' } }, true);
    assert.deepEqual(interrupted.enqueued.map((w) => w.wave), [1]);
    assert.deepEqual(interrupted.results.slice(3).map((x) => x.error?.code), ['INTERRUPTED', 'INTERRUPTED', 'INTERRUPTED']);
    assert.deepEqual(sorted(interrupted.remote), sorted(interrupted.local));
  });

  it('a job that ended without a readable result fails its host', async () => {
    const { ctx } = context();
    const run = coordinateFleet({
      payloadFor: () => null,
      dispatch: { enqueueWave: async () => [], waitHosts: async (_r, hs) => hs.map((h) => status(h, { nonsense: true })) },
    });
    const [r] = await run([spec('a')], async () => resultOf('a', 'upgraded'), ctx, { command: 'use', target: 'go1.27.3', parallel: 1 });
    assert.deepEqual([r?.status, r?.error?.code], ['failed', 'WORKER_JOB_FAILED']);
  });
});
