// The transport contract, Windows-flavoured: gofleet's SSH transport (ssh.ts, host key checking on) against
// the fake Windows OpenSSH host (test/harness/fake-windows-sshd.ts). Commands are PowerShell lines from
// windowsContractScripts, sent as Windows gets them: inline text behind `powershell.exe ... -EncodedCommand`
// (its first line reports the pid, as windows/remote-shell.ts wraps a command), or the production bootstrap
// (platform/windows/bootstrap.ts) with the script over stdin. Paths are /C:/ paths with spaces and non-ASCII.
//
// The transport is handed the Windows remote shell (windows/remote-shell.ts): it wraps plain PowerShell text in
// the -EncodedCommand line, stops with taskkill and interrupts with the marker file; the fake host runs without
// any compatibility mode. Below, the shared contract (contract.ts) runs with the Windows table too.
// This proves the controller side only; a real Windows host proves the scripts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GofleetError } from '../errors.ts';
import { bootstrapCommandLine } from '../platform/windows/bootstrap.ts';
import { startFakeWindowsHost, type FakeWindowsHost } from '../../test/harness/fake-windows-sshd.ts';
import { WINDOWS_CONTRACT, windowsContractScripts as ps } from '../../test/harness/fake-windows-contract-table.ts';
import { connectSsh } from './ssh.ts';
import { runTransportContract, type ContractDialect } from './contract.ts';
import { windowsRemoteShell } from '../platform/windows/remote-shell.ts';
import type { Transport } from './types.ts';

/** PowerShell text, as the engine gives it to the transport (the Windows remote shell wraps it). */
const inline = (...lines: string[]): string => lines.join('\n');
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex').toUpperCase();
const REMOTE = 'C:\\ProgramData\\gofleet contract';
const WEIRD_DIR = 'dïr';
const WEIRD_FILE = "fïlé 'q' ✓.txt";

function assertCode(err: unknown, codes: string[]): true {
  assert.ok(err instanceof GofleetError, `expected a GofleetError, got ${String(err)}`);
  assert.ok(codes.includes(err.code), `expected ${codes.join('|')}, got ${err.code}: ${err.message}`);
  return true;
}

