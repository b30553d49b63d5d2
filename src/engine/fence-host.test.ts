// A fenced context (EngineContext.fence, issue 14) on a fake connection and dialect: its token reaches every host
// script it sends (upgrade, use, rollback to a link), a live lock of its own run is left to the host script (which
// judges it by the tokens) instead of being HOST_LOCKED by the planner, and LEASE_LOST comes back as the host's
// failure. Unfenced contexts plan as before.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostFacts, RestoreLinkIntent, SwitchIntent, UpgradeIntent } from '../platform/types.ts';
import { ownLock } from './own-lock.ts';
import { switchHost } from './switch-host.ts';
import { upgradeHost } from './upgrade-host.ts';
import { outcomeLine, stepLine } from './testing/fake-dialect.ts';
import { reply } from './testing/fake-transport.ts';
import { factsOn, FROM, hostFacts, hostHarness, TARGET } from './testing/builders.ts';

const OWN_LOCK = { pid: '77', run: 'run-1', since: '2026-12-03T12:00:00Z', stale: false };
const switched = reply.ok(stepLine('switch', 'start') + stepLine('switch', 'ok') + outcomeLine({ result: 'switched', active: TARGET, previous: FROM }));
const lost = reply.ok(outcomeLine({ result: 'failed', active: FROM, previous: FROM, code: 'LEASE_LOST', message: 'lock taken over under fencing token 6' }));

test('the token reaches the upgrade, switch and restore-link scripts', { timeout: 5_000 }, async () => {
  const up = hostHarness({ host: { facts: [hostFacts()], scripts: { upgrade: [switched] } }, ctx: { fence: { token: 5 } } });
  assert.equal((await upgradeHost(up.spec, TARGET, up.ctx, up.sessions)).status, 'upgraded');
  assert.equal(up.host.intents<UpgradeIntent>('upgrade')[0]?.fence, 5);
  const use = hostHarness({ host: { facts: [hostFacts({ managed: { versions: [FROM, TARGET] } })], scripts: { switchTo: [switched] } }, ctx: { fence: { token: 6 } } });
  await switchHost(use.spec, TARGET, use.ctx, use.sessions);
  assert.equal(use.host.intents<SwitchIntent>('switchTo')[0]?.fence, 6);
  const link = hostHarness({
    host: { facts: [factsOn(TARGET, { managed: { previousLink: '/opt/go' } })], scripts: { restoreLink: [reply.ok(outcomeLine({ result: 'switched', active: null, previous: TARGET }))] } },
    ctx: { fence: { token: 7 } },
  });
  await switchHost(link.spec, null, link.ctx, link.sessions);
  assert.equal(link.host.intents<RestoreLinkIntent>('restoreLink')[0]?.fence, 7);
  const plain = hostHarness({ host: { facts: [hostFacts()], scripts: { upgrade: [switched] } } });
  await upgradeHost(plain.spec, TARGET, plain.ctx, plain.sessions);
  assert.equal('fence' in (plain.host.intents<UpgradeIntent>('upgrade')[0] ?? {}), false, 'unfenced: no token');
});

test('a live lock of its own run: fenced, the host script decides (LEASE_LOST is the host\'s failure); unfenced, HOST_LOCKED unrun', { timeout: 5_000 }, async () => {
  const fenced = hostHarness({ host: { facts: [hostFacts({ lock: OWN_LOCK })], scripts: { upgrade: [lost] } }, ctx: { fence: { token: 5 } } });
  const r = await upgradeHost(fenced.spec, TARGET, fenced.ctx, fenced.sessions);
  assert.deepEqual([r.status, r.error?.code], ['failed', 'LEASE_LOST']);
  assert.match(r.error?.hint ?? '', /Another worker holds this host now/);
  assert.deepEqual(fenced.host.kinds(), ['facts', 'upgrade']);
  const plain = hostHarness({ host: { facts: [hostFacts({ lock: OWN_LOCK })], scripts: { upgrade: [switched] } } });
  const p = await upgradeHost(plain.spec, TARGET, plain.ctx, plain.sessions);
  assert.equal(p.error?.code, 'HOST_LOCKED');
  assert.deepEqual(plain.host.kinds(), ['facts']);
});

test('ownLock drops only a lock of its own run from the facts, and only when fenced', () => {
  const facts = (lock: HostFacts['lock']): HostFacts => ({ lock }) as HostFacts;
  assert.equal(ownLock(facts(OWN_LOCK), 'run-1', true).facts.lock, null);
  assert.deepEqual(ownLock(facts(OWN_LOCK), 'run-1', false).facts.lock, OWN_LOCK);
  assert.deepEqual(ownLock(facts(OWN_LOCK), 'run-2', true).facts.lock, OWN_LOCK);
});
