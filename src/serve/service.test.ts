// The service's decisions with fake deps: which rollouts start when, never two on one host, once per window
// opening, approval between waves (recorded before it is given), stop, and resuming what an earlier service left.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { EngineEvent } from '../engine/events.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { DriftResult } from '../policy/drift.ts';
import { parsePolicy } from '../policy/parse-policy.ts';
import type { PlannedRollout } from '../policy/reconcile-plan.ts';
import { FleetService, type AuditEntry, type LiveEvent, type RolloutHooks, type ServiceDeps, type UnfinishedRun } from './service.ts';

const HOUR = 3_600_000;
// Saturday 2026-12-05 03:00 Berlin: the weekend window is open
const SAT = Date.UTC(2026, 11, 5, 2, 0);

const policy = parsePolicy('p.yaml', `channels:
  stable: { track: "1.27" }
assign:
  - hosts: "web-*"
    channel: stable
    window: { days: [sat, sun], start: "02:00", duration: 4h, tz: Europe/Berlin }
    rollout: { canary: 1, pause: true }
  - hosts: "db-*"
    channel: stable
`);

function behind(name: string, assignment: number): DriftResult {
  return { name, status: 'behind', active: 'go1.26.8', wanted: 'go1.27.3', channel: 'stable', assignment, reasons: [], notes: [] };
}

interface Call { rollout?: PlannedRollout; resumed?: string; hooks: RolloutHooks; finish(code: number): void }

function fakeService(o: { results?: DriftResult[]; unfinished?: UnfinishedRun[]; approved?: string[] } = {}) {
  let now = SAT;
  const calls: Call[] = [];
  const audits: AuditEntry[] = [];
  let results = o.results ?? [behind('web-1', 0), behind('web-2', 0), behind('db-1', 1)];
  // a rollout runs until the test finishes it, or until the service's stop reaches it (then it ends interrupted)
  const pending = (hooks: RolloutHooks, push: (finish: (code: number) => void) => void) =>
    new Promise<number>((resolve) => {
      hooks.signal.addEventListener('abort', () => resolve(99), { once: true });
      push(resolve);
    });
  const deps: ServiceDeps = {
    assess: async () => ({ at: now, policy, results, facts: [] }),
    runRollout: (rollout, hooks) => pending(hooks, (finish) => calls.push({ rollout, hooks, finish })),
    resumeRun: (run, hooks) => pending(hooks, (finish) => calls.push({ resumed: run, hooks, finish })),
    approvedHosts: async () => o.approved ?? [],
    unfinishedRuns: async () => o.unfinished ?? [],
    audit: (e) => audits.push(e),
    now: () => now,
    log: () => undefined,
  };
  const service = new FleetService(deps, { refreshMs: HOUR, tickMs: 60_000 });
  const events: LiveEvent[] = [];
  service.subscribe((e) => events.push(e));
  return {
    service, calls, audits, events,
    at: (t: number) => void (now = t),
    drift: (r: DriftResult[]) => void (results = r),
  };
}

const settle = () => new Promise((r) => setImmediate(r));
const spec = (name: string) => ({ name }) as HostSpec;

test('a tick starts one rollout per assignment with an open window (or none), with its drifted hosts', { timeout: 5_000 }, async () => {
  const f = fakeService();
  await f.service.start();
  await f.service.tick();
  assert.deepEqual(f.calls.map((c) => [c.rollout?.assignment, c.rollout?.hosts]), [[0, ['web-1', 'web-2']], [1, ['db-1']]]);
  assert.deepEqual(f.calls[0]?.hooks.origin, { by: 'serve', assignment: 0 });
  await f.service.stop();
});

test('a closed window starts nothing; the assignment without a window still runs', { timeout: 5_000 }, async () => {
  const f = fakeService();
  f.at(Date.UTC(2026, 11, 2, 12));
  await f.service.start();
  await f.service.tick();
  assert.deepEqual(f.calls.map((c) => c.rollout?.assignment), [1]);
  await f.service.stop();
});

test('never two rollouts on one host, and once per window opening: a failed host is not retried every tick', { timeout: 5_000 }, async () => {
  const f = fakeService({ results: [behind('web-1', 0)] });
  await f.service.start();
  await f.service.tick();
  assert.equal(f.calls.length, 1);
  await f.service.tick();
  assert.equal(f.calls.length, 1, 'the running rollout holds its hosts');
  assert.deepEqual([...f.service.busyHosts().keys()], ['web-1']);
  const run = f.calls[0]!;
  run.hooks.sink({ kind: 'run-start', run: 'r1', command: 'upgrade', target: 'go1.27.3', hosts: ['web-1'], at: SAT } as EngineEvent);
  run.finish(2);
  await settle();
  await settle();
  f.at(SAT + 30 * 60_000);
  await f.service.tick();
  assert.equal(f.calls.length, 1, 'the same window opening: not again');
  // next weekend's opening: the host (still behind) gets its next chance
  f.at(SAT + 7 * 24 * HOUR);
  await f.service.tick();
  assert.equal(f.calls.length, 2);
  await f.service.stop();
});

