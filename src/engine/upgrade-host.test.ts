// upgrade-host's decisions, on a fake connection and dialect: when the host script runs at all, whether the
// archive is downloaded and pushed or taken from the host's cache, the retry after a bad cached copy, waiting
// for another run's lock, Ctrl-C before the host script, and what the script's outcome makes of the host.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../errors.ts';
import type { UpgradeIntent } from '../platform/types.ts';
import type { EngineContext } from './context.ts';
import type { HostResult } from './events.ts';
import { upgradeHost } from './upgrade-host.ts';
import { outcomeLine, readCommand, stepLine } from './testing/fake-dialect.ts';
import { reply, type PutCall, type Reply } from './testing/fake-transport.ts';
import type { FactsAnswer } from './testing/scripted-host.ts';
import { archiveName, factsOn, FROM, hostFacts, hostHarness, stepsOf, TARGET, type Harness } from './testing/builders.ts';
import type { HostSpec } from '../inventory/types.ts';

const ARCHIVE = archiveName(TARGET, 'linux', 'amd64');
const SWITCHED = outcomeLine({ result: 'switched', active: TARGET, previous: FROM });
const switched = (): Reply => reply.ok(stepLine('switch', 'start') + stepLine('switch', 'ok') + SWITCHED);
const failedWith = (code: string): Reply => reply.ok(outcomeLine({ result: 'failed', active: FROM, previous: FROM, code, message: code.toLowerCase() }));
const OTHER_LOCK = { pid: '77', run: 'run-0', since: '2026-01-01T00:00:00Z', stale: false };

interface Options {
  facts?: FactsAnswer[];
  upgrade?: Reply[];
  spec?: Partial<HostSpec>;
  ctx?: Partial<EngineContext>;
  onPut?: (call: PutCall) => void | Promise<void>;
}

function setup(o: Options = {}): Harness & { upgrade(): Promise<HostResult> } {
  const h = hostHarness({
    host: { facts: o.facts ?? [hostFacts()], scripts: { upgrade: o.upgrade ?? [switched()] }, ...(o.onPut ? { onPut: o.onPut } : {}) },
    ...(o.spec ? { spec: o.spec } : {}),
    ...(o.ctx ? { ctx: o.ctx } : {}),
  });
  return { ...h, upgrade: () => upgradeHost(h.spec, TARGET, h.ctx, h.sessions) };
}

const summary = (r: HostResult): string => `${r.status} ${r.from} -> ${r.to}${r.error ? ` ${r.error.code}` : ''}`;

test('a host behind: download, upload, one host script; upgraded', { timeout: 5_000 }, async () => {
  const h = setup();
  const r = await h.upgrade();
  assert.equal(summary(r), `upgraded ${FROM} -> ${TARGET}`);
  assert.deepEqual(stepsOf(r), ['connect:ok', 'facts:ok', 'download:ok', 'upload:ok', 'switch:ok']);
  assert.deepEqual(h.archiveCalls, [`archiveInfo ${TARGET} linux amd64`, `fetchArchive ${TARGET} linux amd64`]);
  assert.deepEqual(h.host.kinds(), ['facts', 'upgrade']);
  const [put] = h.host.puts;
  assert.deepEqual([put?.local, put?.remote, put?.options.mode], [`/controller/cache/${ARCHIVE}`, `/upload/user/run-1-h1/${ARCHIVE}`, 0o600]);
  const [intent] = h.host.intents<UpgradeIntent>('upgrade');
  assert.deepEqual(intent, {
    paths: { goroot: '/usr/local/go', versionsDir: '/usr/local/gofleet/versions' },
    target: TARGET,
    archive: { filename: ARCHIVE, sha256: 'ab'.repeat(32), size: 70 * 1024 ** 2, remotePath: `/upload/user/run-1-h1/${ARCHIVE}` },
    verify: { build: true, requirePath: true },
    run: 'run-1',
  });
});

