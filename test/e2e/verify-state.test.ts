// What a host remembers about verification, end to end on real sshd hosts (issue 8):
// - a host script killed after `switch ok` (the whole process group, from inside the host, as an OOM kill or
//   a crash would) leaves goroot switched but unverified: facts and plan say so, and the next run verifies the
//   broken compiler and rolls back instead of calling the host unchanged;
// - the version that failed verification is not reused as "already installed": once the source is fixed it is
//   staged again;
// - a rollback on a full disk (a 40 MiB ext4 disk under versions_dir: a tmpfs is refused as volatile) leaves a state file that tells the truth.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { startCutProxy, type CutProxy } from '../harness/tcp-cut-proxy.ts';
import { fakeToolchainArchive, writeSourceDir, type FixtureArchive } from '../harness/toolchains.ts';
import { execOn, fleetInventory, gofleet, goVersionOn, gorootState, installManaged, tempFile, waitFor, type CliRun } from './helpers.ts';

const skip = sshdSkip();
const VDIR = '/usr/local/gofleet/versions';
const META = `${VDIR}/.gofleet`;

interface HostJson {
  name: string;
  status: string;
  error: { code: string; message: string } | null;
  steps: { step: string; status: string; code?: string }[];
  warnings: string[];
}

const work = mkdtempSync(join(tmpdir(), 'gofleet-verify-state-'));
after(() => rmSync(work, { recursive: true, force: true }));
let sources = 0;

function sourceDir(...archives: FixtureArchive[]): string {
  const dir = join(work, `src-${++sources}`);
  writeSourceDir(dir, archives);
  return dir;
}

function hostOf(r: CliRun): HostJson {
  const doc = r.json<{ hosts: HostJson[] }>();
  assert.equal(doc.hosts.length, 1, r.stdout);
  return doc.hosts[0] as HostJson;
}

const trail = (h: HostJson): string => h.steps.map((s) => `${s.step}:${s.status}${s.code ? `:${s.code}` : ''}`).join(' ');

async function stateOf(host: SshdHost): Promise<string> {
  return (await execOn(host, `cat '${META}/state' 2>/dev/null || echo '(no state file)'`)).stdout;
}

/** Kill the host script's whole process group (its pid is in the lock) from inside the host, as a crash would. */
function killHostScript(host: SshdHost): Promise<{ exitCode: number }> {
  return execOn(host, `pid=$(sed -n 's/.*pid=\\([0-9]*\\).*/\\1/p' '${META}/lock/info'); pg=$(cut -d' ' -f5 /proc/$pid/stat); kill -9 -"$pg"`);
}