test('a resumed run holds its hosts: a plan leaves them out; hosts no person approved wait for an approval first', { timeout: 5_000 }, async () => {
  // the run's assignment is unknown: its pause rule cannot be read, so a person decides
  const f = fakeService({ unfinished: [{ id: 'r0', hosts: ['web-1'], assignment: null }] });
  await f.service.start();
  await f.service.tick();
  assert.deepEqual(f.calls.map((c) => c.resumed ?? c.rollout?.hosts), [['web-2'], ['db-1']], 'web-1 is held by the resume, which waits');
  assert.deepEqual(f.service.active().find((r) => r.run === 'r0')?.paused, { wave: 1, waves: 1, hosts: ['web-1'], mode: 'approval', until: null });
  assert.deepEqual(f.service.approve('r0', 1, { who: 'alice', from: '::1' }), { ok: true });
  await settle();
  assert.deepEqual(f.calls.map((c) => c.resumed ?? c.rollout?.hosts), [['web-2'], ['db-1'], 'r0']);
  assert.deepEqual(f.audits.map((a) => [a.action, a.run, a.hosts]), [['approve', 'r0', ['web-1']]]);
  await f.service.stop();
});

test('a resumed run whose hosts were approved before the restart goes on without asking, wave after wave', { timeout: 5_000 }, async () => {
  const f = fakeService({ unfinished: [{ id: 'r0', hosts: ['web-1', 'web-2'], assignment: 0 }], approved: ['web-1', 'web-2'] });
  await f.service.start();
  assert.deepEqual(f.calls.map((c) => c.resumed), ['r0'], 'no approval asked before the resume');
  const decision = await f.calls[0]!.hooks.beforeWave({ wave: 2, waves: 2, hosts: [spec('web-2')] });
  assert.equal(decision, 'continue');
  assert.ok(!f.events.some((e) => e.kind === 'paused'));
  await f.service.stop();
});

test('pause: true waits for approval; a wrong wave or an unknown run is refused; approve is audited, then given', { timeout: 5_000 }, async () => {
  const f = fakeService({ results: [behind('web-1', 0), behind('web-2', 0)] });
  await f.service.start();
  await f.service.tick();
  const { hooks } = f.calls[0]!;
  hooks.sink({ kind: 'run-start', run: 'r1', command: 'upgrade', target: 'go1.27.3', hosts: ['web-1', 'web-2'], at: SAT } as EngineEvent);
  let answered: string | null = null;
  void hooks.beforeWave({ wave: 2, waves: 2, hosts: [spec('web-2')] }).then((d) => (answered = d));
  await settle();
  assert.deepEqual(f.service.active()[0]?.paused, { wave: 2, waves: 2, hosts: ['web-2'], mode: 'approval', until: null });
  assert.ok(f.events.some((e) => e.kind === 'paused' && e.run === 'r1' && e.wave === 2));
  const actor = { who: 'alice', from: '127.0.0.1' };
  assert.deepEqual(f.service.approve('r1', 3, actor), { ok: false, reason: 'wrong_wave', message: 'rollout r1 waits before wave 2, not 3' });
  assert.equal(f.service.approve('nope', 2, actor).ok, false);
  assert.equal(f.audits.length, 0);
  assert.deepEqual(f.service.approve('r1', 2, actor), { ok: true });
  await settle();
  assert.equal(answered, 'continue');
  assert.deepEqual(f.audits.map((a) => [a.action, a.run, a.wave, a.actor.who]), [['approve', 'r1', 2, 'alice']]);
  assert.deepEqual(f.service.approve('r1', 2, actor).ok, false, 'answered once');
  await f.service.stop();
});

test('stop between waves (a person), and stop() of the service: the gate answers stop and the signal aborts', { timeout: 5_000 }, async () => {
  const f = fakeService({ results: [behind('web-1', 0)] });
  await f.service.start();
  await f.service.tick();
  const call = f.calls[0]!;
  call.hooks.sink({ kind: 'run-start', run: 'r1', command: 'upgrade', target: 'go1.27.3', hosts: ['web-1'], at: SAT } as EngineEvent);
  const first = call.hooks.beforeWave({ wave: 2, waves: 3, hosts: [spec('web-1')] });
  await settle();
  assert.deepEqual(f.service.stopRollout('r1', 2, { who: 'bob', from: '10.0.0.9' }), { ok: true });
  assert.equal(await first, 'stop');
  assert.deepEqual(f.audits.map((a) => [a.action, a.actor.from]), [['stop', '10.0.0.9']]);
  const second = call.hooks.beforeWave({ wave: 3, waves: 3, hosts: [spec('web-1')] });
  await settle();
  const stopped = f.service.stop();
  assert.equal(await second, 'stop');
  assert.equal(call.hooks.signal.aborted, true);
  call.finish(99);
  await stopped;
  await f.service.tick();
  assert.equal(f.calls.length, 1, 'no rollout starts after stop()');
});

test('pause_after: the wave waits that long, then goes on by itself', { timeout: 5_000 }, async () => {
  const timed = parsePolicy('t.yaml', 'channels:\n  s: { track: "1.27" }\nassign:\n  - hosts: "*"\n    channel: s\n    rollout: { pause_after: 1s }\n');
  const f = fakeService({ results: [behind('a', 0)] });
  (f.service as unknown as { deps: ServiceDeps }).deps.assess = async () => ({ at: SAT, policy: timed, results: [behind('a', 0)], facts: [] });
  await f.service.start();
  await f.service.tick();
  const decision = await f.calls[0]!.hooks.beforeWave({ wave: 2, waves: 2, hosts: [spec('a')] });
  assert.equal(decision, 'continue');
  assert.ok(f.events.some((e) => e.kind === 'paused' && e.mode === 'timer'));
  await f.service.stop();
});