test('already at the target: unchanged, no archive looked up, no host script', { timeout: 5_000 }, async () => {
  const h = setup({ facts: [factsOn(TARGET)] });
  const r = await h.upgrade();
  assert.equal(summary(r), `unchanged ${TARGET} -> ${TARGET}`);
  assert.deepEqual(h.archiveCalls, []);
  assert.deepEqual(h.host.kinds(), ['facts']);
  assert.deepEqual(h.host.puts, []);
});

test('a plan that refuses the host fails it with the plan\'s code; nothing is pushed or run', { timeout: 5_000 }, async () => {
  const h = setup({ facts: [hostFacts({ writable: false })] });
  const r = await h.upgrade();
  assert.equal(summary(r), `failed ${FROM} -> ${TARGET} NO_PRIVILEGE`);
  assert.deepEqual(h.host.kinds(), ['facts']);
  assert.deepEqual(h.host.puts, []);
});

test('become set and the user cannot write: the script and the upload go through sudo', { timeout: 5_000 }, async () => {
  const h = setup({ spec: { become: true }, facts: [hostFacts({ writable: false })] });
  assert.equal((await h.upgrade()).status, 'upgraded');
  assert.deepEqual(readCommand(h.host.calls.at(-1)?.command ?? ''), { become: true, becomePassword: false });
  assert.equal(h.host.puts[0]?.remote, `/upload/become/run-1-h1/${ARCHIVE}`);
});

test('sudo asking for a password: planned with the password when one is known, refused without', { timeout: 5_000 }, async () => {
  const facts = [hostFacts({ writable: false, sudo: 'password-required' })];
  const known = setup({ spec: { become: true }, facts, ctx: { becomePassword: () => 'pw' } });
  assert.equal((await known.upgrade()).status, 'upgraded');
  assert.deepEqual(readCommand(known.host.calls.at(-1)?.command ?? ''), { become: true, becomePassword: true });
  const unknown = setup({ spec: { become: true }, facts });
  assert.equal(summary(await unknown.upgrade()), `failed ${FROM} -> ${TARGET} BECOME_FAILED`);
  assert.deepEqual(unknown.host.kinds(), ['facts']);
});

test('the archive already in the host cache: no download, upload skipped, the script uses the cached copy', { timeout: 5_000 }, async () => {
  const h = setup({ facts: [hostFacts({ cachedArchives: [ARCHIVE] })] });
  const r = await h.upgrade();
  assert.equal(r.status, 'upgraded');
  assert.deepEqual(h.archiveCalls, [`archiveInfo ${TARGET} linux amd64`]);
  assert.deepEqual(h.host.puts, []);
  assert.deepEqual(stepsOf(r).slice(0, 3), ['connect:ok', 'facts:ok', 'upload:skip']);
  assert.equal(h.host.intents<UpgradeIntent>('upgrade')[0]?.archive?.remotePath, `/usr/local/gofleet/versions/.gofleet/cache/${ARCHIVE}`);
});

test('the target already installed: nothing staged, the script gets no archive', { timeout: 5_000 }, async () => {
  const h = setup({ facts: [hostFacts({ managed: { versions: [FROM, TARGET] } })] });
  assert.equal((await h.upgrade()).status, 'upgraded');
  assert.deepEqual(h.archiveCalls, [`archiveInfo ${TARGET} linux amd64`]);
  assert.deepEqual(h.host.puts, []);
  assert.equal(h.host.intents<UpgradeIntent>('upgrade')[0]?.archive, null);
});

test('a bad cached copy (CHECKSUM_MISMATCH from the cache): the verified archive is pushed and the script runs once more', { timeout: 5_000 }, async () => {
  const h = setup({ facts: [hostFacts({ cachedArchives: [ARCHIVE] })], upgrade: [failedWith('CHECKSUM_MISMATCH'), switched()] });
  const r = await h.upgrade();
  assert.equal(summary(r), `upgraded ${FROM} -> ${TARGET}`);
  assert.deepEqual(h.host.kinds(), ['facts', 'upgrade', 'upgrade']);
  assert.deepEqual(h.host.intents<UpgradeIntent>('upgrade').map((i) => i.archive?.remotePath), [
    `/usr/local/gofleet/versions/.gofleet/cache/${ARCHIVE}`,
    `/upload/user/run-1-h1/${ARCHIVE}`,
  ]);
  assert.ok(r.warnings.some((w) => w.includes(`was not ${ARCHIVE} as published`)));
});

