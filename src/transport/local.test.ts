import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTransportContract } from './contract.ts';
import { createLocalTransport } from './local.ts';

runTransportContract('local', async () => ({ transport: createLocalTransport() }));

test('local: a timeout still ends when a process that left the group holds stdout open', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-local-'));
  const t = createLocalTransport({ killGraceMs: 200 });
  try {
    const r = await t.exec(`setsid sh -c 'echo $$ > ${dir}/pid; exec sleep 30' & sleep 30`, { timeoutMs: 300 });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
  } finally {
    // the escaped sleep: kill it (if the group kill came before its setsid, it died with the group)
    const pidFile = join(dir, 'pid');
    for (let i = 0; i < 50 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 20));
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
    if (pid > 1) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true });
    await t.close();
  }
});

test('local: a missing shell rejects with a coded error', async () => {
  const t = createLocalTransport({ shell: '/nonexistent/sh' });
  await assert.rejects(t.exec('true'), { code: 'REMOTE_FAILED' });
});

test('local: stats count execs and bytes', async () => {
  const t = createLocalTransport({ host: 'here' });
  assert.equal(t.host, 'here');
  await t.exec('cat', { stdin: 'abc' });
  assert.deepEqual(t.stats, { execCount: 1, bytesSent: 3, bytesReceived: 3, connectMs: 0 });
});
