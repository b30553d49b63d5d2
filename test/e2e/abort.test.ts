// A second Ctrl-C aborts the hosts in flight with rollback: two real sshd hosts upgraded from a real go1.26.8
// to a real go1.27.3; when host-1 is verifying (it has switched), the controller gets SIGINT twice. host-1
// must roll back to go1.26.8 (INTERRUPTED), every host must answer `go version`, no lock may be left, the
// command exits 99, and `resume` then finishes the run.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sshdSkip, type SshdHost } from '../harness/sshd.ts';
import { execOn, gofleet, goVersionOn, spawnGofleet, startUpgradeFleet, waitFor, type UpgradeFleet } from './helpers.ts';

const skip = sshdSkip();
const META = '/usr/local/gofleet/versions/.gofleet';

interface HostJson {
  name: string;
  status: string;
  error: { code: string; message: string } | null;
}

describe('a second Ctrl-C aborts hosts in flight with rollback', { skip, timeout: 600_000 }, () => {
  let fx: UpgradeFleet;
  let hosts: SshdHost[];
  let inventory: string;
  let work: string;
  let source: string;
  let state: string;

  before(async () => {
    fx = await startUpgradeFleet(2, 'abort');
    ({ hosts, inventory, work, source, state } = fx);
  });

  after(async () => {
    await fx?.stop();
  });

  test('the switched host rolls back, every host keeps a working go, exit 99; resume then finishes', async (t) => {
    const [h1] = hosts as [SshdHost, SshdHost];
    const cli = spawnGofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--parallel', '2',
      '--source', source, '--cache-dir', join(work, 'cache'), '--state', state);
    let exited = false;
    void cli.exited.then(() => (exited = true));
    try {
      // the verification build runs in <versions_dir>/.gofleet/verify.*, after the switch
      await waitFor('host-1 to verify after its switch', async () => {
        if (exited) throw new Error(`the CLI ended before host-1 verified:\n${cli.output()}`);
        const r = await execOn(h1, `ls -d ${META}/verify.* 2>/dev/null`);
        return r.stdout.trim() !== '';
      }, { timeoutMs: 240_000, intervalMs: 50 });
      cli.child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 200));
      cli.child.kill('SIGINT');
    } catch (err) {
      if (!exited) cli.child.kill('SIGKILL');
      throw err;
    }
    const ended = await Promise.race([
      cli.exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit 120 s after the second Ctrl-C:\n${cli.output()}`)), 120_000)),
    ]);
    t.diagnostic(cli.output().split('\n').filter((l) => /interrupt|abort|leaving/i.test(l)).join(' | '));
    assert.equal(ended.code, 99, cli.output());
    const doc = JSON.parse(cli.stdout()) as { run: string; hosts: HostJson[] };
    const one = doc.hosts.find((h) => h.name === h1.name);
    assert.equal(one?.status, 'rolled_back', JSON.stringify(one));
    assert.equal(one?.error?.code, 'INTERRUPTED');
    assert.match(one?.error?.message ?? '', /stopped on SIG(TERM|INT) after the switch to go1\.27\.3; rolled back/);
    assert.equal(await goVersionOn(h1), 'go1.26.8', 'host-1 is back on its old toolchain');
    for (const h of hosts) {
      const v = await goVersionOn(h);
      assert.ok(v === 'go1.26.8' || v === 'go1.27.3', `${h.name} answers go version: ${v}`);
      const lock = await execOn(h, `ls -d ${META}/lock 2>/dev/null || echo no-lock`);
      assert.match(lock.stdout, /no-lock/, `${h.name}: no lock left`);
      const result = doc.hosts.find((x) => x.name === h.name);
      if (result?.status !== 'upgraded') assert.equal(result?.error?.code, 'INTERRUPTED', JSON.stringify(result));
    }

    // the run is resumable: hosts the abort rolled back or skipped are done again
    const resumed = await gofleet('resume', doc.run, '--yes', '--json', '--state', state);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    for (const h of hosts) assert.equal(await goVersionOn(h), 'go1.27.3', `${h.name} after resume`);
  });
});
