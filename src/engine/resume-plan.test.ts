// A resumed rollout keeps the interrupted run's plan (issue 14): the hosts still to do go in their original waves,
// numbered as then, waves already final are not run again, and the failure budget counts the failures before the
// crash. The loop runs with a wave runner of the test's own (as in rollout.test.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostSpec } from '../inventory/types.ts';
import type { EngineContext } from './context.ts';
import type { EngineEvent, HostResult } from './events.ts';
import { HostRecorder } from './host-recorder.ts';
import { markResumed, type PriorPlan } from './resume-host.ts';
import { resumedPlan } from './resume-plan.ts';
import { runRollout, type FleetRunOptions } from './rollout.ts';

const spec = (name: string): HostSpec => ({ name, address: name, port: 22, transport: 'ssh', knownHosts: '', become: false, tags: [], groups: [], vars: {}, source: { file: 'inv' } });
const result = (name: string, status: 'upgraded' | 'failed'): HostResult => new HostRecorder(name, 'r1', () => undefined, () => 1).result(status, 'go1.26.8', 'go1.27.3');

// the run planned a | b | c d | e (--canary 1 --waves 1,3,4 over five hosts)
const ALL = ['a', 'b', 'c', 'd', 'e'];
const POLICY = { canary: 1, waves: '1,3,4' };

/** `started`: hosts the interrupted run had started and not settled (journaled steps, no final result) */
function resumed(plan: PriorPlan, started: readonly string[] = []): { ctx: EngineContext; events: EngineEvent[] } {
  const events: EngineEvent[] = [];
  let clock = 0;
  const ctx = { run: 'r1', emit: (e: EngineEvent) => events.push(e), now: () => ++clock } as unknown as EngineContext;
  const prior = new Map(started.map((h) => [h, { steps: [], from: 'go1.26.8' }]));
  markResumed(ctx, { command: 'upgrade', target: 'go1.27.3', prior, plan });
  return { ctx, events };
}

const options = (maxFail?: number): FleetRunOptions => ({ command: 'upgrade', target: 'go1.27.3', parallel: 1, rollout: { ...POLICY, ...(maxFail !== undefined ? { maxFail: { count: maxFail } } : {}) } });

/** Runs every host the gate lets start, failing those in `fail`; returns "wave host" per started host. */
function runner(seen: string[], fail: readonly string[] = []) {
  return async (w: { wave: number; hosts: readonly HostSpec[]; mayStart(h: HostSpec): boolean; report(n: string, r: HostResult): void }): Promise<void> => {
    for (const h of w.hosts) {
      if (!w.mayStart(h)) continue;
      seen.push(`${w.wave} ${h.name}`);
      w.report(h.name, result(h.name, fail.includes(h.name) ? 'failed' : 'upgraded'));
    }
  };
}

const line = (r: HostResult & { wave: number }): string => `${r.name} ${r.status} ${r.wave} ${r.error?.code ?? ''}`.trim();

test('resumed after a crash in wave 3: wave 3 (c, d) then wave 4 (e), numbered as planned; waves 1 and 2 are not run again', async () => {
  const { ctx, events } = resumed({ hosts: ALL, waves: new Map([['a', 1], ['b', 2], ['c', 3], ['d', 3], ['e', 4]]), failed: [] });
  const seen: string[] = [];
  // the inventory's order does not matter: the run's does
  const results = await runRollout(['e', 'd', 'c'].map(spec), ctx, options(), runner(seen));
  assert.deepEqual(seen, ['3 c', '3 d', '4 e']);
  assert.deepEqual(results.map(line), ['c upgraded 3', 'd upgraded 3', 'e upgraded 4']);
  assert.deepEqual(events.flatMap((e) => (e.kind === 'wave-start' ? [`${e.wave}: ${e.hosts.join(' ')}`] : [])), ['3: c d', '4: e']);
});

test('a wave that never started before the crash is recovered from the plan over the run\'s hosts', async () => {
  // wave 4 never started: e has no journaled wave
  const { ctx } = resumed({ hosts: ALL, waves: new Map([['a', 1], ['b', 2], ['c', 3], ['d', 3]]), failed: [] });
  const seen: string[] = [];
  await runRollout(['d', 'e'].map(spec), ctx, options(), runner(seen));
  assert.deepEqual(seen, ['3 d', '4 e']);
});

