// probe-host's decisions, on a fake connection and dialect: which dialect and paths a host gets, how a failed
// facts script is reported, whether mutating scripts run through sudo and with which password.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../errors.ts';
import type { HostPaths } from '../platform/types.ts';
import { HostRecorder } from './host-recorder.ts';
import { currentVersion, probeHost, readFacts, tail } from './probe-host.ts';
import { readCommand } from './testing/fake-dialect.ts';
import { reply } from './testing/fake-transport.ts';
import { FROM, hostFacts, hostHarness, stepsOf, type Harness, type HarnessOptions } from './testing/builders.ts';

function setup(o: Partial<HarnessOptions> = {}): Harness & { rec: HostRecorder; probe: () => ReturnType<typeof probeHost> } {
  const h = hostHarness({ host: { facts: hostFacts() }, ...o });
  const rec = new HostRecorder(h.spec.name, h.ctx.run, h.ctx.emit, h.ctx.now);
  return { ...h, rec, probe: () => probeHost(h.spec, h.ctx, h.sessions, rec) };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof GofleetError, `a GofleetError, not ${String(err)}`);
    return err.code;
  }
  assert.fail('expected a rejection');
}

test('a failed connect fails the connect step and runs nothing', { timeout: 5_000 }, async () => {
  const h = setup();
  h.connectErrors.push(new GofleetError('HOST_UNREACHABLE', 'h1: connection refused'));
  assert.equal(await codeOf(h.probe()), 'HOST_UNREACHABLE');
  assert.deepEqual(stepsOf(h.rec), ['connect:fail:HOST_UNREACHABLE']);
  assert.deepEqual(h.host.calls, []);
});

test('the dialect: the inventory os first, else the login shell that answers (powershell: windows), else linux', { timeout: 5_000 }, async () => {
  const declared = setup({ spec: { os: 'darwin' }, connection: { loginShell: 'powershell' }, host: { facts: hostFacts({ os: 'darwin' }) } });
  await declared.probe();
  const powershell = setup({ connection: { loginShell: 'powershell' }, host: { facts: hostFacts({ os: 'windows' }) } });
  await powershell.probe();
  const posix = setup();
  await posix.probe();
  assert.deepEqual([declared.dialectsAsked, powershell.dialectsAsked, posix.dialectsAsked], [['darwin'], ['windows'], ['linux']]);
  const [winPaths] = powershell.host.intents<HostPaths>('facts');
  assert.deepEqual(winPaths, { goroot: 'C:\\Program Files\\Go', versionsDir: 'C:\\ProgramData\\gofleet\\versions' });
});

test('paths: the inventory goroot and versions_dir win; the defaults follow the OS the host reports', { timeout: 5_000 }, async () => {
  const custom = setup({ spec: { goroot: '/opt/go', versionsDir: '/opt/gofleet' } });
  const host = await custom.probe();
  assert.deepEqual(host.paths, { goroot: '/opt/go', versionsDir: '/opt/gofleet' });
  assert.deepEqual(custom.host.intents<HostPaths>('facts'), [{ goroot: '/opt/go', versionsDir: '/opt/gofleet' }]);
  // no os in the inventory, a posix shell, but the host says windows (a Cygwin-style sshd): windows defaults
  const windows = setup({ host: { facts: hostFacts({ os: 'windows' }) } });
  assert.deepEqual((await windows.probe()).paths, { goroot: 'C:\\Program Files\\Go', versionsDir: 'C:\\ProgramData\\gofleet\\versions' });
});

test('the facts script runs without sudo, capped at 60 s, stoppable by the run signal', { timeout: 5_000 }, async () => {
  const stop = new AbortController();
  const h = setup({ spec: { become: true }, ctx: { signal: stop.signal } });
  await h.probe();
  const [call] = h.host.calls;
  assert.deepEqual(readCommand(call?.command ?? ''), { become: false });
  assert.equal(call?.options.timeoutMs, 60_000);
  assert.equal(call?.options.signal, stop.signal);
});

test('a facts script that timed out is EXEC_TIMEOUT, with a hint at login profiles', { timeout: 5_000 }, async () => {
  const h = setup({ host: { facts: { reply: reply.timedOut() } } });
  const err = await h.probe().catch((e: unknown) => e);
  assert.ok(err instanceof GofleetError);
  assert.equal(err.code, 'EXEC_TIMEOUT');
  assert.match(err.hint, /login profile/);
  assert.deepEqual(stepsOf(h.rec), ['connect:ok', 'facts:fail:EXEC_TIMEOUT']);
});

