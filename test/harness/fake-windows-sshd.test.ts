// The fake Windows OpenSSH host checks what a real one would: its host key is checked by gofleet's SSH
// transport, a refused authentication is not retried, only the bootstrap command line runs, processes stop
// as taskkill / Stop-Process stop them, and SFTP speaks /C:/ paths with Windows' rename and read-only rules.
// Raw ssh2 clients send command lines exactly (gofleet's transport still prefixes a sh line: see
// transportCompat in fake-windows-sshd.ts).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2, { type Client, type SFTPWrapper } from 'ssh2';
import { GofleetError } from '../../src/errors.ts';
import { BOOTSTRAP_SCRIPT, bootstrapCommandLine } from '../../src/platform/windows/bootstrap.ts';
import { connectSsh, type SshConnectOptions } from '../../src/transport/ssh.ts';
import { powershellCommandLine } from './fake-windows-bootstrap.ts';
import { clixmlError } from './fake-windows-output.ts';
import { startFakeWindowsHost, type FakeWindowsHost } from './fake-windows-sshd.ts';
import { windowsContractScripts as ps } from './fake-windows-contract-table.ts';

const base: SshConnectOptions = { agent: null, sleep: async () => undefined, retries: 3 };
const hosts: FakeWindowsHost[] = [];
after(() => Promise.all(hosts.map((h) => h.stop())));
async function start(o: Parameters<typeof startFakeWindowsHost>[0] = {}): Promise<FakeWindowsHost> {
  const h = await startFakeWindowsHost(o);
  hosts.push(h);
  return h;
}
const BOOT = bootstrapCommandLine(); // the production bootstrap line (platform/windows)

async function caught(p: Promise<unknown>): Promise<GofleetError> {
  const err = await p.then(() => assert.fail('expected a rejection'), (e: unknown) => e);
  assert.ok(err instanceof GofleetError, `expected a GofleetError, got ${String(err)}`);
  return err;
}

function rawClient(h: FakeWindowsHost): Promise<Client> {
  const c = new ssh2.Client();
  return new Promise((resolve, reject) => {
    c.on('ready', () => resolve(c)).on('error', reject);
    c.connect({ host: h.address, port: h.port, username: h.user, privateKey: readFileSync(h.clientKey) });
  });
}

interface Raw { code: number | null; stdout: string; stderr: string }
function rawExec(c: Client, command: string, stdin = ''): Promise<Raw> {
  return new Promise((resolve, reject) => {
    c.exec(command, (err, ch) => {
      if (err) return reject(err);
      const r: Raw = { code: null, stdout: '', stderr: '' };
      ch.on('data', (d: Buffer) => (r.stdout += d.toString()));
      ch.stderr.on('data', (d: Buffer) => (r.stderr += d.toString()));
      ch.on('exit', (code: number | null) => (r.code = code));
      ch.on('close', () => resolve(r));
      ch.end(stdin);
    });
  });
}

const sftpOf = (c: Client): Promise<SFTPWrapper> =>
  new Promise((resolve, reject) => c.sftp((err, s) => (err ? reject(err) : resolve(s))));
const call = (fn: (cb: (err: Error | null | undefined, v?: unknown) => void) => void): Promise<unknown> =>
  new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