describe('transport contract: ssh to a (fake) Windows OpenSSH host', { timeout: 120_000 }, () => {
  let h: FakeWindowsHost;
  let t: Transport;
  let local: string;
  const open = async (): Promise<Transport> => {
    const c = await connectSsh(h.spec(), { agent: null, sleep: async () => undefined });
    c.useShell(windowsRemoteShell);
    return c;
  };
  const run = async (...lines: string[]): Promise<string> => {
    const r = await t.exec(inline(...lines));
    assert.equal(r.exitCode, 0, `${lines.join('; ')} failed: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    h = await startFakeWindowsHost();
    t = await open();
    await run(ps.makeDir(`${REMOTE}\\${WEIRD_DIR}`));
    local = mkdtempSync(join(tmpdir(), 'gofleet-wincontract-'));
  });
  after(async () => {
    await t?.close();
    await h?.stop();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  test('exec resolves success with CRLF stdout, empty stderr (the pid line taken out) and exit code 0', async () => {
    const r = await t.exec(inline(ps.echo('hello'), ps.echo('fïlé ✓')));
    assert.deepEqual({ ...r, durationMs: 0 }, { exitCode: 0, signal: null, stdout: 'hello\r\nfïlé ✓\r\n', stderr: '',
      durationMs: 0, timedOut: false });
  });

  test('a failing command resolves with its exit code and a CLIXML error stream (data, not an exception)', async () => {
    const r = await t.exec(inline(ps.echo('out'), ps.writeError('err ✗ <x>'), ps.exit(3)));
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, 'out\r\n');
    assert.match(r.stderr, /^#< CLIXML\r\n<Objs [^>]*><S S="Error">err ✗ &lt;x&gt;_x000D__x000A_<\/S>/);
    assert.equal(r.timedOut, false);
  });

  test('the production bootstrap runs the script sent over stdin and keeps its exit code', async () => {
    const r = await t.exec(bootstrapCommandLine(), { stdin: `${ps.echo('it\'s "quoted"')}\n${ps.exit(4)}\n` });
    assert.deepEqual([r.exitCode, r.stdout, r.stderr], [4, 'it\'s "quoted"\r\n', '']);
    assert.equal(h.scripts.at(-1), `${ps.echo('it\'s "quoted"')}\n${ps.exit(4)}\n`);
    // the bootstrap's $ErrorActionPreference is Stop and it catches: an error is one plain line, exit 1
    const e = await t.exec(bootstrapCommandLine(), { stdin: `${ps.writeError('bad ✗')}\n${ps.echo('not reached')}\n` });
    assert.deepEqual([e.exitCode, e.stdout, e.stderr], [1, '', 'gofleet: bad ✗\r\n']);
  });

  test('10 MB of stdin arrive intact; 1 MB carried inside a script too', async () => {
    const data = randomBytes(10 * 1024 * 1024);
    const r = await t.exec(inline(ps.measureStdin()), { stdin: data });
    assert.equal(r.stdout, `${data.length}\r\n${sha256(data)}\r\n`, r.stderr);
    const small = randomBytes(1024 * 1024 + 3);
    const s = await t.exec(bootstrapCommandLine(), { stdin: ps.measure(small) });
    assert.equal(s.stdout, `${small.length}\r\n${sha256(small)}\r\n`, s.stderr);
  });

  test('large stdout is collected completely', async () => {
    const r = await t.exec(inline(ps.largeOutput(1, 2000, 1000)));
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout.length, 2000 * 1002);
    assert.ok(r.stdout.endsWith(`${'2000'.padStart(1000, '0')}\r\n`));
  });

  test('onStdout streams output while the command runs', async () => {
    const flag = `${REMOTE}\\stream flag`;
    const chunks: string[] = [];
    let released: Promise<unknown> | undefined;
    // the command waits (up to 10 s) for a file the callback creates on seeing "ready"
    const r = await t.exec(inline(ps.echo('ready'), ps.waitForFile(flag), ps.echo('done')), {
      onStdout: (c) => {
        chunks.push(c);
        if (!released && chunks.join('').includes('ready')) released = t.exec(inline(ps.writeFile(flag, '')));
      },
    });
    await released;
    assert.equal(r.exitCode, 0, 'the callback did not see "ready" before the command ended');
    assert.equal(r.stdout, 'ready\r\ndone\r\n');
    assert.equal(chunks.join(''), r.stdout);
  });

  test('timeout stops the command with the terminate command and reports timedOut', async () => {
    const before = h.terminations.length;
    const r = await t.exec(inline(ps.sleepSeconds(30)), { timeoutMs: 500 });
    assert.equal(r.timedOut, true);
    assert.notEqual(r.exitCode, 0);
    assert.equal(h.terminations.length - before, 1, 'no terminate command reached the host');
    assert.deepEqual(h.running(), []);
  });

  test('an abort signal rejects with INTERRUPTED and stops the command', async () => {
    const before = h.terminations.length;
    const ac = new AbortController();
    const p = t.exec(inline(ps.echo('started'), ps.sleepSeconds(30)), {
      signal: ac.signal,
      onStdout: (c) => c.includes('started') && ac.abort(),
    });
    await assert.rejects(p, (e) => assertCode(e, ['INTERRUPTED']));
    assert.equal(h.terminations.length - before, 1);
    assert.deepEqual(h.running(), []);
    await assert.rejects(t.exec(inline(ps.echo('x')), { signal: AbortSignal.abort() }), (e) => assertCode(e, ['INTERRUPTED']));
  });

  test('interrupt asks once (the %TEMP% marker), no terminate; the command ends as it chooses', async () => {
    const before = h.terminations.length;
    const ac = new AbortController();
    const r = await t.exec(inline(WINDOWS_CONTRACT.interruptible.command), {
      interrupt: ac.signal,
      onStdout: (c) => c.includes('started') && ac.abort(),
    });
    assert.equal(r.exitCode, 7, r.stderr);
    assert.match(r.stdout, WINDOWS_CONTRACT.interruptible.stdout);
    assert.equal(h.interrupts.length, 1);
    assert.equal(h.terminations.length, before, 'an interrupt never terminates');
  });

  test('put/get round trip /C:/ paths with spaces, quotes and non-ASCII; no temp files left', async () => {
    const content = Buffer.concat([Buffer.from('fïlé ✓\r\n'), randomBytes(1024 * 1024 + 3)]);
    mkdirSync(join(local, WEIRD_DIR), { recursive: true });
    const src = join(local, WEIRD_DIR, WEIRD_FILE);
    writeFileSync(src, content);
    const dst = `/C:/ProgramData/gofleet contract/${WEIRD_DIR}/${WEIRD_FILE}`;
    const progress: Array<[number, number]> = [];
    await t.put(src, dst, { onProgress: (a, b) => progress.push([a, b]) });
    assert.deepEqual(progress.at(-1), [content.length, content.length]);
    const win = `${REMOTE}\\${WEIRD_DIR}\\${WEIRD_FILE}`;
    assert.equal(await run(ps.fileHash(win)), `${sha256(content)}\r\n`);
    assert.equal(await run(ps.listDir(`${REMOTE}\\${WEIRD_DIR}`)), `${WEIRD_FILE}\r\n`);
    assert.equal(await run(ps.isReadOnly(win)), 'False\r\n');
    mkdirSync(join(local, 'back'));
    await t.get(dst, join(local, 'back', WEIRD_FILE));
    assert.ok(readFileSync(join(local, 'back', WEIRD_FILE)).equals(content));
  });

  test('put replaces an existing file; a mode without owner write makes it read-only, as Windows keeps modes', async () => {
    const src = join(local, 'v2');
    writeFileSync(src, 'second\n');
    const win = `${REMOTE}\\replace me.txt`;
    await run(ps.writeFile(win, 'first'));
    await t.put(src, '/C:/ProgramData/gofleet contract/replace me.txt');
    assert.equal(await run(ps.cat(win)), 'second\n', 'the file as it is, no line ends added');
    assert.equal(await run(ps.readFile(win)), 'second\n\r\n', 'Write-Output of the content adds CRLF');
    await t.put(src, '/C:/ProgramData/gofleet contract/read only.txt', { mode: 0o444 });
    assert.equal(await run(ps.isReadOnly(`${REMOTE}\\read only.txt`)), 'True\r\n');
    assert.ok(h.sftpLog.some((l) => l.startsWith('posix-rename ')), 'put did not rename its temp file into place');
  });

  test('transfer failures reject with TRANSFER_FAILED (no such file or directory); a name Windows refuses with WINDOWS_PATH_INVALID', async () => {
    const src = join(local, 'small');
    writeFileSync(src, 'x');
    await assert.rejects(t.put(join(local, 'no such file'), '/C:/ProgramData/x'), (e) => assertCode(e, ['TRANSFER_FAILED']));
    await assert.rejects(t.put(src, '/C:/ProgramData/no such dir/x'), (e) => assertCode(e, ['TRANSFER_FAILED']));
    // a name Windows refuses is refused by the Windows remote shell before anything is sent
    await assert.rejects(t.put(src, 'C:\\ProgramData\\gofleet contract\\a "quoted" name'), (e) => assertCode(e, ['WINDOWS_PATH_INVALID']));
    await assert.rejects(t.get('/C:/ProgramData/no such file', join(local, 'got')), (e) => assertCode(e, ['TRANSFER_FAILED']));
    assert.doesNotMatch(await run(ps.listDir(REMOTE)), /gofleet-part/);
  });

  test('many sequential execs and some concurrent ones share one connection', async () => {
    const before = t.stats.execCount;
    const connections = h.connectionCount();
    for (let i = 0; i < 40; i++) assert.equal((await t.exec(inline(ps.echo(String(i))))).stdout, `${i}\r\n`);
    const parallel = await Promise.all(Array.from({ length: 8 }, (_, i) => t.exec(inline(ps.echo(`p${i}`)))));
    assert.deepEqual(parallel.map((r) => r.stdout), Array.from({ length: 8 }, (_, i) => `p${i}\r\n`));
    assert.equal(t.stats.execCount - before, 48);
    assert.equal(h.connectionCount(), connections, 'the transport opened another connection');
  });

  test('close is idempotent and later calls reject with a coded error', async () => {
    const other = await open();
    assert.equal((await other.exec(inline(ps.echo('x')))).stdout, 'x\r\n');
    await other.close();
    await other.close();
    await assert.rejects(other.exec(inline(ps.echo('x'))), (e) => assertCode(e, ['CONNECTION_LOST']));
  });

  test('every statement sent was one the host knows (nothing fell outside the vocabulary)', () => {
    assert.deepEqual(h.unrecognized, []);
  });
});

// The shared contract (contract.ts) with the Windows table, through the real Windows adapter (no compat mode):
// the transport wraps with windows/remote-shell.ts, stops with taskkill, interrupts with the marker file and
// names SFTP paths /C:/... itself (put and get are given Windows paths).
// open() is called again by the contract (close is idempotent): one fake host each, and every one is stopped, or
// the first one's listening socket keeps this file's process alive after its last test.
const contractHosts: FakeWindowsHost[] = [];
after(async () => {
  for (const host of contractHosts) await host.stop();
});
runTransportContract('ssh to a (fake) Windows OpenSSH host, Windows adapter', async () => {
  const host = await startFakeWindowsHost();
  contractHosts.push(host);
  const transport = await connectSsh(host.spec(), { agent: null, sleep: async () => undefined });
  transport.useShell(windowsRemoteShell);
  return { transport, connections: () => host.connectionCount() };
}, { dialect: WINDOWS_CONTRACT satisfies ContractDialect });
