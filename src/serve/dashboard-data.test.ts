import assert from 'node:assert/strict';
import test from 'node:test';
import type { DriftResult } from '../policy/drift.ts';
import { parsePolicy } from '../policy/parse-policy.ts';
import { fleetView, liveEvent, policyView, type ServeHostFacts } from './dashboard-data.ts';
import { FleetService, type ServiceDeps } from './service.ts';

const SAT = Date.UTC(2026, 11, 5, 2, 0);
const policy = parsePolicy('p.yaml', `channels:
  stable: { track: "1.27", min_age: 3d }
  legacy: { pin: go1.26.8 }
assign:
  - hosts: "web-*"
    channel: stable
    window: { days: [sat, sun], start: "02:00", duration: 4h, tz: Europe/Berlin }
    rollout: { canary: 1, waves: "50%" }
  - hosts: "*"
    channel: legacy
`);

function facts(name: string, tags = ['canary']): ServeHostFacts {
  return { name, os: 'linux', arch: 'amd64', groups: ['agents'], tags, at: SAT - 60_000, vulns: null };
}

async function service(): Promise<FleetService<ServeHostFacts>> {
  const results: DriftResult[] = [
    { name: 'web-1', status: 'behind', active: 'go1.26.8', wanted: 'go1.27.3', channel: 'stable', assignment: 0, reasons: ['runs go1.26.8'], notes: [] },
    { name: 'db-1', status: 'compliant', active: 'go1.26.8', wanted: 'go1.26.8', channel: 'legacy', assignment: 1, reasons: [], notes: [] },
  ];
  const deps: ServiceDeps<ServeHostFacts> = {
    assess: async () => ({ at: SAT - 60_000, policy, results, facts: [facts('web-1'), facts('db-1', [])] }),
    runRollout: () => new Promise(() => undefined),
    resumeRun: async () => 0,
    approvedHosts: async () => [],
    unfinishedRuns: async () => [],
    audit: () => undefined,
    now: () => SAT,
    log: () => undefined,
  };
  const s = new FleetService(deps, { refreshMs: 3_600_000, tickMs: 60_000 });
  await s.refresh();
  return s;
}

test('fleetView: the drift document plus facts fields per host, the window now, and no vulns without a database', async () => {
  const s = await service();
  const view = fleetView({ service: s, vulndb: null, now: () => SAT });
  assert.equal(view.generated_at, new Date(SAT - 60_000).toISOString());
  assert.deepEqual(view.counts.behind, 1);
  const [web] = view.hosts;
  assert.deepEqual([web?.name, web?.status, web?.os, web?.arch, web?.groups, web?.tags, web?.facts_at, web?.busy], ['web-1', 'behind', 'linux', 'amd64', ['agents'], ['canary'], new Date(SAT - 60_000).toISOString(), null]);
  assert.deepEqual(web?.window, { open: true, closes_at: new Date(Date.UTC(2026, 11, 5, 5)).toISOString(), next_opening: new Date(Date.UTC(2026, 11, 6, 1)).toISOString(), tz: 'Europe/Berlin' });
  assert.equal(view.hosts[1]?.window, null, 'an assignment without a window');
});

test('policyView: channels with what they resolve to, assignments with windows in words and next openings', async () => {
  const view = policyView({ service: await service(), policyFile: '/etc/gofleet/policy.yaml', now: () => SAT });
  assert.deepEqual(view.channels.map((c) => [c.name, c.target, c.resolved, c.min_age]), [['stable', 'track 1.27', 'go1.27.3', '3d'], ['legacy', 'pin go1.26.8', 'go1.26.8', null]]);
  const [a0, a1] = view.assignments;
  assert.deepEqual([a0?.window, a0?.window_now, a0?.open, a0?.host_count, a0?.rollout], ['weekly sat,sun 02:00 for 4h Europe/Berlin', 'open until 2026-12-05 06:00 Europe/Berlin', true, 1, { canary: 1, waves: '50%' }]);
  assert.equal(a0?.next_openings[0], new Date(Date.UTC(2026, 11, 6, 1)).toISOString());
  assert.deepEqual([a1?.window, a1?.open, a1?.next_openings], [null, null, []]);
});

test('liveEvent: pauses and answers as the page knows them; the service bookkeeping stays inside', () => {
  assert.equal(liveEvent({ kind: 'rollout-start', key: 'k', assignment: 0, hosts: [], target: null, at: 1 }), null);
  assert.deepEqual(liveEvent({ kind: 'resumed', run: 'r1', wave: 2, decision: 'continue', by: { who: 'alice', from: '127.0.0.1' }, at: 5 }), { kind: 'resumed', run: 'r1', wave: 2, decision: 'approved', by: 'alice', at: 5 });
  assert.deepEqual(liveEvent({ kind: 'resumed', run: 'r1', wave: 2, decision: 'stop', by: null, at: 5 }), { kind: 'resumed', run: 'r1', wave: 2, decision: 'stopped', by: 'service stop', at: 5 });
  assert.equal(liveEvent({ kind: 'paused', run: null, wave: 2, waves: 2, hosts: [], mode: 'approval', until: null, at: 1 }), null, 'a pause before the run is known cannot be answered');
});
