import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand } from './run-command.ts';

const opts = { cwd: '/', env: { PATH: process.env.PATH } };

test('exit code, interleaved output and stdout alone come back as data', async () => {
  const r = await runCommand('sh', ['-c', 'echo out; echo err >&2; exit 3'], opts);
  assert.equal(r.exitCode, 3);
  assert.equal(r.stdout, 'out\n');
  assert.match(r.output, /out\n/);
  assert.match(r.output, /err\n/);
  assert.equal(r.timedOut, false);
});

test('a command that cannot start resolves with exitCode null', async () => {
  const r = await runCommand('/nonexistent/go', ['version'], opts);
  assert.equal(r.exitCode, null);
  assert.match(r.output, /ENOENT/);
});

test('the timeout kills the whole process group, children included', { timeout: 10_000 }, async () => {
  const r = await runCommand('sh', ['-c', 'sleep 30 & echo started; wait'], { ...opts, timeoutMs: 300 });
  assert.equal(r.timedOut, true);
  assert.equal(r.exitCode, null);
  assert.match(r.output, /started/);
});

test('stdin is passed through', async () => {
  const r = await runCommand('cat', [], { ...opts, stdin: 'commit message\n' });
  assert.equal(r.stdout, 'commit message\n');
});
