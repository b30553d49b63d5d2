// Two `gofleet upgrade` runs started together on the same two real sshd hosts (go1.26.8 -> go1.27.3). They race
// for each host's lock; the run that loses a host must not call it failed when the other run brings it to the
// target: it waits for the lock to be released, reads the host again and reports it unchanged. Every host is
// switched once, by one run, and both runs exit 0.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sshdSkip, type SshdHost } from '../harness/sshd.ts';
import { goVersionOn, spawnGofleet, startUpgradeFleet, type UpgradeFleet } from './helpers.ts';

const skip = sshdSkip();

interface HostJson {
  name: string;
  status: string;
  error: { code: string; message: string } | null;
  warnings: string[];
  steps: { step: string; status: string; code: string | null }[];
}

describe('two concurrent upgrade runs on the same hosts', { skip, timeout: 900_000 }, () => {
  let fx: UpgradeFleet;

  before(async () => {
    fx = await startUpgradeFleet(2, 'concurrent');
  });

  after(async () => {
    await fx?.stop();
  });

  test('each host is upgraded by one run and unchanged in the other; both exit 0', async () => {
    const args = (n: number): string[] => ['upgrade', '-i', fx.inventory, '--to', 'go1.27.3', '--yes', '--json', '--parallel', '2',
      '--source', fx.source, '--cache-dir', join(fx.work, `cache-${n}`), '--state', fx.state];
    const runs = [spawnGofleet(...args(1)), spawnGofleet(...args(2))];
    const ends = await Promise.all(runs.map((r) => r.exited));
    const docs = runs.map((r) => JSON.parse(r.stdout()) as { hosts: HostJson[] });
    const detail = runs.map((r, i) => `--- run ${i + 1} (exit ${ends[i]?.code}):\n${r.output()}`).join('\n');
    // the race really happened: some host's lock was met held by the other run (at plan time or in the script)
    const met = docs.flatMap((d) => d.hosts).some((h) => h.error?.code === 'HOST_LOCKED' || h.warnings.some((w) => /another gofleet run .* held the host/.test(w)));
    assert.ok(met, `the two runs did not meet on a host lock; the test proves nothing:\n${detail}`);
    for (const host of fx.hosts as SshdHost[]) {
      const statuses = docs.map((d) => d.hosts.find((h) => h.name === host.name)?.status).sort();
      assert.deepEqual(statuses, ['unchanged', 'upgraded'], `${host.name}: one run upgraded it, the other found it done\n${detail}`);
      assert.equal(await goVersionOn(host), 'go1.27.3');
    }
    assert.deepEqual(ends.map((e) => e.code), [0, 0], detail);
  });
});
