import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { posixRemoteShell } from './remote-shell.ts';

test('posix remote shell: the exact lines sent today (byte for byte)', () => {
  assert.equal(posixRemoteShell.wrap('sh -s'), `printf 'gofleet-pid:%s\\n' "$$" >&2\nsh -s`);
  assert.equal(posixRemoteShell.terminate(42), 'kill -TERM -- -42 2>/dev/null || exit 0; sleep 1; kill -KILL -- -42 2>/dev/null; exit 0');
  assert.equal(posixRemoteShell.interrupt(42), 'kill -TERM -- -42 2>/dev/null; exit 0');
  assert.equal(posixRemoteShell.pathSeparators, '/');
});

test('posix remote shell: a pid that is not a positive integer is refused, never put in a kill', () => {
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => posixRemoteShell.terminate(bad), RangeError);
    assert.throws(() => posixRemoteShell.interrupt(bad), RangeError);
  }
});

test('posix remote shell: the wrapped command prints its shell\'s pid first on stderr, under dash', () => {
  const r = spawnSync('dash', ['-c', posixRemoteShell.wrap('echo ok; echo "$$" >&2')], { encoding: 'utf8' });
  const [pidLine, own] = r.stderr.split('\n');
  assert.equal(r.stdout, 'ok\n');
  assert.equal(pidLine, `gofleet-pid:${own}`);
});

test('posix remote shell: SFTP takes the path as it is', () => {
  assert.equal(posixRemoteShell.sftpPath('/tmp/gofleet r1/go.tar.gz'), '/tmp/gofleet r1/go.tar.gz');
});
