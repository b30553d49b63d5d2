import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Client } from 'ssh2';
import type { RemoteShell } from '../platform/remote-shell.ts';
import { PidLine, sshExec } from './ssh-exec.ts';

function feed(chunks: string[]): { pid: number | undefined; out: string } {
  const out: Buffer[] = [];
  const p = new PidLine((c) => out.push(c));
  for (const c of chunks) p.write(Buffer.from(c));
  p.end();
  return { pid: p.pid, out: Buffer.concat(out).toString() };
}

test('PidLine strips the pid line, also when split across chunks or after login-shell noise', () => {
  assert.deepEqual(feed(['gofleet-pid:42\nreal error\n']), { pid: 42, out: 'real error\n' });
  assert.deepEqual(feed(['gofleet-', 'pid:7', '\n', 'é\n']), { pid: 7, out: 'é\n' });
  assert.deepEqual(feed(['motd noise\ngofleet-pid:9\nafter']), { pid: 9, out: 'motd noise\nafter' });
  assert.deepEqual(feed(['no marker here\n']), { pid: undefined, out: 'no marker here\n' });
  assert.deepEqual(feed(['xgofleet-pid:5\n']), { pid: undefined, out: 'xgofleet-pid:5\n' });
  const big = 'e'.repeat(5000);
  assert.deepEqual(feed([big, 'gofleet-pid:3\n']), { pid: undefined, out: `${big}gofleet-pid:3\n` });
});

test('PidLine takes a CRLF pid line (PowerShell) out whole', () => {
  assert.deepEqual(feed(['gofleet-pid:4242\r\n#< CLIXML\r\n']), { pid: 4242, out: '#< CLIXML\r\n' });
});

/** A stand-in for ssh2's Client: records exec'd command lines; the first channel is the command, which prints
 *  `stderr` and then runs until closed; every later channel (a stop command) ends at once. */
function fakeClient(stderr: string): { client: Client; commands: string[]; closed: () => boolean } {
  const commands: string[] = [];
  let closed = false;
  const client = {
    exec(command: string, cb: (err: Error | undefined, ch: unknown) => void) {
      commands.push(command);
      const ch = Object.assign(new EventEmitter(), {
        stderr: new EventEmitter(),
        resume() {},
        end() {},
        close() {
          closed = true;
          setImmediate(() => ch.emit('close'));
        },
      });
      ch.stderr = Object.assign(ch.stderr, { resume() {} });
      setImmediate(() => {
        cb(undefined, ch);
        if (commands.length === 1) setImmediate(() => ch.stderr.emit('data', Buffer.from(stderr)));
        else setImmediate(() => ch.emit('close'));
      });
    },
  };
  return { client: client as unknown as Client, commands, closed: () => closed };
}

const shell: RemoteShell = {
  kind: 'posix',
  wrap: (c) => `WRAP(${c})`,
  terminate: (pid) => `TERMINATE ${pid}`,
  interrupt: (pid) => `INTERRUPT ${pid}`,
  pathSeparators: '/',
  sftpPath: (path: string) => path,
};

test('sshExec sends the command as the remote shell wraps it and stops it with the shell\'s terminate for the reported pid', { timeout: 10_000 }, async () => {
  const f = fakeClient('gofleet-pid:77\nwarming up\n');
  const r = await sshExec(f.client, 'run it', { timeoutMs: 50 }, { host: 'h', shell, killGraceMs: 10 });
  assert.equal(r.timedOut, true);
  assert.equal(r.stderr, 'warming up\n');
  assert.deepEqual(f.commands, ['WRAP(run it)', 'TERMINATE 77']);
  assert.ok(f.closed());
});

test('sshExec: an interrupt sends the shell\'s interrupt command once, nothing else', { timeout: 10_000 }, async () => {
  const f = fakeClient('gofleet-pid:78\n');
  const ac = new AbortController();
  const p = sshExec(f.client, 'script', { interrupt: ac.signal, timeoutMs: 300 }, { host: 'h', shell, killGraceMs: 10 });
  setTimeout(() => ac.abort(), 20);
  await p;
  assert.deepEqual(f.commands.slice(0, 2), ['WRAP(script)', 'INTERRUPT 78']);
});

test('sshExec without a remote shell (not detected yet) sends the command as it is and leaves stderr alone', { timeout: 10_000 }, async () => {
  const f = fakeClient('gofleet-pid:79\n');
  const r = await sshExec(f.client, 'echo x', { timeoutMs: 50 }, { host: 'h', killGraceMs: 10 });
  assert.equal(r.timedOut, true);
  assert.deepEqual(f.commands, ['echo x'], 'no stop command: there is no shell to write it in');
  assert.equal(r.stderr, 'gofleet-pid:79\n');
  assert.ok(f.closed(), 'the channel is closed instead');
});