test('CHECKSUM_MISMATCH of an archive just uploaded, or with nothing staged: no second try', { timeout: 5_000 }, async () => {
  const uploaded = setup({ upgrade: [failedWith('CHECKSUM_MISMATCH')] });
  assert.equal(summary(await uploaded.upgrade()), `failed ${FROM} -> ${TARGET} CHECKSUM_MISMATCH`);
  assert.deepEqual(uploaded.host.kinds(), ['facts', 'upgrade']);
  const installed = setup({ facts: [hostFacts({ managed: { versions: [FROM, TARGET] } })], upgrade: [failedWith('CHECKSUM_MISMATCH')] });
  assert.equal((await installed.upgrade()).status, 'failed');
  assert.deepEqual(installed.host.kinds(), ['facts', 'upgrade']);
});

test('another failure from a cached copy is not retried', { timeout: 5_000 }, async () => {
  const h = setup({ facts: [hostFacts({ cachedArchives: [ARCHIVE] })], upgrade: [failedWith('STAGE_FAILED')] });
  assert.equal(summary(await h.upgrade()), `failed ${FROM} -> ${TARGET} STAGE_FAILED`);
  assert.deepEqual(h.host.kinds(), ['facts', 'upgrade']);
});

test('the upload token is unique per host and safe as a file name', { timeout: 5_000 }, async () => {
  const h = setup({ spec: { name: 'web 1/a' } });
  await h.upgrade();
  assert.equal(h.host.puts[0]?.remote, `/upload/user/run-1-web_1_a/${ARCHIVE}`);
});

test('--adopt-link reaches the host script; without it the intent has no adoptLink', { timeout: 5_000 }, async () => {
  const adopt = setup({ ctx: { adoptLink: true } });
  await adopt.upgrade();
  assert.equal(adopt.host.intents<UpgradeIntent>('upgrade')[0]?.adoptLink, true);
  const plain = setup();
  await plain.upgrade();
  assert.equal('adoptLink' in (plain.host.intents<UpgradeIntent>('upgrade')[0] ?? {}), false);
});

test('Ctrl-C after the facts: skipped as INTERRUPTED, nothing pushed or run', { timeout: 5_000 }, async () => {
  const stop = new AbortController();
  const h = setup({ ctx: { signal: stop.signal } });
  const info = h.ctx.archiveInfo;
  h.ctx.archiveInfo = (...args) => {
    stop.abort();
    return info(...args);
  };
  const r = await h.upgrade();
  assert.equal(summary(r), `skipped ${FROM} -> ${TARGET} INTERRUPTED`);
  assert.deepEqual(h.host.kinds(), ['facts']);
  assert.deepEqual(h.host.puts, []);
});

test('Ctrl-C during the upload: the host script never starts', { timeout: 5_000 }, async () => {
  const stop = new AbortController();
  const h = setup({ ctx: { signal: stop.signal }, onPut: () => stop.abort() });
  const r = await h.upgrade();
  assert.equal(summary(r), `skipped ${FROM} -> ${TARGET} INTERRUPTED`);
  assert.deepEqual(h.host.kinds(), ['facts']);
  assert.equal(h.host.puts.length, 1);
});

test('an upload that fails fails the host before its script runs', { timeout: 5_000 }, async () => {
  const h = setup({
    onPut: () => {
      throw new GofleetError('TRANSFER_FAILED', 'h1: sftp write failed');
    },
  });
  const r = await h.upgrade();
  assert.equal(summary(r), `failed ${FROM} -> ${TARGET} TRANSFER_FAILED`);
  assert.deepEqual(stepsOf(r).slice(-1), ['upload:fail:TRANSFER_FAILED']);
  assert.deepEqual(h.host.kinds(), ['facts']);
});

