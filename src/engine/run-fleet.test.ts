// The executor's rollout: waves run one after another, the failure budget stops the rollout, and every host
// ends with a result. Hosts are plain specs and the operation is a stand-in (no connection is opened).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostSpec } from '../inventory/types.ts';
import type { EngineContext } from './context.ts';
import type { EngineEvent, FinalStatus, HostResult } from './events.ts';
import { HostRecorder } from './host-recorder.ts';
import { runFleet, type RolloutPolicy } from './run-fleet.ts';

function spec(name: string, tags: string[] = []): HostSpec {
  return { name, address: name, port: 22, transport: 'ssh', knownHosts: '', become: false, tags, groups: [], vars: {}, source: { file: 'inv' } };
}

interface Harness {
  events: EngineEvent[];
  started: string[];
  ctx: EngineContext;
}

function harness(signal?: AbortSignal): Harness {
  const events: EngineEvent[] = [];
  let clock = 0;
  const ctx = {
    run: 'r1',
    emit: (e: EngineEvent) => events.push(e),
    now: () => ++clock,
    connect: () => Promise.reject(new Error('no connections in this test')),
    ...(signal ? { signal } : {}),
  } as unknown as EngineContext;
  return { events, started: [], ctx };
}

/** Run `hosts` with an operation that ends each host with `outcome[name]` (default upgraded). */
async function rollout(h: Harness, hosts: HostSpec[], outcome: Record<string, FinalStatus>, policy: RolloutPolicy, parallel = 4) {
  return runFleet(
    hosts,
    async (s): Promise<HostResult> => {
      h.started.push(s.name);
      await new Promise((r) => setImmediate(r));
      return new HostRecorder(s.name, h.ctx.run, h.ctx.emit, h.ctx.now).result(outcome[s.name] ?? 'upgraded', 'go1.26.8', 'go1.27.3');
    },
    h.ctx,
    { command: 'upgrade', target: 'go1.27.3', parallel, rollout: policy },
  );
}

/** The event stream without host-steps: "run-start", "wave-start 1 a", "done a upgraded", ... */
function outline(events: EngineEvent[]): string[] {
  return events.flatMap((e) => {
    switch (e.kind) {
      case 'wave-start':
        return [`wave-start ${e.wave} ${e.hosts.join(' ')}`];
      case 'wave-end':
        return [`wave-end ${e.wave}`];
      case 'host-done':
        return [`done ${e.result.name} ${e.result.status}${e.result.error ? ` ${e.result.error.code}` : ''}`];
      case 'run-start':
        return [`run-start ${e.hosts.join(' ')}`];
      case 'run-end':
        return ['run-end'];
      default:
        return [];
    }
  });
}

test('waves run one after another, in rollout order, and each result carries its wave', async () => {
  const h = harness();
  const hosts = ['a', 'b', 'c', 'd'].map((n) => spec(n, n === 'c' ? ['canary'] : []));
  const results = await rollout(h, hosts, {}, { canary: 1, waves: '1,100%' });
  assert.deepEqual(outline(h.events), [
    'run-start c a b d',
    'wave-start 1 c', 'done c upgraded', 'wave-end 1',
    'wave-start 2 a', 'done a upgraded', 'wave-end 2',
    'wave-start 3 b d', 'done b upgraded', 'done d upgraded', 'wave-end 3',
    'run-end',
  ]);
  assert.deepEqual(results.map((r) => [r.name, r.wave]), [['c', 1], ['a', 2], ['b', 3], ['d', 3]]);
});

test('--max-fail 0: a failure in wave 2 stops the rollout; wave 3 never starts and its hosts are skipped', async () => {
  const h = harness();
  const hosts = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => spec(n));
  const results = await rollout(h, hosts, { c: 'rolled_back' }, { waves: '1,3,100%', maxFail: { count: 0 } });
  assert.deepEqual(h.started, ['a', 'b', 'c']);
  assert.deepEqual(outline(h.events).slice(-5), ['wave-end 2', 'done d skipped BUDGET_EXCEEDED', 'done e skipped BUDGET_EXCEEDED', 'done f skipped BUDGET_EXCEEDED', 'run-end']);
  assert.ok(!outline(h.events).some((l) => l.startsWith('wave-start 3')), 'no wave-start for a wave that never started');
  const skipped = results.find((r) => r.name === 'd');
  assert.deepEqual([skipped?.status, skipped?.from, skipped?.to, skipped?.wave], ['skipped', null, 'go1.27.3', 3]);
  assert.equal(skipped?.error?.message, 'd: not started, the failure budget is spent (wave 2: 1 of 2 host(s) failed, --max-fail 0 allows 0)');
  assert.match(skipped?.error?.hint ?? '', /inspect the failed hosts/);
});

