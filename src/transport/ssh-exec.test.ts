import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PidLine, wrapCommand } from './ssh-exec.ts';

function feed(chunks: string[]): { pid: number | undefined; out: string } {
  const out: Buffer[] = [];
  const p = new PidLine((c) => out.push(c));
  for (const c of chunks) p.write(Buffer.from(c));
  p.end();
  return { pid: p.pid, out: Buffer.concat(out).toString() };
}

test('wrapCommand prefixes one line that reports the shell pid on stderr', () => {
  assert.equal(wrapCommand('sh -s'), `printf 'gofleet-pid:%s\\n' "$$" >&2\nsh -s`);
});

test('PidLine strips the pid line, also when split across chunks or after login-shell noise', () => {
  assert.deepEqual(feed(['gofleet-pid:42\nreal error\n']), { pid: 42, out: 'real error\n' });
  assert.deepEqual(feed(['gofleet-', 'pid:7', '\n', 'é\n']), { pid: 7, out: 'é\n' });
  assert.deepEqual(feed(['motd noise\ngofleet-pid:9\nafter']), { pid: 9, out: 'motd noise\nafter' });
  assert.deepEqual(feed(['no marker here\n']), { pid: undefined, out: 'no marker here\n' });
  assert.deepEqual(feed(['xgofleet-pid:5\n']), { pid: undefined, out: 'xgofleet-pid:5\n' });
  const big = 'e'.repeat(5000);
  assert.deepEqual(feed([big, 'gofleet-pid:3\n']), { pid: undefined, out: `${big}gofleet-pid:3\n` });
});
