// The WinRM transport against the loopback fake WinRM host (test/harness/fake-winrm-server.ts), below the auth
// layer (auth none, a plain keep-alive HTTP poster): one shell for every exec, the Windows bootstrap and pid line
// as over SSH, stdin in Send chunks sized from MaxEnvelopeSizekb, Receive re-issued after OperationTimeout
// faults, the shell re-created once after a quota fault and after a WinRM restart, timeouts, interrupts, aborts,
// a lost connection, and put/get through the shell.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HostSpec } from '../../inventory/types.ts';
import { bootstrapCommandLine } from '../../platform/windows/bootstrap.ts';
import { windowsRemoteShellFor } from '../../platform/windows/remote-shell.ts';
import { startFakeWinrmHost, type FakeWinrmHost, type FakeWinrmOptions } from '../../../test/harness/fake-winrm-server.ts';
import { withFileCopy } from '../../../test/harness/fake-windows-file-copy.ts';
import { windowsRespond } from '../../../test/harness/fake-windows-vocabulary.ts';
import { plainPoster } from '../../../test/harness/plain-soap-poster.ts';
import type { Respond } from '../../../test/harness/fake-windows-process.ts';
import { createWinrmServerAuth } from '../../../test/harness/fake-winrm-auth.ts';
import type { Transport } from '../types.ts';
import { ENCRYPTED_CONTENT_TYPE } from './encryption.ts';
import { connectWinrm, type WinrmConnectOptions } from './transport.ts';

const BOOT = bootstrapCommandLine();
const cmdShell = windowsRemoteShellFor('cmd');

function specFor(host: FakeWinrmHost): HostSpec {
  return {
    name: 'win-1', address: '127.0.0.1', port: host.port, user: 'deploy', transport: 'winrm', knownHosts: '/nonexistent',
    become: false, tags: [], groups: [], vars: {}, source: { file: 'inv.yml' },
    winrm: { scheme: 'http', auth: 'ntlm', certValidation: 'validate', messageEncryption: 'auto' },
  };
}

async function open(o: FakeWinrmOptions = {}, c: WinrmConnectOptions = {}): Promise<{ host: FakeWinrmHost; t: Transport }> {
  const host = await startFakeWinrmHost({ operationTimeoutMs: 200, ...o, respond: withFileCopy(o.respond ?? windowsRespond) });
  const t = await connectWinrm(specFor(host), { session: () => plainPoster(host.url), shell: cmdShell, retries: 0, operationTimeoutSec: 1, ...c });
  return { host, t };
}

const ops = (host: FakeWinrmHost, op: string): number => host.requests.filter((r) => r.op === op).length;

