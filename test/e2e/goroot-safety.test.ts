// issue 8, item 2: `goroot: /lib64` passed validation and plan, the upgrade repointed the host's /lib64 to a Go
// tree and the host could no longer run a dynamically linked program (no ssh login). These run against a real
// sshd host chrooted in a small root of its own (harness `ownRoot`: its own /bin, /lib, /lib64 links to a
// read-only /usr), so that even without the fix only the chroot's link could change, never this machine's.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { fakeToolchainArchive, writeSourceDir } from '../harness/toolchains.ts';
import { execOn, fleetInventory, gofleet, gorootState, installManaged, type CliRun } from './helpers.ts';

const skip = sshdSkip();
const VDIR = '/usr/local/gofleet/versions';

interface HostJson {
  name: string;
  status: string;
  error: { code: string; message: string } | null;
}

function hostOf(r: CliRun): HostJson {
  const doc = r.json<{ hosts: HostJson[] }>();
  assert.equal(doc.hosts.length, 1, r.stdout);
  return doc.hosts[0] as HostJson;
}

/** What plan says of the one host: its skip code (null when it would act). */
function planSkip(r: CliRun): string | null {
  const doc = r.json<{ waves: { hosts: { skip: { code: string } | null }[] }[] }>();
  return doc.waves[0]?.hosts[0]?.skip?.code ?? null;
}

describe('goroot safety on a host with a root of its own', { skip, timeout: 600_000 }, () => {
  let fleet: Fleet;
  let host: SshdHost;
  let work: string;
  let source: string;
  let inventory: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-goroot-safety-'));
    const [from, to] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
    source = join(work, 'src');
    writeSourceDir(source, [to]);
    fleet = await startHosts(1, { ownRoot: true, tmpfs: { path: '/usr/local/volatile', size: '8m' } });
    host = fleet.hosts[0] as SshdHost;
    await installManaged(host, from);
    inventory = fleetInventory(fleet);
  });

  /** the host still logs in over ssh and runs a dynamically linked program; its /lib64 is its own link */
  afterEach(async () => {
    const r = await gofleet('facts', '-i', inventory, '--json');
    assert.equal(r.code, 0, `the host is still reachable over ssh: ${r.stdout}${r.stderr}`);
    assert.equal(await gorootState(host, '/lib64'), 'link usr/lib64');
    assert.equal((await execOn(host, '/usr/bin/ls /usr/lib64 >/dev/null && echo ok')).stdout.trim(), 'ok');
  });

  after(async () => {
    await fleet?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const upgrade = (inv: string, ...extra: string[]) =>
    gofleet('upgrade', '-i', inv, '--to', 'go1.27.3', '--yes', '--json', '--source', source, '--cache-dir', join(work, 'cache'), ...extra);

  test('goroot: /lib64 in the inventory: upgrade and plan refuse it at its line (exit 4); /lib64 is untouched', async () => {
    const inv = fleetInventory(fleet, [{ host, extra: 'goroot: /lib64' }]);
    // the upgrade first, as in the report (afterEach then shows the host still logs in): without the fix it
    // repointed the chroot's /lib64 and the host could no longer run sshd's session program
    const r = await upgrade(inv);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    const plan = await gofleet('plan', '-i', inv, '--to', 'go1.27.3', '--source', source);
    assert.equal(plan.code, 4, plan.stdout + plan.stderr);
    assert.match(plan.stderr, /INVENTORY_INVALID: .*inventory\.yml:\d+: hosts\.host-1\.goroot: "\/lib64" is a system path \(\/lib64\)/);
  });

  test('goroot /usr/local/go -> /lib64 on the host: refused as SYSTEM_PATH from the physical path, nothing changed', async () => {
    await execOn(host, 'rm -f /usr/local/go && ln -s /lib64 /usr/local/go');
    try {
      const plan = await gofleet('plan', '-i', inventory, '--to', 'go1.27.3', '--source', source, '--json', '--adopt-link');
      assert.equal(plan.code, 0, plan.stdout + plan.stderr);
      assert.equal(planSkip(plan), 'SYSTEM_PATH', plan.stdout);
      const r = await upgrade(inventory, '--adopt-link');
      assert.equal(r.code, 2, r.stdout + r.stderr);
      const h = hostOf(r);
      assert.deepEqual([h.status, h.error?.code], ['failed', 'SYSTEM_PATH'], JSON.stringify(h));
      assert.match(h.error?.message ?? '', /physically \/usr\/lib64/);
      assert.equal(await gorootState(host), 'link /lib64');
    } finally {
      await execOn(host, `rm -f /usr/local/go && ln -s ${VDIR}/go1.26.8 /usr/local/go`);
    }
  });

  test('versions_dir on a tmpfs: VOLATILE_PATH (a reboot would leave the host without Go)', async () => {
    const inv = fleetInventory(fleet, [{ host, extra: 'versions_dir: /usr/local/volatile/versions' }]);
    const plan = await gofleet('plan', '-i', inv, '--to', 'go1.27.3', '--source', source, '--json');
    assert.equal(planSkip(plan), 'VOLATILE_PATH', plan.stdout + plan.stderr);
    const r = await upgrade(inv);
    assert.deepEqual([r.code, hostOf(r).error?.code], [2, 'VOLATILE_PATH'], r.stdout);
    assert.equal(await gorootState(host), `link ${VDIR}/go1.26.8`);
  });

  test('a goroot link to a non-toolchain: refused without --adopt-link; adopted with it; rollback restores the link', async () => {
    await execOn(host, 'mkdir -p /usr/local/share/not-go && rm -f /usr/local/go && ln -s /usr/local/share/not-go /usr/local/go');
    try {
      const refused = await upgrade(inventory);
      assert.equal(refused.code, 2, refused.stdout + refused.stderr);
      assert.equal(hostOf(refused).error?.code, 'GOROOT_NOT_TOOLCHAIN');
      assert.match(refused.stdout, /--adopt-link/);
      assert.equal(await gorootState(host), 'link /usr/local/share/not-go');

      const adopted = await upgrade(inventory, '--adopt-link');
      assert.equal(adopted.code, 0, adopted.stdout + adopted.stderr);
      assert.equal(hostOf(adopted).status, 'upgraded');
      assert.equal(await gorootState(host), `link ${VDIR}/go1.27.3`);

      const back = await gofleet('rollback', '-i', inventory, '--yes', '--json');
      assert.equal(back.code, 0, back.stdout + back.stderr);
      assert.equal(await gorootState(host), 'link /usr/local/share/not-go', 'rollback put the recorded link back');
    } finally {
      await execOn(host, `rm -f /usr/local/go && ln -s ${VDIR}/go1.26.8 /usr/local/go`);
    }
  });
});