test('a facts script that exits non-zero is REMOTE_FAILED with the last lines of its stderr', { timeout: 5_000 }, async () => {
  const stderr = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7'].join('\n');
  const h = setup({ host: { facts: { reply: reply.exit(2, stderr) } } });
  const err = await h.probe().catch((e: unknown) => e);
  assert.ok(err instanceof GofleetError);
  assert.equal(err.code, 'REMOTE_FAILED');
  assert.equal(err.message, 'facts script exited 2: l3\nl4\nl5\nl6\nl7');
});

test('a connection lost during the facts script fails the facts step with CONNECTION_LOST', { timeout: 5_000 }, async () => {
  const h = setup({ host: { facts: { reply: reply.lost() } } });
  assert.equal(await codeOf(h.probe()), 'CONNECTION_LOST');
  assert.deepEqual(stepsOf(h.rec), ['connect:ok', 'facts:fail:CONNECTION_LOST']);
});

test('an OS the facts cannot name is UNSUPPORTED_PLATFORM', { timeout: 5_000 }, async () => {
  const h = setup({ host: { facts: hostFacts({ os: 'unknown' }) } });
  assert.equal(await codeOf(h.probe()), 'UNSUPPORTED_PLATFORM');
});

test('an inventory os the host contradicts is a warning, the facts win', { timeout: 5_000 }, async () => {
  const wrong = setup({ spec: { os: 'darwin' } });
  const host = await wrong.probe();
  assert.equal(host.facts.os, 'linux');
  assert.deepEqual(wrong.rec.warnings, ['inventory says os=darwin but the host reports linux']);
  const right = setup({ spec: { os: 'linux' } });
  await right.probe();
  assert.deepEqual(right.rec.warnings, []);
});

test('become: only when the inventory asks for it and the user is not root', { timeout: 5_000 }, async () => {
  const cases = [
    { become: true, isRoot: false, want: true },
    { become: true, isRoot: true, want: false },
    { become: false, isRoot: false, want: false },
  ];
  for (const c of cases) {
    const h = setup({ spec: { become: c.become }, host: { facts: hostFacts({ isRoot: c.isRoot, sudo: c.isRoot ? 'n/a' : 'nopasswd' }) } });
    assert.equal((await h.probe()).become, c.want, JSON.stringify(c));
  }
});

test('the become password is looked up only when sudo asks for one', { timeout: 5_000 }, async () => {
  const asked: string[] = [];
  const becomePassword = (name: string): string => {
    asked.push(name);
    return 's3cret';
  };
  const needs = setup({ spec: { become: true }, host: { facts: hostFacts({ sudo: 'password-required' }) }, ctx: { becomePassword } });
  assert.equal((await needs.probe()).becomePassword, 's3cret');
  const nopasswd = setup({ spec: { become: true }, ctx: { becomePassword } });
  assert.equal('becomePassword' in (await nopasswd.probe()), false);
  const noBecome = setup({ host: { facts: hostFacts({ sudo: 'password-required' }) }, ctx: { becomePassword } });
  assert.equal('becomePassword' in (await noBecome.probe()), false);
  const unknown = setup({ spec: { become: true }, host: { facts: hostFacts({ sudo: 'password-required' }) }, ctx: { becomePassword: () => undefined } });
  assert.equal('becomePassword' in (await unknown.probe()), false);
  assert.deepEqual(asked, ['h1']);
});

test('the facts step reports the version found, journaled as the host\'s from', { timeout: 5_000 }, async () => {
  const h = setup();
  await h.probe();
  const ok = h.events.find((e) => e.kind === 'host-step' && e.step === 'facts' && e.status === 'ok');
  assert.equal(ok?.kind === 'host-step' ? ok.version : 'none', FROM);
});

test('readFacts passes no signal when the run has none', { timeout: 5_000 }, async () => {
  const h = setup();
  const host = await h.probed();
  await readFacts(host, {});
  assert.equal('signal' in (h.host.calls.at(-1)?.options ?? {}), false);
});

test('currentVersion: the managed version, else what goroot says, else none', () => {
  assert.equal(currentVersion(hostFacts()), FROM);
  assert.equal(currentVersion(hostFacts({ managed: { active: null }, goroot: { version: 'go1.22.1' } })), 'go1.22.1');
  assert.equal(currentVersion(hostFacts({ managed: { active: null }, goroot: { version: null } })), null);
});

test('tail keeps the last lines, trimmed', () => {
  assert.equal(tail('\na\nb\nc\n\n', 2), 'b\nc');
  assert.equal(tail('one'), 'one');
});