describe('WinRM transport (fake host, auth none)', () => {
  let host: FakeWinrmHost;
  let t: Transport;
  before(async () => ({ host, t } = await open({ config: { maxEnvelopeSizeKb: 32, maxMemoryPerShellMB: 333 } })));
  after(async () => {
    await t.close();
    await host.stop();
  });

  it('one shell for every exec; the script over stdin through the bootstrap; the pid line taken out of stderr', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await t.exec(BOOT, { stdin: `Write-Output 'hé ${i}'` });
      assert.deepEqual([r.exitCode, r.stdout, r.stderr, r.timedOut], [0, `hé ${i}\r\n`, '', false]);
    }
    assert.equal(ops(host, 'Create'), 1);
    assert.equal(host.shells(), 1);
    assert.equal(t.stats.execCount, 5);
    assert.equal(t.capabilities.nativeFileTransfer, false);
  });

  it('reads winrm/config once: hostLimits (MaxMemoryPerShellMB for facts, MaxEnvelopeSizekb for Send sizes)', () => {
    assert.equal(t.hostLimits?.maxMemoryPerShellMB, 333);
    assert.equal(t.hostLimits?.maxEnvelopeSizeKb, 32);
    assert.equal(t.hostLimits?.configRead, true);
    assert.equal(ops(host, 'Get'), 1);
  });

  it('stdin larger than an envelope goes in several Sends, each under MaxEnvelopeSizekb (the fake answers 413 over it)', async () => {
    const sends = ops(host, 'Send');
    const big = `Write-Output '${'x'.repeat(100_000)}'`;
    const r = await t.exec(BOOT, { stdin: big });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, `${'x'.repeat(100_000)}\r\n`);
    assert.ok(ops(host, 'Send') - sends >= 4, `only ${ops(host, 'Send') - sends} Sends`);
    assert.equal(host.requests.filter((q) => q.status === 413).length, 0);
  });

  it('stdout over several Receives, split inside a UTF-8 character: whole in the result and in onStdout', async () => {
    const receives = ops(host, 'Receive');
    const text = `a${'é'.repeat(100_000)}`; // 200001 bytes: the first Receive ends inside an é
    const streamed: string[] = [];
    const r = await t.exec(BOOT, { stdin: `Write-Output '${text}'`, onStdout: (c) => streamed.push(c) });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(ops(host, 'Receive') - receives >= 2, 'all of it came in one Receive');
    assert.equal(r.stdout, `${text}\r\n`);
    assert.equal(streamed.join(''), `${text}\r\n`);
    assert.ok(streamed.length >= 2, 'onStdout was called once: nothing streamed');
  });

  it('a non-zero exit code is data; stderr kept', async () => {
    const r = await t.exec(BOOT, { stdin: "[Console]::Error.WriteLine('bad')\nexit 4" });
    assert.deepEqual([r.exitCode, r.stderr], [4, 'bad\r\n']);
  });

  it('OperationTimeout faults on Receive are re-issued, not errors', async () => {
    host.injectFault('Receive', 'timeout', 3);
    const r = await t.exec(BOOT, { stdin: "Write-Output 'after timeouts'" });
    assert.deepEqual([r.exitCode, r.stdout], [0, 'after timeouts\r\n']);
  });

  it('a quota fault on Command: the shell is deleted and re-created once, the command sent again', async () => {
    const creates = ops(host, 'Create');
    host.injectFault('Command', 'quota', 1);
    const r = await t.exec(BOOT, { stdin: "Write-Output 'fresh shell'" });
    assert.deepEqual([r.exitCode, r.stdout], [0, 'fresh shell\r\n']);
    assert.equal(ops(host, 'Create') - creates, 1);
    assert.equal(host.shells(), 1, 'the old shell was deleted');
  });

  it('a quota fault again on the fresh shell: WINRM_QUOTA, not retried further', async () => {
    const creates = ops(host, 'Create');
    host.injectFault('Command', 'quota', 2);
    await assert.rejects(t.exec(BOOT, { stdin: "Write-Output 'x'" }), { code: 'WINRM_QUOTA' });
    assert.equal(ops(host, 'Create') - creates, 1);
    assert.equal((await t.exec(BOOT, { stdin: "Write-Output 'ok again'" })).stdout, 'ok again\r\n');
  });

  it('after a WinRM restart (every shell gone) the shell is re-created once and the command runs', async () => {
    host.restart();
    const r = await t.exec(BOOT, { stdin: "Write-Output 'restarted'" });
    assert.deepEqual([r.exitCode, r.stdout], [0, 'restarted\r\n']);
    assert.equal(host.shells(), 1);
  });

  it('ERROR_BUSY on Send is sent again (as Ansible does), not an error', async () => {
    host.injectFault('Send', 'busy', 2);
    const r = await t.exec(BOOT, { stdin: "Write-Output 'not busy'" });
    assert.deepEqual([r.exitCode, r.stdout], [0, 'not busy\r\n']);
  });

  it('put/get through the shell: a weird name, several Sends, SHA-256 checked on the host, no temp file left', async () => {
    const local = mkdtempSync(join(tmpdir(), 'gofleet-winrm-put-'));
    try {
      const content = Buffer.concat([Buffer.from('fïlé ✓\n'), randomBytes(200_000)]);
      writeFileSync(join(local, 'src'), content);
      mkdirSync(host.drives.toLocal("C:\\it's a dir ‘é’"), { recursive: true });
      const remote = "C:\\it's a dir ‘é’\\go $(x) `y`.zip";
      const sends = ops(host, 'Send');
      const progress: [number, number][] = [];
      await t.put(join(local, 'src'), remote, { onProgress: (a, b) => progress.push([a, b]) });
      assert.ok(ops(host, 'Send') - sends >= 8, 'in chunks under the envelope size');
      assert.deepEqual(progress.at(-1), [content.length, content.length]);
      assert.ok(readFileSync(host.drives.toLocal(remote)).equals(content));
      assert.deepEqual(readdirSync(host.drives.toLocal("C:\\it's a dir ‘é’")), ["go $(x) `y`.zip"]);
      await t.get(remote, join(local, 'back'));
      assert.equal(createHash('sha256').update(readFileSync(join(local, 'back'))).digest('hex'), createHash('sha256').update(content).digest('hex'));
      await assert.rejects(t.get('C:\\no such file', join(local, 'x')), { code: 'TRANSFER_FAILED' });
      await assert.rejects(t.put(join(local, 'src'), 'C:\\no such dir\\x'), { code: 'TRANSFER_FAILED' });
      await assert.rejects(t.put(join(local, 'nothing here'), 'C:\\x'), { code: 'TRANSFER_FAILED' });
      assert.equal(existsSync(join(local, 'x')), false);
    } finally {
      rmSync(local, { recursive: true, force: true });
    }
  });

  it('a put aborted mid-transfer: INTERRUPTED, stdin closed early, the host removes its temp file', async () => {
    const local = mkdtempSync(join(tmpdir(), 'gofleet-winrm-put-'));
    try {
      writeFileSync(join(local, 'big'), randomBytes(300_000));
      const ac = new AbortController();
      mkdirSync(host.drives.toLocal('C:\\aborted'), { recursive: true });
      await assert.rejects(t.put(join(local, 'big'), 'C:\\aborted\\big', { signal: ac.signal, onProgress: () => ac.abort() }), { code: 'INTERRUPTED' });
      assert.deepEqual(readdirSync(host.drives.toLocal('C:\\aborted')), []);
      assert.equal((await t.exec(BOOT, { stdin: "Write-Output 'still usable'" })).stdout, 'still usable\r\n');
    } finally {
      rmSync(local, { recursive: true, force: true });
    }
  });
});

