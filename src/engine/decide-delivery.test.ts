import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideDelivery, needsReach, NO_PULL_URL, type DeliveryInput } from './decide-delivery.ts';

const URL = 'http://mirror.example/golang/go1.27.3.linux-amd64.tar.gz';
const REACHED = { ok: true, status: 200, tool: 'curl', detail: 'HTTP 200 from curl' };
const REFUSED = { ok: false, status: null, tool: 'curl', detail: 'curl: (7) Failed to connect' };
const base: DeliveryInput = { distribution: 'push', stages: true, cached: false, url: URL };

const CASES: [string, Partial<DeliveryInput>, string, string | RegExp][] = [
  ['installed: nothing to deliver, whatever --distribution says', { distribution: 'pull', stages: false }, 'none', 'installed already'],
  ['cached on the host', { distribution: 'auto', cached: true }, 'cached', 'archive in the host cache'],
  ['push (default)', {}, 'push', ''],
  ['pull with a URL', { distribution: 'pull' }, 'pull', ''],
  ['pull without a URL: push, with a note', { distribution: 'pull', url: null }, 'push', NO_PULL_URL],
  ['auto without a URL: push, with a note', { distribution: 'auto', url: undefined }, 'push', NO_PULL_URL],
  ['auto, the host reached the source', { distribution: 'auto', reach: REACHED }, 'pull', 'auto: the host reaches the source (HTTP 200 via curl)'],
  ['auto, the host did not', { distribution: 'auto', reach: REFUSED }, 'push', /^auto: the host does not reach the source: curl: \(7\)/],
  ['pull to a host whose dialect cannot pull yet: push', { distribution: 'pull', hostCanPull: false }, 'push', "this host's shell cannot pull yet"],
  ['auto, not probed', { distribution: 'auto' }, 'push', 'auto: the host was not probed'],
];

for (const [name, over, delivery, reason] of CASES) {
  test(`decideDelivery: ${name}`, () => {
    const d = decideDelivery({ ...base, ...over });
    assert.equal(d.delivery, delivery);
    if (typeof reason === 'string') assert.equal(d.reason, reason);
    else assert.match(d.reason, reason);
  });
}

test('needsReach: only auto, and only when the host would otherwise need the file and there is a URL', () => {
  assert.equal(needsReach({ ...base, distribution: 'auto' }), true);
  assert.equal(needsReach({ ...base, distribution: 'pull' }), false);
  assert.equal(needsReach({ ...base, distribution: 'auto', cached: true }), false);
  assert.equal(needsReach({ ...base, distribution: 'auto', stages: false }), false);
  assert.equal(needsReach({ ...base, distribution: 'auto', url: null }), false);
  assert.equal(needsReach({ ...base, distribution: 'auto', hostCanPull: false }), false);
});
