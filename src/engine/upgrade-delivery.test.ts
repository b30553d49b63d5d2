// upgrade-host's delivery (--distribution, issue 12) on a fake connection and dialect: pull hands the host a
// URL instead of pushing, auto asks the host first (reach probe) and pushes when it cannot reach the source or
// its pull fails, and the result records the delivery.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Reach, UpgradeIntent } from '../platform/types.ts';
import type { ArchiveInfo, Distribution } from './context.ts';
import type { HostResult } from './events.ts';
import { upgradeHost } from './upgrade-host.ts';
import { fakeDialect, outcomeLine, stepLine } from './testing/fake-dialect.ts';
import { reply, type Reply } from './testing/fake-transport.ts';
import { archiveName, FROM, hostFacts, hostHarness, stepsOf, TARGET } from './testing/builders.ts';

const ARCHIVE = archiveName(TARGET, 'linux', 'amd64');
const URL = `http://mirror.example/golang/${ARCHIVE}`;
const CACHE = `/usr/local/gofleet/versions/.gofleet/cache/${ARCHIVE}`;
const switched = (): Reply => reply.ok(stepLine('switch', 'start') + stepLine('switch', 'ok') + outcomeLine({ result: 'switched', active: TARGET, previous: FROM }));
const pullFailed = (): Reply => reply.ok(stepLine('pull', 'start') + stepLine('pull', 'fail', { code: 'PULL_FAILED', message: 'curl: (22) 404' }) + outcomeLine({ result: 'failed', active: FROM, previous: FROM, code: 'PULL_FAILED', message: 'curl could not download: 404' }));

// a dialect with a reach probe: its script names the URL, the fake host answers the Reach as JSON
const dialect = fakeDialect({
  reachProbe: (url) => `#fake-script ${JSON.stringify({ kind: 'reach', intent: url })}\n`,
  parseReach: (stdout) => JSON.parse(stdout) as Reach,
});

function setup(o: { distribution: Distribution; url?: string | null; reach?: Reach; upgrade?: Reply[]; cached?: boolean }) {
  const info = (version: string): ArchiveInfo => ({ filename: archiveName(version, 'linux', 'amd64'), sha256: 'ab'.repeat(32), size: 70 * 1024 ** 2, url: o.url === undefined ? URL : o.url });
  const facts = o.cached ? hostFacts({ cachedArchives: [ARCHIVE] }) : hostFacts();
  const h = hostHarness({
    host: { facts: [facts], scripts: { upgrade: o.upgrade ?? [switched()], ...(o.reach ? { reach: [reply.ok(JSON.stringify(o.reach))] } : {}) } },
    ctx: { distribution: o.distribution, dialectFor: () => dialect, archiveInfo: async (v) => info(v) },
  });
  return { ...h, upgrade: (): Promise<HostResult> => upgradeHost(h.spec, TARGET, h.ctx, h.sessions) };
}

const archivesGiven = (h: ReturnType<typeof setup>) => h.host.intents<UpgradeIntent>('upgrade').map((i) => i.archive);

test('pull: no download or upload on the controller; the host script gets the URL and the cache path', async () => {
  const h = setup({ distribution: 'pull' });
  const r = await h.upgrade();
  assert.equal(r.status, 'upgraded');
  assert.equal(r.delivery, 'pull');
  assert.deepEqual(h.host.puts, []);
  assert.deepEqual(h.archiveCalls, [], 'no fetchArchive (archiveInfo is this test\'s own)');
  assert.deepEqual(archivesGiven(h), [{ filename: ARCHIVE, sha256: 'ab'.repeat(32), size: 70 * 1024 ** 2, remotePath: CACHE, pullUrl: URL }]);
});

test('pull from a source without a URL (local directory, goproxy): pushed, and the result says why', async () => {
  const h = setup({ distribution: 'pull', url: null });
  const r = await h.upgrade();
  assert.equal(r.delivery, 'push');
  assert.equal(r.deliveryReason, 'no URL a host can pull from: local directory / goproxy');
  assert.equal(h.host.puts.length, 1);
  assert.deepEqual(h.archiveCalls, [`fetchArchive ${TARGET} linux amd64`]);
  assert.equal(archivesGiven(h)[0]?.pullUrl, undefined);
});

test('pull (explicit): PULL_FAILED is the host\'s failure; nothing is pushed', async () => {
  const h = setup({ distribution: 'pull', upgrade: [pullFailed()] });
  const r = await h.upgrade();
  assert.equal(r.status, 'failed');
  assert.equal(r.error?.code, 'PULL_FAILED');
  assert.deepEqual(h.host.puts, []);
  assert.deepEqual(h.host.kinds(), ['facts', 'upgrade']);
});

test('auto, the host reaches the source: probe, then pull', async () => {
  const h = setup({ distribution: 'auto', reach: { ok: true, status: 200, tool: 'curl', detail: 'HTTP 200 from curl' } });
  const r = await h.upgrade();
  assert.deepEqual(h.host.kinds(), ['facts', 'reach', 'upgrade']);
  assert.deepEqual(h.host.intents<string>('reach'), [URL]);
  assert.equal(r.delivery, 'pull');
  assert.equal(r.deliveryReason, 'auto: the host reaches the source (HTTP 200 via curl)');
  assert.ok(stepsOf(r).includes('reach:ok'));
  assert.deepEqual(h.host.puts, []);
});

test('auto, the host does not reach the source: pushed', async () => {
  const h = setup({ distribution: 'auto', reach: { ok: false, status: null, tool: 'curl', detail: 'curl: (7) Failed to connect' } });
  const r = await h.upgrade();
  assert.equal(r.delivery, 'push');
  assert.match(r.deliveryReason ?? '', /does not reach the source: curl: \(7\)/);
  assert.equal(h.host.puts.length, 1);
  assert.equal(archivesGiven(h)[0]?.pullUrl, undefined);
});

test('auto, the probe answered but the pull failed: pushed and run once more', async () => {
  const h = setup({ distribution: 'auto', reach: { ok: true, status: 200, tool: 'curl', detail: '' }, upgrade: [pullFailed(), switched()] });
  const r = await h.upgrade();
  assert.equal(r.status, 'upgraded');
  assert.equal(r.delivery, 'push');
  assert.match(r.deliveryReason ?? '', /^auto: the pull failed, pushed instead/);
  assert.deepEqual(h.host.kinds(), ['facts', 'reach', 'upgrade', 'upgrade']);
  assert.deepEqual(archivesGiven(h).map((a) => a?.pullUrl ?? 'pushed'), [URL, 'pushed']);
  assert.equal(h.host.puts.length, 1);
});

test('auto with the archive in the host cache: no probe, cached', async () => {
  const h = setup({ distribution: 'auto', cached: true });
  const r = await h.upgrade();
  assert.deepEqual(h.host.kinds(), ['facts', 'upgrade']);
  assert.equal(r.delivery, 'cached');
});