test('the budget also stops hosts of the current wave that have not started yet', async () => {
  const h = harness();
  const hosts = ['a', 'b', 'c', 'd'].map((n) => spec(n));
  const results = await rollout(h, hosts, { a: 'unreachable' }, { maxFail: { count: 0 } }, 1);
  assert.deepEqual(h.started, ['a']);
  assert.deepEqual(results.map((r) => `${r.name} ${r.status} ${r.error?.code ?? ''}`), [
    'a unreachable ', 'b skipped BUDGET_EXCEEDED', 'c skipped BUDGET_EXCEEDED', 'd skipped BUDGET_EXCEEDED',
  ]);
});

test('within budget every wave runs; no --max-fail means no stop at all', async () => {
  const hosts = ['a', 'b', 'c', 'd'].map((n) => spec(n));
  const within = harness();
  await rollout(within, hosts, { b: 'failed' }, { waves: '2,100%', maxFail: { percent: 50 } });
  assert.deepEqual(within.started, ['a', 'b', 'c', 'd'], '1 of 2 per wave, 1 of 4 overall: allowed');
  const unlimited = harness();
  await rollout(unlimited, hosts, { a: 'failed', b: 'failed', c: 'rolled_back' }, { waves: '1,2,3' });
  assert.deepEqual(unlimited.started, ['a', 'b', 'c', 'd']);
});

test('interrupted between waves: later waves do not start, their hosts are skipped as INTERRUPTED', async () => {
  const stop = new AbortController();
  const h = harness(stop.signal);
  const hosts = ['a', 'b', 'c'].map((n) => spec(n));
  const results = await runFleet(
    hosts,
    async (s) => {
      h.started.push(s.name);
      stop.abort();
      return new HostRecorder(s.name, h.ctx.run, h.ctx.emit, h.ctx.now).result('upgraded', 'go1.26.8', 'go1.27.3');
    },
    h.ctx,
    { command: 'upgrade', target: 'go1.27.3', parallel: 2, rollout: { waves: '1,2' } },
  );
  assert.deepEqual(h.started, ['a']);
  assert.deepEqual(results.map((r) => `${r.name} ${r.status} ${r.error?.code ?? ''}`), ['a upgraded ', 'b skipped INTERRUPTED', 'c skipped INTERRUPTED']);
  assert.equal(outline(h.events).filter((l) => l.startsWith('wave-start')).length, 1);
});

test('beforeWave is asked before each wave after the first, with the wave, the count and its hosts', async () => {
  const h = harness();
  const asked: string[] = [];
  const hosts = ['a', 'b', 'c', 'd'].map((n) => spec(n));
  await runFleet(hosts, async (s) => new HostRecorder(s.name, h.ctx.run, h.ctx.emit, h.ctx.now).result('upgraded', 'go1.26.8', 'go1.27.3'), h.ctx, {
    command: 'upgrade',
    target: 'go1.27.3',
    parallel: 2,
    rollout: { waves: '1,2,100%' },
    beforeWave: async (next) => {
      asked.push(`${next.wave}/${next.waves} ${next.hosts.map((x) => x.name).join(' ')} after ${outline(h.events).filter((l) => l.startsWith('wave-end')).length} wave-end(s)`);
      return 'continue';
    },
  });
  assert.deepEqual(asked, ['2/3 b after 1 wave-end(s)', '3/3 c d after 2 wave-end(s)']);
});

test('beforeWave answering stop: that wave and the later ones are skipped as INTERRUPTED, with the wave in the message', async () => {
  const h = harness();
  const hosts = ['a', 'b', 'c', 'd'].map((n) => spec(n));
  let calls = 0;
  const results = await runFleet(
    hosts,
    async (s) => {
      h.started.push(s.name);
      return new HostRecorder(s.name, h.ctx.run, h.ctx.emit, h.ctx.now).result('upgraded', 'go1.26.8', 'go1.27.3');
    },
    h.ctx,
    { command: 'upgrade', target: 'go1.27.3', parallel: 2, rollout: { waves: '1,2,100%' }, beforeWave: async (next) => (++calls, next.wave === 3 ? 'stop' : 'continue') },
  );
  assert.deepEqual(h.started, ['a', 'b']);
  assert.equal(calls, 2, 'not asked again once stopped');
  assert.deepEqual(results.map((r) => `${r.name} ${r.status} ${r.wave} ${r.error?.code ?? ''}`), ['a upgraded 1 ', 'b upgraded 2 ', 'c skipped 3 INTERRUPTED', 'd skipped 3 INTERRUPTED']);
  assert.equal(results[2]?.error?.message, 'c: not started, the rollout was stopped before wave 3');
  assert.match(results[2]?.error?.hint ?? '', /gofleet resume r1/);
  assert.ok(!outline(h.events).includes('wave-start 3 c d'));
  assert.equal(outline(h.events).at(-1), 'run-end');
});