describe('fake Windows OpenSSH host', { timeout: 60_000 }, () => {
  test('its host key is checked: the right known_hosts connects, another host\'s key is refused', async () => {
    const h = await start();
    const other = await start();
    const ok = await connectSsh(h.spec(), base);
    await ok.close();
    const err = await caught(connectSsh(h.spec({ knownHosts: other.knownHostsPath }), base));
    assert.equal(err.code, 'HOST_KEY_UNKNOWN');
    writeFileSync(join(h.dir, 'wrong_known_hosts'), `[127.0.0.1]:${h.port} ${other.hostKeyPub}\n`);
    const changed = await caught(connectSsh(h.spec({ knownHosts: join(h.dir, 'wrong_known_hosts') }), base));
    assert.equal(changed.code, 'HOST_KEY_CHANGED');
  });

  test('a refused key or password is AUTH_FAILED after one connection, never retried', async () => {
    const h = await start({ password: 'right horse battery' });
    const stranger = await start();
    const before = h.connectionCount();
    let attempts = 0;
    const err = await caught(connectSsh(h.spec({ identity: [stranger.clientKey] }), { ...base, onAttempt: () => attempts++ }));
    assert.equal(err.code, 'AUTH_FAILED');
    assert.equal(attempts, 1);
    assert.equal(h.connectionCount() - before, 1);
    assert.ok(h.authAttempts.length > 0 && h.authAttempts.every((a) => !a.accepted), JSON.stringify(h.authAttempts));

    const pw = await caught(connectSsh(h.spec({ identity: [] }), { ...base, password: 'wrong', onAttempt: () => attempts++ }));
    assert.equal(pw.code, 'AUTH_FAILED');
    assert.equal(attempts, 2);
    assert.equal(h.connectionCount() - before, 2);
    assert.equal(h.authAttempts.filter((a) => a.method === 'password').length, 1);
    const good = await connectSsh(h.spec({ identity: [] }), { ...base, password: 'right horse battery' });
    await good.close();
    assert.deepEqual(h.authAttempts.at(-1), { user: 'deploy', method: 'password', accepted: true });
  });

  test('cmd.exe runs only the bootstrap: other command lines are "not recognized", exit 1', async () => {
    const h = await start();
    const c = await rawClient(h);
    try {
      const sh = await rawExec(c, `printf 'gofleet-pid:%s\\n' "$$" >&2\n${BOOT}`);
      assert.deepEqual(sh, { code: 1, stdout: '',
        stderr: "'printf' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n" });
      assert.equal((await rawExec(c, 'Write-Output hi')).code, 1);
      const flags = await rawExec(c, BOOT.replace(' -NonInteractive', ''));
      assert.equal(flags.code, 64);
      assert.match(flags.stderr, /without the bootstrap's flags/);
      const bad = await rawExec(c, `${BOOT.slice(0, -4)}!!!!`);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /not properly encoded/);
      assert.equal(h.scripts.length, 0, 'no refused command line ran a script');
      assert.equal(h.commands.length, 4);
      // cmd's own echo, as gofleet's shell probe sends it
      assert.deepEqual(await rawExec(c, "echo gofleet-shell '%OS%' %nope% %username%"),
        { code: 0, stdout: "gofleet-shell 'Windows_NT' %nope% deploy\r\n", stderr: '' });
    } finally {
      c.end();
    }
  });

  test('checkBootstrap refuses a decoded text it does not accept (a test that wants only the production bootstrap)', async () => {
    const h = await start({ checkBootstrap: (text) => (text === BOOTSTRAP_SCRIPT ? undefined : 'not the production bootstrap') });
    const c = await rawClient(h);
    try {
      const inline = await rawExec(c, powershellCommandLine(ps.echo('x')));
      assert.deepEqual(inline, { code: 64, stdout: '', stderr: 'fake-windows-sshd: bootstrap refused: not the production bootstrap\r\n' });
      assert.equal((await rawExec(c, BOOT, ps.echo('y'))).stdout, 'y\r\n');
    } finally {
      c.end();
    }
  });

  test('a bootstrap run: pid line first on stderr, the stdin script to respond, CRLF output and its exit code', async () => {
    const seen: string[] = [];
    const h = await start({ respond: (script, ctx) => {
      seen.push(script, ctx.bootstrap);
      return { stdout: 'one\ntwo\n', stderr: 'warn\n', exitCode: 3 };
    } });
    const c = await rawClient(h);
    try {
      const r = await rawExec(c, BOOT, "\uFEFFWrite-Output 'ünï'\n");
      assert.equal(r.code, 3);
      assert.equal(r.stdout, 'one\r\ntwo\r\n');
      const pid = /^gofleet-pid:(\d+)\r\nwarn\r\n$/.exec(r.stderr)?.[1];
      assert.ok(pid && Number(pid) % 4 === 0, r.stderr); // Windows pids are multiples of 4
      assert.deepEqual(seen, ["Write-Output 'ünï'\n", BOOTSTRAP_SCRIPT]);
    } finally {
      c.end();
    }
  });

  test('the default respond runs the vocabulary and refuses any other statement', async () => {
    const h = await start();
    const c = await rawClient(h);
    try {
      // inline text (no pid line asked for): Write-Error is a CLIXML record and the script goes on
      const r = await rawExec(c, powershellCommandLine([ps.echo("it's"), ps.writeError('bad <x>'), ps.exit(4)].join('\n')));
      assert.deepEqual(r, { code: 4, stdout: "it's\r\n", stderr: clixmlError('bad <x>') });
      const u = await rawExec(c, powershellCommandLine(`Get-Date\n${ps.echo('after')}`));
      assert.equal(u.code, 1);
      assert.equal(u.stdout, 'after\r\n');
      assert.match(u.stderr, /^#< CLIXML\r\n.*The term 'Get-Date' is not recognized/);
      // through the production bootstrap (EAP Stop, errors caught and printed plain): the first error ends it
      const b = await rawExec(c, BOOT, `${ps.echo('before')}\nGet-Date\n${ps.echo('after')}`);
      assert.equal(b.code, 1);
      assert.equal(b.stdout, 'before\r\n');
      assert.match(b.stderr, /^gofleet-pid:\d+\r\ngofleet: Get-Date : The term 'Get-Date' is not recognized.*\r\n$/);
      assert.deepEqual(h.unrecognized, ['Get-Date', 'Get-Date']);
    } finally {
      c.end();
    }
  });

  test('taskkill /F and Stop-Process stop a running process (exit status 1); taskkill without /F does not', async () => {
    const h = await start();
    const c = await rawClient(h);
    try {
      const pidOf = async (): Promise<{ pid: number; done: Promise<Raw> }> => {
        const done = rawExec(c, BOOT, ps.sleepSeconds(30));
        for (let i = 0; i < 200 && h.running().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
        return { pid: h.running()[0] as number, done };
      };
      const a = await pidOf();
      const soft = await rawExec(c, `taskkill /PID ${a.pid}`);
      assert.equal(soft.code, 1);
      assert.match(soft.stderr, /can only be terminated forcefully/);
      const k = await rawExec(c, `taskkill /T /F /PID ${a.pid}`);
      assert.equal(k.code, 0);
      assert.match(k.stdout, new RegExp(`^SUCCESS: The process with PID ${a.pid} .* has been terminated\\.\\r\\n$`));
      assert.equal((await a.done).code, 1);

      const b = await pidOf();
      const s = await rawExec(c, BOOT, `$ErrorActionPreference = 'Stop'\nStop-Process -Id ${b.pid} -Force\n`);
      assert.equal(s.code, 0, s.stderr);
      assert.equal((await b.done).code, 1);
      assert.deepEqual(h.terminations, [a.pid, b.pid]);
      assert.deepEqual(h.running(), []);
      assert.equal((await rawExec(c, `taskkill /PID ${a.pid} /T /F`)).code, 128);
      const gone = await rawExec(c, BOOT, `Stop-Process -Id ${a.pid} -Force`);
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /Cannot find a process with the process identifier/);
    } finally {
      c.end();
    }
  });

  test('an interrupt marker request fires ctx.interrupt of that process and leaves the marker in %TEMP%', async () => {
    const h = await start({ respond: async (script, ctx) => {
      if (script !== ps.sleepSeconds(30)) return { exitCode: 99 };
      await new Promise((resolve) => ctx.interrupt.addEventListener('abort', resolve, { once: true }));
      return { stdout: 'got-interrupt\n', exitCode: 7 };
    } });
    const c = await rawClient(h);
    try {
      const done = rawExec(c, BOOT, ps.sleepSeconds(30));
      for (let i = 0; i < 200 && h.running().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const pid = h.running()[0] as number;
      const marker = `New-Item -ItemType File -Force -Path (Join-Path $env:TEMP 'gofleet-interrupt-${pid}') | Out-Null`;
      assert.equal((await rawExec(c, powershellCommandLine(marker))).code, 0);
      const r = await done;
      assert.deepEqual([r.code, r.stdout], [7, 'got-interrupt\r\n']);
      assert.deepEqual(h.interrupts, [pid]);
      assert.deepEqual(h.terminations, []);
      assert.ok(statSync(h.drives.toLocal(`${h.temp}\\gofleet-interrupt-${pid}`)).isFile());
    } finally {
      c.end();
    }
  });

  test('ctx.drop() cuts the connection mid-command: the transport reports CONNECTION_LOST', async () => {
    const h = await start({ transportCompat: 'posix-wrapper', respond: async (_s, ctx) => {
      ctx.stdout('working\n');
      await ctx.sleep(50);
      ctx.drop();
      await ctx.sleep(10_000);
    } });
    const t = await connectSsh(h.spec(), base);
    const err = await caught(t.exec(BOOT, { stdin: 'x' }));
    assert.equal(err.code, 'CONNECTION_LOST');
    await t.close();
  });

  test('SFTP: /C:/ paths, realpath, Windows rename and read-only rules, invalid names refused', async () => {
    const h = await start();
    const c = await rawClient(h);
    try {
      const s = await sftpOf(c);
      assert.equal(await call((cb) => s.realpath('.', cb)), '/C:/Users/deploy');
      assert.equal(await call((cb) => s.realpath('/c:/Users/../ProgramData/', cb)), '/C:/ProgramData');
      await call((cb) => s.mkdir('/C:/ProgramData', cb));
      await call((cb) => s.writeFile('/C:/ProgramData/a b.txt', 'one', cb));
      await call((cb) => s.writeFile('/C:/ProgramData/ü.txt', 'two', cb));
      assert.equal(readFileSync(h.drives.toLocal('C:\\ProgramData\\a b.txt'), 'utf8'), 'one');
      await assert.rejects(call((cb) => s.rename('/C:/ProgramData/a b.txt', '/C:/ProgramData/ü.txt', cb)), /already exists/);
      await call((cb) => s.ext_openssh_rename('/C:/ProgramData/a b.txt', '/C:/ProgramData/ü.txt', cb));
      assert.equal(readFileSync(h.drives.toLocal('/C:/ProgramData/ü.txt'), 'utf8'), 'one');
      await assert.rejects(call((cb) => s.writeFile('/C:/ProgramData/q"x.txt', 'x', cb)), /invalid file name/);
      await assert.rejects(call((cb) => s.stat('/tmp', cb)), /not a path on a drive/);
      await call((cb) => s.chmod('/C:/ProgramData/ü.txt', 0o444, cb));
      const st = await call((cb) => s.stat('/C:/ProgramData/ü.txt', cb)) as { mode: number };
      assert.equal(st.mode, 0o100444);
      await assert.rejects(call((cb) => s.writeFile('/C:/ProgramData/ü.txt', 'x', cb)), /Access is denied/);
      await assert.rejects(call((cb) => s.unlink('/C:/ProgramData/ü.txt', cb)), /Access is denied/);
      await call((cb) => s.chmod('/C:/ProgramData/ü.txt', 0o644, cb));
      h.locked.add(h.drives.toLocal('/C:/ProgramData/ü.txt'));
      await assert.rejects(call((cb) => s.unlink('/C:/ProgramData/ü.txt', cb)), /being used by another process/);
      h.locked.clear();
      await call((cb) => s.unlink('/C:/ProgramData/ü.txt', cb));
      assert.throws(() => statSync(h.drives.toLocal('/C:/ProgramData/ü.txt')), /ENOENT/);
    } finally {
      c.end();
    }
  });

  test('without posix-rename@openssh.com advertised, the client cannot use it', async () => {
    const h = await start({ posixRename: false });
    const c = await rawClient(h);
    try {
      const s = await sftpOf(c);
      await call((cb) => s.writeFile('/C:/a', 'a', cb));
      assert.throws(() => s.ext_openssh_rename('/C:/a', '/C:/b', () => undefined), /does not support/);
    } finally {
      c.end();
    }
  });
});