describe('a host script killed after `switch ok`, then a broken compiler', { skip, timeout: 300_000 }, () => {
  let fleet: Fleet;
  let host: SshdHost;
  let inventory: string;
  let broken: string;
  let fixed: string;

  before(async () => {
    const [from, bad, good] = await Promise.all([
      fakeToolchainArchive('go1.26.8'),
      fakeToolchainArchive('go1.27.3', { broken: 'build-fails' }),
      fakeToolchainArchive('go1.27.3'),
    ]);
    broken = sourceDir(from, bad);
    fixed = sourceDir(from, good);
    fleet = await startHosts(1);
    host = fleet.hosts[0] as SshdHost;
    await installManaged(host, from);
    inventory = fleetInventory(fleet);
  });
  after(() => fleet?.stop());

  test('the next run verifies the switch and rolls back; the failed version is restaged once the source is fixed', async () => {
    // a controller cache per source: the fixed archive has the broken one's file name
    const cacheOf = (source: string): string => `${source}-cache`;
    const upgrade = (source: string, ...extra: string[]): Promise<CliRun> =>
      gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', source, '--cache-dir', cacheOf(source), ...extra);

    // 1. verification hangs in the health command (the build check is off this time), and while it does the host
    //    script's whole process group is killed from inside the host
    const started = '/tmp/gofleet-health-started';
    const killer = waitFor('the health command on the host', async () => (await execOn(host, `test -e ${started}`)).exitCode === 0, { timeoutMs: 120_000, intervalMs: 100 })
      .then(() => killHostScript(host));
    const killed = await upgrade(broken, '--no-verify-build', '--health-cmd', `touch ${started}; sleep 120`);
    assert.equal((await killer).exitCode, 0, 'the host script was killed');
    assert.equal(hostOf(killed).status, 'failed', killed.stdout);
    assert.equal(await gorootState(host), `link ${VDIR}/go1.27.3`, 'the kill left goroot switched');

    // 2. the host says so: facts and plan
    const facts = await gofleet('facts', '-i', inventory, '--json');
    const managed = facts.json().hosts[0].managed;
    assert.deepEqual([managed.active, managed.unverified], ['go1.27.3', 'go1.27.3'], facts.stdout);
    assert.equal(facts.json().hosts[0].lock?.stale, true, "the dead script's lock is recognised as stale");
    const plan = await gofleet('plan', '-i', inventory, '--to', 'go1.27.3', '--json', '--source', broken, '--cache-dir', cacheOf(broken));
    assert.deepEqual(plan.json().waves[0].hosts[0].actions, ['verify'], plan.stdout);

    // 3. the next run verifies (the build check is back on: the compiler is broken) and rolls back
    const next = await upgrade(broken);
    const h = hostOf(next);
    assert.deepEqual([next.code, h.status, h.error?.code], [2, 'rolled_back', 'VERIFY_FAILED'], next.stdout);
    assert.match(h.error?.message ?? '', /hello-world build failed/);
    assert.match(trail(h), /lock:ok switch:skip verify:fail:VERIFY_FAILED rollback:ok unlock:ok/);
    assert.equal(await goVersionOn(host), 'go1.26.8');
    assert.equal(await gorootState(host), `link ${VDIR}/go1.26.8`);
    assert.doesNotMatch(await stateOf(host), /verify_pending/);
    assert.match(await stateOf(host), /^active=go1\.26\.8$/m);
    assert.equal((await execOn(host, `test -d '${META}/lock' && echo held || echo free`)).stdout.trim(), 'free');
    const marked = await gofleet('facts', '-i', inventory, '--json');
    assert.deepEqual(marked.json().hosts[0].managed.failed, ['go1.27.3'], marked.stdout);

    // 4. the source is fixed: the failed go1.27.3 is staged again, not reused as installed
    //    (the host's cached copy of the broken archive is dropped by hand: a stale cache is another item of issue 8)
    await execOn(host, `rm -rf '${META}/cache'`);
    const again = await upgrade(fixed);
    const a = hostOf(again);
    assert.deepEqual([again.code, a.status], [0, 'upgraded'], again.stdout);
    assert.match(trail(a), /stage:ok/, 'staged again');
    assert.equal(await goVersionOn(host), 'go1.27.3');
    const clean = await gofleet('facts', '-i', inventory, '--json');
    assert.deepEqual([clean.json().hosts[0].managed.failed, clean.json().hosts[0].managed.unverified], [undefined, undefined]);
  });
});