test('a beforeWave hook that throws stops the rollout; earlier results are kept', async () => {
  const h = harness();
  const stopped = await runFleet(['a', 'b'].map((n) => spec(n)), async (s) => new HostRecorder(s.name, 'r1', h.ctx.emit, h.ctx.now).result('upgraded', null, 'go1.27.3'), h.ctx, {
    command: 'upgrade', target: 'go1.27.3', parallel: 1, rollout: { waves: '1' },
    beforeWave: () => Promise.reject(new Error('terminal gone')),
  });
  assert.deepEqual(stopped.map((r) => `${r.name} ${r.status} ${r.error?.code ?? ''}`), ['a upgraded ', 'b skipped INTERRUPTED']);
  assert.equal(outline(h.events).at(-1), 'run-end');
});

test('the failure budget stops before a pause: beforeWave is not asked once the budget is spent', async () => {
  const h = harness();
  let asked = 0;
  const results = await runFleet(
    ['a', 'b', 'c'].map((n) => spec(n)),
    async (s) => new HostRecorder(s.name, h.ctx.run, h.ctx.emit, h.ctx.now).result(s.name === 'a' ? 'failed' : 'upgraded', 'go1.26.8', 'go1.27.3'),
    h.ctx,
    { command: 'upgrade', target: 'go1.27.3', parallel: 2, rollout: { waves: '1', maxFail: { count: 0 } }, beforeWave: async () => (asked++, 'continue') },
  );
  assert.equal(asked, 0);
  assert.deepEqual(results.map((r) => `${r.name} ${r.status} ${r.error?.code ?? ''}`), ['a failed ', 'b skipped BUDGET_EXCEEDED', 'c skipped BUDGET_EXCEEDED']);
});

test('interrupted while the hook waits (Ctrl-C during --pause-after): the wave is skipped as interrupted, not as stopped', async () => {
  const stop = new AbortController();
  const h = harness(stop.signal);
  const results = await runFleet(
    ['a', 'b'].map((n) => spec(n)),
    async (s) => new HostRecorder(s.name, h.ctx.run, h.ctx.emit, h.ctx.now).result('upgraded', 'go1.26.8', 'go1.27.3'),
    h.ctx,
    { command: 'upgrade', target: 'go1.27.3', parallel: 1, rollout: { waves: '1' }, beforeWave: async () => (stop.abort(), 'continue') },
  );
  assert.deepEqual(results.map((r) => `${r.name} ${r.status} ${r.error?.message ?? ''}`), ['a upgraded ', 'b skipped b: not started, the run was interrupted']);
});

test('a deadline that passes mid-rollout: no host starts after it, in this wave or later ones; hosts in flight finish', { timeout: 5_000 }, async () => {
  const h = harness();
  let t = 1_000;
  const ctx = { ...h.ctx, now: () => t };
  const hosts = ['a', 'b', 'c', 'd', 'e'].map((n) => spec(n));
  const results = await runFleet(
    hosts,
    async (s) => {
      h.started.push(s.name);
      // b's work outlasts the window: it still ends normally
      if (s.name === 'b') t = 5_000;
      await new Promise((r) => setImmediate(r));
      return new HostRecorder(s.name, ctx.run, ctx.emit, ctx.now).result('upgraded', 'go1.26.8', 'go1.27.3');
    },
    ctx,
    { command: 'upgrade', target: 'go1.27.3', parallel: 1, rollout: { waves: '1,3' }, deadline: 5_000 },
  );
  assert.deepEqual(h.started, ['a', 'b']);
  assert.deepEqual(results.map((r) => `${r.name} ${r.status} ${r.error?.code ?? ''}`), [
    'a upgraded ', 'b upgraded ', 'c skipped DEADLINE_PASSED', 'd skipped DEADLINE_PASSED', 'e skipped DEADLINE_PASSED',
  ]);
  assert.equal(results[2]?.error?.message, 'c: not started, the deadline 1970-01-01T00:00:05.000Z has passed');
  assert.ok(!outline(h.events).includes('wave-start 3 d e'), 'the wave after the deadline never starts');
});

test('a deadline already past: nothing starts', async () => {
  const h = harness();
  const results = await runFleet([spec('a')], async () => assert.fail('started'), { ...h.ctx, now: () => 10 }, {
    command: 'upgrade', target: 'go1.27.3', parallel: 1, deadline: 10,
  });
  assert.deepEqual(results.map((r) => r.error?.code), ['DEADLINE_PASSED']);
});
