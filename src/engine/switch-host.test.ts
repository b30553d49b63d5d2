// switch-host's decisions (`use VERSION`, `rollback`), on a fake connection and dialect: which version is the
// target, when no host script runs, the link restored by a rollback after --adopt-link, and the word `switched`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RestoreLinkIntent, SwitchIntent } from '../platform/types.ts';
import type { EngineContext } from './context.ts';
import type { HostResult } from './events.ts';
import { switchHost } from './switch-host.ts';
import { outcomeLine } from './testing/fake-dialect.ts';
import { reply, type Reply } from './testing/fake-transport.ts';
import type { FactsAnswer } from './testing/scripted-host.ts';
import { factsOn, FROM, hostFacts, hostHarness, stepsOf, TARGET, type Harness } from './testing/builders.ts';

const BOTH = [FROM, TARGET];
const switchedTo = (active: string, previous: string): Reply => reply.ok(outcomeLine({ result: 'switched', active, previous }));

interface Options {
  facts?: FactsAnswer[];
  switchTo?: Reply[];
  restoreLink?: Reply[];
  ctx?: Partial<EngineContext>;
}

function setup(o: Options = {}): Harness & { use(version: string | null): Promise<HostResult> } {
  const h = hostHarness({ host: { facts: o.facts ?? [hostFacts({ managed: { versions: BOTH } })], scripts: { switchTo: o.switchTo ?? [switchedTo(TARGET, FROM)], restoreLink: o.restoreLink ?? [] } }, ...(o.ctx ? { ctx: o.ctx } : {}) });
  return { ...h, use: (version) => switchHost(h.spec, version, h.ctx, h.sessions) };
}

const summary = (r: HostResult): string => `${r.status} ${r.from} -> ${r.to}${r.error ? ` ${r.error.code}` : ''}`;

test('use an installed version: one switch script, reported `switched`', { timeout: 5_000 }, async () => {
  const h = setup();
  const r = await h.use(TARGET);
  assert.equal(summary(r), `switched ${FROM} -> ${TARGET}`);
  assert.deepEqual(h.host.kinds(), ['facts', 'switchTo']);
  assert.deepEqual(h.host.intents<SwitchIntent>('switchTo'), [{ paths: { goroot: '/usr/local/go', versionsDir: '/usr/local/gofleet/versions' }, target: TARGET, verify: { build: true, requirePath: true }, run: 'run-1' }]);
});

test('rollback: the target is the version before the last switch', { timeout: 5_000 }, async () => {
  const h = setup({ facts: [factsOn(TARGET, { managed: { previous: FROM } })], switchTo: [switchedTo(FROM, TARGET)] });
  const r = await h.use(null);
  assert.equal(summary(r), `switched ${TARGET} -> ${FROM}`);
  assert.equal(h.host.intents<SwitchIntent>('switchTo')[0]?.target, FROM);
});

test('rollback with no earlier switch recorded: NO_PREVIOUS_VERSION, nothing run', { timeout: 5_000 }, async () => {
  const h = setup();
  const r = await h.use(null);
  assert.equal(summary(r), `failed ${FROM} -> null NO_PREVIOUS_VERSION`);
  assert.deepEqual(h.host.kinds(), ['facts']);
});

test('rollback after a switch away from an outside link: goroot back to that link, reported switched to the link', { timeout: 5_000 }, async () => {
  const link = '/opt/go-custom';
  const h = setup({ facts: [factsOn(TARGET, { managed: { previousLink: link } })], restoreLink: [reply.ok(outcomeLine({ result: 'switched', active: null, previous: TARGET }))] });
  const r = await h.use(null);
  assert.equal(summary(r), `switched ${TARGET} -> ${link}`);
  assert.deepEqual(h.host.kinds(), ['facts', 'restoreLink']);
  assert.deepEqual(h.host.intents<RestoreLinkIntent>('restoreLink'), [{ paths: { goroot: '/usr/local/go', versionsDir: '/usr/local/gofleet/versions' }, run: 'run-1' }]);
});

test('a recorded previous version wins over a recorded outside link', { timeout: 5_000 }, async () => {
  const h = setup({ facts: [factsOn(TARGET, { managed: { previous: FROM, previousLink: '/opt/go-custom' } })], switchTo: [switchedTo(FROM, TARGET)] });
  await h.use(null);
  assert.deepEqual(h.host.kinds(), ['facts', 'switchTo']);
});