test('--max-fail 1: a failure before the crash and one after spend the budget; the later hosts are skipped BUDGET_EXCEEDED', async () => {
  const { ctx } = resumed({ hosts: ALL, waves: new Map([['a', 1], ['b', 2], ['c', 3], ['d', 3]]), failed: ['b'] });
  const seen: string[] = [];
  const results = await runRollout(['c', 'd', 'e'].map(spec), ctx, options(1), runner(seen, ['c']));
  assert.deepEqual(seen, ['3 c']);
  assert.deepEqual(results.map(line), ['c failed 3', 'd skipped 3 BUDGET_EXCEEDED', 'e skipped 4 BUDGET_EXCEEDED']);
  assert.match(results[1]?.error?.message ?? '', /2 of 5 host\(s\) failed, --max-fail 1 allows 1/);
});

test('a budget already spent before the crash: nothing starts at resume', async () => {
  const { ctx, events } = resumed({ hosts: ALL, waves: new Map([['a', 1], ['b', 2], ['c', 3], ['d', 3]]), failed: ['a', 'b'] });
  const seen: string[] = [];
  const results = await runRollout(['c', 'd', 'e'].map(spec), ctx, options(1), runner(seen));
  assert.deepEqual(seen, []);
  assert.deepEqual(results.map(line), ['c skipped 3 BUDGET_EXCEEDED', 'd skipped 3 BUDGET_EXCEEDED', 'e skipped 4 BUDGET_EXCEEDED']);
  assert.equal(events.filter((e) => e.kind === 'wave-start').length, 0);
});

test('resumedPlan: every wave of the run with its original size and prior failures, the hosts to do in run order', () => {
  const plan = resumedPlan(['d', 'c'].map(spec), { hosts: ALL, waves: new Map([['a', 1], ['b', 2], ['c', 3]]), failed: ['a'] }, POLICY);
  assert.equal(plan.fleetSize, 5);
  assert.deepEqual(
    plan.waves.map((w) => `${w.wave}: [${w.hosts.map((h) => h.name).join(' ')}] size ${w.size} failed ${w.failed}`),
    ['1: [] size 1 failed 1', '2: [] size 1 failed 0', '3: [c d] size 2 failed 0', '4: [] size 1 failed 0'],
  );
});

test('a spent budget does not hold back a host the interrupted run had started: it is read back; the others are skipped', async () => {
  // b failed and c was mid-switch when the coordinator died (--max-fail 0): c's outcome must still be read from the host
  const { ctx, events } = resumed({ hosts: ALL, waves: new Map([['a', 1], ['b', 2], ['c', 3], ['d', 3]]), failed: ['b'] }, ['c']);
  const seen: string[] = [];
  const results = await runRollout(['c', 'd', 'e'].map(spec), ctx, options(0), runner(seen));
  assert.deepEqual(seen, ['3 c']);
  assert.deepEqual(results.map(line), ['c upgraded 3', 'd skipped 3 BUDGET_EXCEEDED', 'e skipped 4 BUDGET_EXCEEDED']);
  assert.deepEqual(events.flatMap((e) => (e.kind === 'wave-start' ? [`${e.wave}: ${e.hosts.join(' ')}`] : [])), ['3: c d']);
});

test('Ctrl-C holds back even a host the interrupted run had started', async () => {
  const { ctx } = resumed({ hosts: ALL, waves: new Map([['a', 1], ['b', 2], ['c', 3], ['d', 3]]), failed: [] }, ['c']);
  const stop = new AbortController();
  stop.abort();
  (ctx as { signal?: AbortSignal }).signal = stop.signal;
  const seen: string[] = [];
  const results = await runRollout(['c', 'd'].map(spec), ctx, options(), runner(seen));
  assert.deepEqual(seen, []);
  assert.deepEqual(results.map(line), ['c skipped 3 INTERRUPTED', 'd skipped 3 INTERRUPTED']);
});
