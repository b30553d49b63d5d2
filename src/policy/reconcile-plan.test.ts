import assert from 'node:assert/strict';
import test from 'node:test';
import type { DriftResult, DriftStatus } from './drift.ts';
import { parsePolicy } from './parse-policy.ts';
import { planReconcile } from './reconcile-plan.ts';

// Saturday 2026-12-05 03:00 in Berlin (02:00 UTC): the weekend window (02:00-06:00 Berlin) is open, closing 05:00 UTC
const SAT_3AM_BERLIN = Date.UTC(2026, 11, 5, 2, 0);
// Wednesday 2026-12-02 12:00 UTC: closed
const WEDNESDAY = Date.UTC(2026, 11, 2, 12, 0);

const policy = parsePolicy('p.yaml', `channels:
  stable: { track: "1.27" }
  down: { track: "1.27", allow_downgrade: true }
  legacy: { pin: go1.26.8 }
assign:
  - hosts: "web-*"
    channel: stable
    window: { days: [sat, sun], start: "02:00", duration: 4h, tz: Europe/Berlin }
    rollout: { canary: 1, waves: "50%", max_fail: 0, parallel: 2, drain_timeout: 5m }
  - hosts: "db-*"
    channel: down
  - hosts: "old-*"
    channel: legacy
`);

function drift(name: string, assignment: number | null, status: DriftStatus, active: string | null, wanted: string | null, reasons: string[] = []): DriftResult {
  return { name, status, active, wanted, channel: null, assignment, reasons, notes: [] };
}

const fleet: DriftResult[] = [
  drift('web-1', 0, 'behind', 'go1.26.8', 'go1.27.3'),
  drift('web-2', 0, 'compliant', 'go1.27.3', 'go1.27.3'),
  drift('web-3', 0, 'ahead', 'go1.28.0', 'go1.27.3'),
  drift('web-4', 0, 'behind', null, 'go1.27.3'),
  drift('web-5', 0, 'misconfigured', 'go1.27.3', 'go1.27.3', ['GOTOOLCHAIN=auto where the policy says local']),
  drift('db-1', 1, 'ahead', 'go1.28.0', 'go1.27.3'),
  drift('db-2', 1, 'unknown', null, 'go1.27.3', ['unreachable (HOST_UNREACHABLE: refused)']),
  drift('old-1', 2, 'off_pin', 'go1.27.3', 'go1.26.8'),
  drift('old-2', 2, 'off_pin', 'go1.19.13', 'go1.26.8'),
  drift('stray', null, 'unassigned', null, null),
];

test('planReconcile: each host decided; the open window rolls out its drifted hosts, ending at its close', () => {
  const plan = planReconcile(policy, fleet, SAT_3AM_BERLIN);
  assert.deepEqual(plan.hosts.map((h) => `${h.name} ${h.decision}`), [
    'web-1 upgrade', 'web-2 none', 'web-3 hold', 'web-4 upgrade', 'web-5 hold',
    'db-1 upgrade', 'db-2 unknown', 'old-1 hold', 'old-2 upgrade', 'stray none',
  ]);
  assert.deepEqual(plan.rollouts.map((r) => [r.assignment, r.pattern, r.channel, r.target, r.hosts]), [
    [0, 'web-*', 'stable', 'go1.27.3', ['web-1', 'web-4']],
    [1, 'db-*', 'down', 'go1.27.3', ['db-1']],
    [2, 'old-*', 'legacy', 'go1.26.8', ['old-2']],
  ]);
  const web = plan.rollouts[0]!;
  assert.deepEqual(web.shape, { canary: 1, waves: '50%', maxFail: '0', parallel: 2, drainTimeout: '5m' });
  assert.equal(web.deadline, Date.UTC(2026, 11, 5, 5, 0));
  assert.equal(web.window?.open, true);
  assert.deepEqual([plan.rollouts[1]!.deadline, plan.rollouts[1]!.window], [null, null], 'no window: any time, no deadline');
  const why = Object.fromEntries(plan.hosts.map((h) => [h.name, h.reason]));
  assert.match(why['web-1']!, /^go1\.26\.8 -> go1\.27\.3; window open until 2026-12-05 06:00 Europe\/Berlin$/);
  assert.match(why['web-4']!, /^no go -> go1\.27\.3/);
  assert.match(why['web-3']!, /newer than channel stable's go1\.27\.3; reconcile moves a host down only with allow_downgrade: true/);
  assert.match(why['web-5']!, /reconcile changes versions, not settings: GOTOOLCHAIN=auto/);
  assert.match(why['db-1']!, /^go1\.28\.0 -> go1\.27\.3 \(down: allow_downgrade\)$/);
  assert.match(why['db-2']!, /unreachable/);
  assert.match(why['old-1']!, /newer than channel legacy's go1\.26\.8/, 'a pin below the host is a downgrade too');
});

test('planReconcile: a closed window makes its hosts wait, with when it opens; other assignments still run', () => {
  const plan = planReconcile(policy, fleet, WEDNESDAY);
  assert.deepEqual(plan.hosts.filter((h) => h.decision === 'wait').map((h) => h.name), ['web-1', 'web-4']);
  assert.match(plan.hosts[0]!.reason, /^go1\.26\.8 -> go1\.27\.3 when the window opens: closed, opens 2026-12-05 02:00 Europe\/Berlin$/);
  assert.deepEqual(plan.rollouts.map((r) => r.assignment), [1, 2]);
});

test('planReconcile: nothing drifted, nothing to roll out', () => {
  const plan = planReconcile(policy, [drift('web-2', 0, 'compliant', 'go1.27.3', 'go1.27.3')], SAT_3AM_BERLIN);
  assert.deepEqual(plan.rollouts, []);
  assert.equal(plan.hosts[0]!.decision, 'none');
});