test('processes still using the toolchain at the drain deadline: skipped HOST_BUSY, untouched', { timeout: 5_000 }, async () => {
  const busy = [{ pid: '9', exe: '/usr/local/go/bin/go' }];
  const h = setup({ facts: [hostFacts({ busy })], ctx: { drain: { timeoutMs: 0, force: false } } });
  const r = await h.upgrade();
  assert.equal(summary(r), `skipped ${FROM} -> ${TARGET} HOST_BUSY`);
  assert.deepEqual(h.host.kinds(), ['facts']);
});

test('another run holds the lock: wait for it, read the host again, then upgrade', { timeout: 5_000 }, async () => {
  const h = setup({ facts: [hostFacts({ lock: OTHER_LOCK }), hostFacts()] });
  const r = await h.upgrade();
  assert.equal(r.status, 'upgraded');
  assert.deepEqual(h.host.kinds(), ['facts', 'facts', 'upgrade']);
  assert.deepEqual(stepsOf(r).slice(0, 3), ['connect:ok', 'facts:ok', 'lock:ok']);
  // the lock was gone by the first read of the wait: no holder named
  assert.ok(r.warnings.includes('another gofleet run held the host lock; waited for it, then read the host again'), r.warnings.join('\n'));
});

test('the other run brought the host to the target meanwhile: unchanged', { timeout: 5_000 }, async () => {
  const h = setup({ facts: [hostFacts({ lock: OTHER_LOCK }), factsOn(TARGET)] });
  const r = await h.upgrade();
  assert.equal(summary(r), `unchanged ${TARGET} -> ${TARGET}`);
  assert.deepEqual(h.host.kinds(), ['facts', 'facts']);
});

test('another run\'s lock held for two more reads: polled every ctx.pollMs, then upgraded', { timeout: 1_500 }, async () => {
  // with the 2 s poll hard-coded this test timed out: two waits between the wait's three reads
  const held = hostFacts({ lock: OTHER_LOCK });
  const h = setup({ facts: [held, held, held, hostFacts()], ctx: { pollMs: 1 } });
  const r = await h.upgrade();
  assert.equal(summary(r), `upgraded ${FROM} -> ${TARGET}`);
  assert.deepEqual(h.host.kinds(), ['facts', 'facts', 'facts', 'facts', 'upgrade']);
  assert.ok(r.warnings.includes('another gofleet run (run-0) held the host lock; waited for it, then read the host again'), r.warnings.join('\n'));
});

test('a stale lock of another run is not waited for', { timeout: 5_000 }, async () => {
  const stale = setup({ facts: [hostFacts({ lock: { ...OTHER_LOCK, stale: true } })] });
  assert.equal((await stale.upgrade()).status, 'upgraded');
  assert.deepEqual(stale.host.kinds(), ['facts', 'upgrade']);
});

test('another run\'s lock never released: HOST_LOCKED at the deadline, nothing run', { timeout: 5_000 }, async () => {
  const h = setup({ facts: [hostFacts({ lock: OTHER_LOCK })] });
  h.clock.step = 3_600_000;
  const r = await h.upgrade();
  // the version the probe read, although the wait never ended
  assert.equal(summary(r), `failed ${FROM} -> ${TARGET} HOST_LOCKED`);
  assert.match(r.error?.message ?? '', /still locked by run run-0 \(pid 77\)/);
  assert.deepEqual(h.host.kinds(), ['facts', 'facts']);
});

test('the other run took the lock just before our script (HOST_LOCKED outcome): wait, re-plan, run again', { timeout: 5_000 }, async () => {
  const h = setup({ upgrade: [failedWith('HOST_LOCKED'), switched()] });
  const r = await h.upgrade();
  assert.equal(r.status, 'upgraded');
  assert.deepEqual(h.host.kinds(), ['facts', 'upgrade', 'facts', 'upgrade']);
});

