// planFleet / planJson / planSummary under --distribution (issue 12): the delivery per host, auto's reason from
// the host's reach probe, and no delivery at all when the caller does not say (the default plan's DESIGN shape).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostFacts, Reach } from '../platform/types.ts';
import { planSummary } from '../report/summary.ts';
import type { HostFactsResult } from './facts-host.ts';
import { planFleet, planJson } from './plan-fleet.ts';
import { archiveName, hostFacts, TARGET } from './testing/builders.ts';

const FILE = archiveName(TARGET, 'linux', 'amd64');
const URL = `http://mirror.example/${FILE}`;
const result = (name: string, facts: HostFacts, reach?: Reach): HostFactsResult => ({
  name, reachable: true, facts, paths: { goroot: '/usr/local/go', versionsDir: '/usr/local/gofleet/versions' }, become: false,
  privilege: { elevate: false, how: 'none' }, error: null, warnings: [], ...(reach ? { reach } : {}),
});
const lookup = () => ({ filename: FILE, size: 1000, url: URL });
const fleet = [
  result('reaches', hostFacts(), { ok: true, status: 200, tool: 'curl', detail: '' }),
  result('walled', hostFacts(), { ok: false, status: null, tool: 'curl', detail: 'curl: (7) Failed to connect' }),
  result('cached', hostFacts({ cachedArchives: [FILE] })),
];

test('auto: pull where the probe answered, push where it did not, cached where the file is; reasons in JSON and text', () => {
  const plan = planFleet(fleet, TARGET, lookup, undefined, { distribution: 'auto' });
  const hosts = (planJson(plan) as { waves: { hosts: Record<string, unknown>[] }[] }).waves[0]?.hosts ?? [];
  assert.deepEqual(hosts.map((h) => [h.name, h.delivery]), [['reaches', 'pull'], ['walled', 'push'], ['cached', 'cached']]);
  assert.match(String(hosts[1]?.delivery_reason), /does not reach the source: curl: \(7\)/);
  const text = planSummary(plan);
  assert.match(text, /delivery/);
  assert.match(text, /note: walled: delivery push: auto: the host does not reach the source/);
});

test('without a distribution (default push plan): no delivery field, no column', () => {
  const plan = planFleet(fleet, TARGET, lookup);
  const hosts = (planJson(plan) as { waves: { hosts: Record<string, unknown>[] }[] }).waves[0]?.hosts ?? [];
  assert.equal(hosts.some((h) => 'delivery' in h), false);
  assert.doesNotMatch(planSummary(plan), /delivery/);
});

test('pull from a source without a URL: push, with the note', () => {
  const plan = planFleet([fleet[0] as HostFactsResult], TARGET, () => ({ filename: FILE, size: 1000, url: null }), undefined, { distribution: 'pull' });
  const [h] = plan.waves[0]?.hosts ?? [];
  assert.deepEqual([h?.delivery, h?.deliveryReason], ['push', 'no URL a host can pull from: local directory / goproxy']);
});