describe('WinRM transport: stopping commands (fake host, auth none)', () => {
  const slow: Respond = async (script, ctx) => {
    if (!script.includes('SLOW')) return windowsRespond(script, ctx);
    if (script.includes('INTERRUPTIBLE')) {
      await new Promise<void>((resolve) => ctx.interrupt.addEventListener('abort', () => resolve(), { once: true }));
      return { stdout: 'rolled back\n', exitCode: 7 };
    }
    await ctx.sleep(60_000);
    return { exitCode: 0 };
  };
  let host: FakeWinrmHost;
  let t: Transport;
  before(async () => ({ host, t } = await open({ respond: slow })));
  after(async () => {
    await t.close();
    await host.stop();
  });

  it('timeoutMs: the adapter\'s terminate runs in the same shell, the command is signalled; timedOut, no exit code', { timeout: 20_000 }, async () => {
    const r = await t.exec(BOOT, { stdin: '# SLOW', timeoutMs: 300 });
    assert.deepEqual([r.timedOut, r.exitCode], [true, null]);
    assert.equal(host.terminations.length, 1, 'taskkill of the pid from the pid line');
    assert.ok(host.signals.some((s) => s.code.endsWith('terminate')));
    assert.equal((await t.exec(BOOT, { stdin: "Write-Output 'next'" })).stdout, 'next\r\n');
  });

  it('interrupt: the adapter\'s interrupt runs as a second command; the first one\'s own result comes back', { timeout: 20_000 }, async () => {
    const ac = new AbortController();
    const p = t.exec(BOOT, { stdin: '# SLOW INTERRUPTIBLE', interrupt: ac.signal });
    setTimeout(() => ac.abort(), 200);
    const r = await p;
    assert.deepEqual([r.exitCode, r.stdout, r.timedOut], [7, 'rolled back\r\n', false]);
    assert.equal(host.interrupts.length, 1);
  });

  it('an abort (signal) rejects with INTERRUPTED and stops the command', { timeout: 20_000 }, async () => {
    const ac = new AbortController();
    const p = t.exec(BOOT, { stdin: '# SLOW', signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    await assert.rejects(p, { code: 'INTERRUPTED' });
    assert.equal(host.terminations.length, 2);
  });

  it('a connection lost mid-command: CONNECTION_LOST', { timeout: 20_000 }, async () => {
    const drop: Respond = (script, ctx) => {
      if (!script.includes('DROP')) return slow(script, ctx);
      ctx.drop();
      return new Promise(() => undefined);
    };
    const h2 = await startFakeWinrmHost({ operationTimeoutMs: 200, respond: drop });
    const t2 = await connectWinrm(specFor(h2), { session: () => plainPoster(h2.url), shell: cmdShell, retries: 0, operationTimeoutSec: 1 });
    try {
      await assert.rejects(t2.exec(BOOT, { stdin: '# DROP' }), { code: 'CONNECTION_LOST' });
    } finally {
      await t2.close();
      await h2.stop();
    }
  });
});

describe('WinRM transport over NTLM with message encryption (the fake host behind the real auth layer)', () => {
  it('one logon and one socket for the whole session; every request and reply sealed; put/get too', { timeout: 30_000 }, async () => {
    const auth = createWinrmServerAuth({ users: { 'CORP\\deploy': 'Pa55-w0rd!' } });
    const host = await startFakeWinrmHost({ auth, operationTimeoutMs: 200, respond: withFileCopy(windowsRespond) });
    const spec = { ...specFor(host), user: 'CORP\\deploy' };
    const t = await connectWinrm(spec, { password: 'Pa55-w0rd!', shell: cmdShell, retries: 0, operationTimeoutSec: 1 });
    const local = mkdtempSync(join(tmpdir(), 'gofleet-winrm-ntlm-'));
    try {
      for (let i = 0; i < 3; i++) assert.equal((await t.exec(BOOT, { stdin: `Write-Output 'sealed ${i}'` })).stdout, `sealed ${i}\r\n`);
      writeFileSync(join(local, 'f'), randomBytes(70_000));
      await t.put(join(local, 'f'), 'C:\\f.bin');
      await t.get('C:\\f.bin', join(local, 'g'));
      assert.ok(readFileSync(join(local, 'g')).equals(readFileSync(join(local, 'f'))));
      assert.deepEqual(auth.logons, [{ method: 'ntlm', user: 'CORP\\deploy', ok: true }]);
      assert.deepEqual([...new Set(host.requests.map((q) => q.contentType))], [ENCRYPTED_CONTENT_TYPE]);
      assert.equal(host.connectionCount(), 1);
      assert.equal(host.shells(), 1);
      await t.close();
      assert.equal(host.shells(), 0, 'close deleted the shell');
    } finally {
      await t.close();
      rmSync(local, { recursive: true, force: true });
      await host.stop();
    }
  });

  it('a WinRM restart mid-command (connections cut, shell gone): CONNECTION_LOST, not an exit code; the next command gets a new shell', { timeout: 30_000 }, async () => {
    const auth = createWinrmServerAuth({ users: { 'CORP\\deploy': 'Pa55-w0rd!' } });
    const ref: { host?: FakeWinrmHost } = {};
    const respond: Respond = async (script, ctx) => {
      if (!script.includes('RESTART')) return windowsRespond(script, ctx);
      setTimeout(() => ref.host?.restart(), 100); // while the client's Receive is held
      await ctx.sleep(60_000);
      return { exitCode: 0 };
    };
    const host = (ref.host = await startFakeWinrmHost({ auth, operationTimeoutMs: 2000, respond }));
    const t = await connectWinrm({ ...specFor(host), user: 'CORP\\deploy' }, { password: 'Pa55-w0rd!', shell: cmdShell, retries: 0, operationTimeoutSec: 5 });
    try {
      await assert.rejects(t.exec(BOOT, { stdin: '# RESTART' }), { code: 'CONNECTION_LOST' });
      assert.equal((await t.exec(BOOT, { stdin: "Write-Output 'after restart'" })).stdout, 'after restart\r\n');
      assert.deepEqual([ops(host, 'Create'), host.shells()], [2, 1]);
      assert.ok(auth.logons.every((l) => l.ok), 'a new logon on the new connection, never a refused one');
    } finally {
      await t.close();
      await host.stop();
    }
  });

  it('the connection cut while the host holds a Receive (host alive): CONNECTION_LOST at once, the Receive never sent again', { timeout: 30_000 }, async () => {
    const auth = createWinrmServerAuth({ users: { 'CORP\\deploy': 'Pa55-w0rd!' } });
    const respond: Respond = async (script, ctx) => {
      if (!script.includes('CUT')) return windowsRespond(script, ctx);
      setTimeout(() => ctx.drop(), 100); // while the client's Receive is held
      await ctx.sleep(60_000);
      return { exitCode: 0 };
    };
    const host = await startFakeWinrmHost({ auth, operationTimeoutMs: 2000, respond });
    const t = await connectWinrm({ ...specFor(host), user: 'CORP\\deploy' }, { password: 'Pa55-w0rd!', shell: cmdShell, retries: 0, operationTimeoutSec: 5 });
    try {
      // sent again, the Receive would wait on the still running command until the exec's own timeout
      await assert.rejects(t.exec(BOOT, { stdin: '# CUT', timeoutMs: 8000 }), { code: 'CONNECTION_LOST' });
      assert.equal(host.connectionCount(), 1, 'nothing was sent on a second connection');
    } finally {
      await t.close();
      await host.stop();
    }
  });

  it('a Send over the host\'s size limit (winrm/config unreadable, 150 KB assumed, the host takes 64): WINRM_REQUEST_TOO_LARGE; the command is terminated', { timeout: 30_000 }, async () => {
    const auth = createWinrmServerAuth({ users: { 'CORP\\deploy': 'Pa55-w0rd!' } });
    const host = await startFakeWinrmHost({ auth, operationTimeoutMs: 200, denyConfigRead: true, config: { maxEnvelopeSizeKb: 64 } });
    const t = await connectWinrm({ ...specFor(host), user: 'CORP\\deploy' }, { password: 'Pa55-w0rd!', shell: cmdShell, retries: 0, operationTimeoutSec: 1 });
    try {
      assert.equal(t.hostLimits?.configRead, false);
      await assert.rejects(t.exec(BOOT, { stdin: `Write-Output '${'x'.repeat(200_000)}'` }),
        { code: 'WINRM_REQUEST_TOO_LARGE', message: /HTTP 413/ });
      assert.deepEqual(host.running(), [], 'the command waiting for its stdin was left running');
      assert.ok(host.signals.some((q) => q.code === 'terminate'));
      assert.equal((await t.exec(BOOT, { stdin: "Write-Output 'small'" })).stdout, 'small\r\n');
    } finally {
      await t.close();
      await host.stop();
    }
  });

  it('an HTTP 400 to the cleanup Signal (as Ansible tolerates): the command\'s result stands, a warning, the session goes on', { timeout: 30_000 }, async () => {
    const auth = createWinrmServerAuth({ users: { 'CORP\\deploy': 'Pa55-w0rd!' } });
    const host = await startFakeWinrmHost({ auth, operationTimeoutMs: 200 });
    const warnings: string[] = [];
    const t = await connectWinrm({ ...specFor(host), user: 'CORP\\deploy' },
      { password: 'Pa55-w0rd!', shell: cmdShell, retries: 0, operationTimeoutSec: 1, onWarning: (w) => warnings.push(w) });
    try {
      host.injectFault('Signal', '400');
      const r = await t.exec(BOOT, { stdin: "Write-Output 'done'\nexit 3" });
      assert.deepEqual([r.exitCode, r.stdout], [3, 'done\r\n']);
      assert.deepEqual(host.requests.filter((q) => q.op === 'Signal').map((q) => q.status), [400]);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /HTTP 400 to the terminate signal/);
      assert.equal((await t.exec(BOOT, { stdin: "Write-Output 'next'" })).stdout, 'next\r\n');
    } finally {
      await t.close();
      await host.stop();
    }
  });

  it('a wrong password: AUTH_FAILED after one logon attempt, never retried, no shell', { timeout: 30_000 }, async () => {
    const auth = createWinrmServerAuth({ users: { 'CORP\\deploy': 'Pa55-w0rd!' } });
    const host = await startFakeWinrmHost({ auth });
    try {
      await assert.rejects(connectWinrm({ ...specFor(host), user: 'CORP\\deploy' }, { password: 'wrong', shell: cmdShell, retries: 2, sleep: async () => undefined }),
        { code: 'AUTH_FAILED' });
      assert.equal(auth.logons.length, 1);
      assert.equal(host.shells(), 0);
    } finally {
      await host.stop();
    }
  });
});