test('already on the version: unchanged, no script; unless its switch was never verified', { timeout: 5_000 }, async () => {
  const at = setup({ facts: [factsOn(TARGET)] });
  assert.equal(summary(await at.use(TARGET)), `unchanged ${TARGET} -> ${TARGET}`);
  assert.deepEqual(at.host.kinds(), ['facts']);
  const unverified = setup({ facts: [factsOn(TARGET, { managed: { unverified: TARGET } })], switchTo: [switchedTo(TARGET, TARGET)] });
  assert.equal((await unverified.use(TARGET)).status, 'switched');
  assert.deepEqual(unverified.host.kinds(), ['facts', 'switchTo']);
});

test('the version by name in a real directory (not a link): switched into management, not unchanged', { timeout: 5_000 }, async () => {
  const h = setup({ facts: [hostFacts({ goroot: { state: 'dir', version: TARGET, target: null }, managed: { active: null, versions: BOTH } })], switchTo: [switchedTo(TARGET, TARGET)] });
  await h.use(TARGET);
  assert.deepEqual(h.host.kinds(), ['facts', 'switchTo']);
});

test('a version that is not installed: VERSION_NOT_INSTALLED naming what is', { timeout: 5_000 }, async () => {
  const h = setup({ facts: [hostFacts()] });
  const r = await h.use(TARGET);
  assert.equal(summary(r), `failed ${FROM} -> ${TARGET} VERSION_NOT_INSTALLED`);
  assert.match(r.error?.message ?? '', /installed: go1\.26\.8\)/);
  assert.deepEqual(h.host.kinds(), ['facts']);
});

test('a goroot link to something that is not a toolchain: refused, unless --adopt-link (which reaches the script)', { timeout: 5_000 }, async () => {
  const foreign = hostFacts({ goroot: { target: '/opt/other', physical: '/opt/other', version: null, hasGo: false }, managed: { active: null, versions: BOTH } });
  const refused = setup({ facts: [foreign] });
  assert.equal((await refused.use(TARGET)).error?.code, 'GOROOT_NOT_TOOLCHAIN');
  assert.deepEqual(refused.host.kinds(), ['facts']);
  const adopted = setup({ facts: [foreign], ctx: { adoptLink: true } });
  assert.equal((await adopted.use(TARGET)).status, 'switched');
  assert.equal(adopted.host.intents<SwitchIntent>('switchTo')[0]?.adoptLink, true);
});

test('Ctrl-C before the switch script: skipped INTERRUPTED, nothing run', { timeout: 5_000 }, async () => {
  const stop = new AbortController();
  const h = setup({ ctx: { signal: stop.signal } });
  const dialectFor = h.ctx.dialectFor;
  // abort once the facts are in: the next thing that looks is the interrupt check
  h.ctx.dialectFor = (os) => {
    const d = dialectFor(os);
    return { ...d, parseFacts: (s) => (stop.abort(), d.parseFacts(s)) };
  };
  const r = await h.use(TARGET);
  assert.equal(summary(r), `skipped ${FROM} -> ${TARGET} INTERRUPTED`);
  assert.deepEqual(h.host.kinds(), ['facts']);
});

test('processes still using the toolchain: skipped HOST_BUSY, for a version and for a restored link alike', { timeout: 5_000 }, async () => {
  const busy = [{ pid: '9', exe: '/usr/local/go/bin/go' }];
  const drain = { timeoutMs: 0, force: false };
  const use = setup({ facts: [hostFacts({ busy, managed: { versions: BOTH } })], ctx: { drain } });
  assert.equal(summary(await use.use(TARGET)), `skipped ${FROM} -> ${TARGET} HOST_BUSY`);
  const link = setup({ facts: [factsOn(TARGET, { busy, managed: { previousLink: '/opt/go-custom' } })], ctx: { drain } });
  assert.equal(summary(await link.use(null)), `skipped ${TARGET} -> /opt/go-custom HOST_BUSY`);
  assert.deepEqual([use.host.kinds(), link.host.kinds()], [['facts'], ['facts']]);
});

test('the switch script rolled back: rolled_back with its code', { timeout: 5_000 }, async () => {
  const h = setup({ switchTo: [reply.ok(outcomeLine({ result: 'rolled_back', active: FROM, previous: FROM, code: 'VERIFY_FAILED' }))] });
  const r = await h.use(TARGET);
  assert.equal(summary(r), `rolled_back ${FROM} -> ${TARGET} VERIFY_FAILED`);
  assert.deepEqual(stepsOf(r), ['connect:ok', 'facts:ok']);
});