describe('the connection drops and the host script dies after the switch', { skip, timeout: 300_000 }, () => {
  let fleet: Fleet;
  let proxy: CutProxy;

  before(async () => {
    const from = await fakeToolchainArchive('go1.26.8');
    fleet = await startHosts(1);
    await installManaged(fleet.hosts[0] as SshdHost, from);
    proxy = await startCutProxy({ targetPort: (fleet.hosts[0] as SshdHost).port });
  });
  after(async () => {
    await proxy?.close();
    await fleet?.stop();
  });

  test('the controller reads back an unverified switch: failed, not upgraded', async () => {
    const host = fleet.hosts[0] as SshdHost;
    const source = sourceDir(await fakeToolchainArchive('go1.26.8'), await fakeToolchainArchive('go1.27.3'));
    const knownHosts = await tempFile('known_hosts', `${readFileSync(fleet.knownHostsPath, 'utf8')}[127.0.0.1]:${proxy.port} ${host.hostKeyPub}\n`);
    const inventory = fleetInventory(fleet, [{ host, port: proxy.port, extra: `known_hosts: ${knownHosts}` }]);
    const started = '/tmp/gofleet-health-started';
    const crash = waitFor('the health command on the host', async () => (await execOn(host, `test -e ${started}`)).exitCode === 0, { timeoutMs: 120_000, intervalMs: 100 })
      .then(async () => {
        proxy.cutAll();
        return killHostScript(host);
      });
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', source, '--cache-dir', `${source}-cache`,
      '--no-verify-build', '--health-cmd', `touch ${started}; sleep 120`);
    assert.equal((await crash).exitCode, 0);
    assert.ok(proxy.cuts >= 1, 'the connection was cut');
    const h = hostOf(r);
    assert.deepEqual([r.code, h.status, h.error?.code], [2, 'failed', 'VERIFY_FAILED'], r.stdout);
    assert.match(h.error?.message ?? '', /stopped after switching to go1\.27\.3, before verifying it/);
    assert.match(trail(h), /recover:ok/);
    assert.equal(await gorootState(host), `link ${VDIR}/go1.27.3`, 'left switched, for the next run to verify');

    // `use` of that version verifies it too (the toolchain is fine: kept), rather than calling it unchanged
    const use = await gofleet('use', 'go1.27.3', '-i', inventory, '--yes', '--json');
    const u = hostOf(use);
    assert.deepEqual([use.code, u.status], [0, 'switched'], use.stdout);
    assert.match(trail(u), /switch:skip verify:ok/);
    assert.doesNotMatch(await stateOf(host), /verify_pending/);
  });
});

describe('a rollback on a full disk (40 MiB ext4 disk under versions_dir)', { skip, timeout: 300_000 }, () => {
  let fleet: Fleet;
  let host: SshdHost;
  let inventory: string;
  let source: string;

  before(async () => {
    const [from, to] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
    source = sourceDir(from, to);
    fleet = await startHosts(1, { smallFs: { path: '/usr/local/gofleet', size: '40m' } });
    host = fleet.hosts[0] as SshdHost;
    await installManaged(host, from);
    inventory = fleetInventory(fleet);
  });
  after(() => fleet?.stop());

  test('the disk fills during verification: rolled back, and the state file says the old version is active', async () => {
    // the health check fills the disk (as a runaway log would) and fails: the rollback finds no free block
    // (ext4: after dd, the last free blocks go to small files, so not even a 100-byte state file fits)
    const fill = 'dd if=/dev/zero of=/usr/local/gofleet/filler bs=4k 2>/dev/null; i=0; ' +
      'while [ $i -lt 5000 ] && printf x >/usr/local/gofleet/fill-$i 2>/dev/null; do i=$((i+1)); done; exit 1';
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', source, '--cache-dir', join(work, 'cache-full'), '--health-cmd', fill);
    const h = hostOf(r);
    assert.deepEqual([h.status, h.error?.code], ['rolled_back', 'VERIFY_FAILED'], r.stdout);
    const free = Number((await execOn(host, `df -Pk ${VDIR} | awk 'NR == 2 { print $4 }'`)).stdout.trim());
    assert.ok(free < 64, `the disk is still (nearly) full: ${free} KiB free`);
    assert.equal(await goVersionOn(host), 'go1.26.8');
    const state = await stateOf(host);
    assert.doesNotMatch(state, /go1\.27\.3/, state);
    assert.match(state, /^active=go1\.26\.8$/m, state);
    assert.ok(h.warnings.some((w) => /could not write .*state/.test(w)), JSON.stringify(h.warnings));
  });
});