test('HOST_LOCKED outcomes are waited for three times, then the host fails HOST_LOCKED', { timeout: 5_000 }, async () => {
  const locked = failedWith('HOST_LOCKED');
  const h = setup({ upgrade: [locked, locked, locked, locked, switched()] });
  const r = await h.upgrade();
  assert.equal(summary(r), `failed ${FROM} -> ${TARGET} HOST_LOCKED`);
  assert.deepEqual(h.host.kinds(), ['facts', 'upgrade', 'facts', 'upgrade', 'facts', 'upgrade', 'facts', 'upgrade']);
});

test('the script\'s outcome decides the host: rolled back, rollback failed, failed, interrupted before the switch', { timeout: 5_000 }, async () => {
  const cases: [Reply, string][] = [
    [reply.ok(outcomeLine({ result: 'rolled_back', active: FROM, previous: FROM, code: 'VERIFY_FAILED' })), `rolled_back ${FROM} -> ${TARGET} VERIFY_FAILED`],
    [reply.ok(outcomeLine({ result: 'rollback_failed', active: TARGET, previous: FROM, code: 'ROLLBACK_FAILED' })), `failed ${FROM} -> ${TARGET} ROLLBACK_FAILED`],
    [failedWith('STAGE_FAILED'), `failed ${FROM} -> ${TARGET} STAGE_FAILED`],
    [failedWith('INTERRUPTED'), `skipped ${FROM} -> ${TARGET} INTERRUPTED`],
  ];
  for (const [answer, want] of cases) assert.equal(summary(await setup({ upgrade: [answer] }).upgrade()), want);
});

test('a second Ctrl-C after the switch: the host script rolls back, the host is rolled_back INTERRUPTED', { timeout: 5_000 }, async () => {
  const abortHosts = new AbortController();
  const rolledBack = reply.ok(stepLine('rollback', 'start') + stepLine('rollback', 'ok') + outcomeLine({ result: 'rolled_back', active: FROM, previous: FROM, code: 'INTERRUPTED', message: 'interrupted' }));
  const h = setup({ ctx: { abortHosts: abortHosts.signal }, upgrade: [reply.onInterrupt(stepLine('switch', 'start'), rolledBack)] });
  const running = h.upgrade();
  // abort once the host script reported its switch
  await new Promise<void>((resolve) => {
    const check = (): void => (h.events.some((e) => e.kind === 'host-step' && e.step === 'switch') ? resolve() : void setImmediate(check));
    check();
  });
  abortHosts.abort();
  const r = await running;
  assert.equal(summary(r), `rolled_back ${FROM} -> ${TARGET} INTERRUPTED`);
  assert.deepEqual(stepsOf(r).slice(-2), ['switch:running', 'rollback:ok']);
});

test('connection lost mid-script, host read back on its old Go after the switch: rolled_back CONNECTION_LOST', { timeout: 5_000 }, async () => {
  const h = setup({ upgrade: [reply.lost(stepLine('switch', 'start'))], facts: [hostFacts(), hostFacts()] });
  const r = await h.upgrade();
  assert.equal(summary(r), `rolled_back ${FROM} -> ${TARGET} CONNECTION_LOST`);
  assert.deepEqual(h.connects, ['h1', 'h1']);
});

test('connection lost mid-script and the host unreachable since: failed (not unreachable), it may be changed', { timeout: 5_000 }, async () => {
  const h = setup({
    upgrade: [
      async (io) => {
        io.write(stepLine('switch', 'start'));
        h.connectErrors.push(new GofleetError('HOST_UNREACHABLE', 'h1: no route to host'));
        throw new GofleetError('CONNECTION_LOST', 'h1: connection reset');
      },
    ],
  });
  const r = await h.upgrade();
  assert.equal(summary(r), `failed ${FROM} -> ${TARGET} CONNECTION_LOST`);
});

test('a host that cannot be reached is unreachable, from unknown', { timeout: 5_000 }, async () => {
  const h = setup();
  h.connectErrors.push(new GofleetError('HOST_UNREACHABLE', 'h1: connection refused'));
  const r = await h.upgrade();
  assert.equal(summary(r), `unreachable null -> ${TARGET} HOST_UNREACHABLE`);
});
