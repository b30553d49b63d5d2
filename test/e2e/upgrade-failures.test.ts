// Failures, end to end: real sshd hosts, the real CLI (in-process, and once as a child process killed with
// SIGKILL). Every case checks that the failing host gets a clear coded error and the right status, that the
// other hosts carry on, and that EVERY host is left on a working toolchain with its goroot (link or manual
// directory) as it was. Real toolchains only where the case needs one: a real go1.26.8 to fall back to after a
// failed verification, a real go1.27.3 to overflow a disk and to keep a host busy long enough to kill the
// controller mid-way. Small fake toolchains (a sh script answering `go version`, `go env`, `go build`) elsewhere.

import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { startHttpSource, type HttpSource } from '../harness/http-source.ts';
import { startCutProxy, type CutProxy } from '../harness/tcp-cut-proxy.ts';
import { corruptCopy, fakeToolchainArchive, toolchainArchive, writeSourceDir, type FixtureArchive } from '../harness/toolchains.ts';
import {
  closedPort, execOn, fleetInventory, gofleet, goVersionOn, gorootState, installByHand, installManaged, listDir, paddedArchive,
  snapshotHost, spawnGofleet, tempFile, waitFor, tempDirs, type CliRun } from './helpers.ts';

const skip = sshdSkip();
const VDIR = '/usr/local/gofleet/versions';
const META = `${VDIR}/.gofleet`;

interface StepJson {
  step: string;
  status: string;
  code?: string;
  message?: string;
}
interface HostJson {
  name: string;
  status: string;
  from: string | null;
  to: string | null;
  error: { code: string; message: string; hint: string } | null;
  steps: StepJson[];
}

function hostsOf(r: CliRun): Record<string, HostJson> {
  const doc = r.json<{ hosts: HostJson[] }>();
  return Object.fromEntries(doc.hosts.map((h) => [h.name, h]));
}

const { tmp, removeLater } = tempDirs();

/** Remove the temp dir a helper made for `path` (`levels` directories up) when the file is done. */
function tracked<T extends string | { path: string }>(made: T, levels = 1): T {
  let dir = typeof made === 'string' ? made : made.path;
  for (let i = 0; i < levels; i++) dir = dirname(dir);
  removeLater(dir);
  return made;
}

/** A source directory (go.dev/dl layout, index.json and .sha256 files) holding `archives`. */
function sourceDir(...archives: FixtureArchive[]): string {
  const dir = tmp('src');
  writeSourceDir(dir, archives);
  return dir;
}

function newKeyPair(): { path: string; pub: string } {
  const path = join(tmp('key'), 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'not-accepted', '-f', path]);
  const [type, key] = readFileSync(`${path}.pub`, 'utf8').trim().split(/\s+/);
  return { path, pub: `${type} ${key}` };
}

/** go still answers the expected version and goroot is exactly what it was. */
async function assertIntact(host: SshdHost, version: string, goroot: string): Promise<void> {
  assert.equal(await goVersionOn(host), version, `${host.name}: go version`);
  assert.equal(await gorootState(host), goroot, `${host.name}: goroot`);
  assert.deepEqual((await listDir(host, VDIR)).filter((n) => n.startsWith('.tmp-')), [], `${host.name}: no staging leftovers`);
  assert.ok(!(await listDir(host, META)).includes('lock'), `${host.name}: the host lock was released`);
}

/** After every case: every host of the fleet still has a go that answers `go version` through the login PATH. */
async function assertEveryHostHasGo(fleet: Fleet | undefined): Promise<void> {
  for (const h of fleet?.hosts ?? []) assert.match(await goVersionOn(h), /^go1\.\d+\.\d+$/, `${h.name} has a working go`);
}

function steps(h: HostJson, ...names: string[]): [string, string][] {
  return h.steps.filter((s) => names.includes(s.step)).map((s) => [s.step, s.status]);
}

describe('bad input through the CLI', () => {
  let inventory: string;
  let source: string;

  before(async () => {
    const port = await closedPort();
    inventory = tracked(await tempFile('inventory.yml', `hosts:\n  nowhere: { address: 127.0.0.1, port: ${port}, user: root }\n`));
    source = sourceDir(await fakeToolchainArchive('go1.27.3'));
  });

  test('malformed YAML: exit 4, stderr names file:line and INVENTORY_PARSE', async () => {
    const bad = tracked(await tempFile('bad.yml', 'defaults:\n  user: root\nhosts:\n  a:\n    address: 127.0.0.1\n   port: 22\n  b: { address: 127.0.0.1 }\n'));
    const r = await gofleet('upgrade', '-i', bad, '--to', 'go1.27.3', '--yes', '--json', '--source', source);
    assert.equal(r.code, 4, r.stderr);
    assert.ok(r.stderr.includes(`INVENTORY_PARSE: ${bad}:6:`), r.stderr);
    const { error } = r.json();
    assert.deepEqual([error.code, error.location], ['INVENTORY_PARSE', { file: bad, line: 6 }]);
  });

  test('a bad field: exit 4, stderr names file:line, the field and INVENTORY_INVALID', async () => {
    const bad = tracked(await tempFile('field.yml', 'defaults:\n  user: root\nhosts:\n  a: { address: 127.0.0.1, port: 22 }\n  b:\n    address: 127.0.0.1\n    port: banana\n'));
    const r = await gofleet('upgrade', '-i', bad, '--to', 'go1.27.3', '--yes', '--source', source);
    assert.equal(r.code, 4, r.stderr);
    assert.ok(r.stderr.includes(`INVENTORY_INVALID: ${bad}:7:`), r.stderr);
    assert.match(r.stderr, /hosts\.b\.port/);
  });

  test('an unknown version: exit 1 with VERSION_UNKNOWN, no host contacted', async () => {
    const r = await gofleet('upgrade', '-i', inventory, '--to', '1.99', '--yes', '--json', '--source', source);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /error VERSION_UNKNOWN: /);
    assert.equal(r.json().error.code, 'VERSION_UNKNOWN');
  });

  test('a bad option: --parallel 0 exits 5 with BAD_OPTION', async () => {
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--parallel', '0', '--yes', '--source', source);
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /BAD_OPTION: --parallel must be a whole number/);
  });
});

describe('a corrupt download and a toolchain that fails verification', { skip, timeout: 600_000 }, () => {
  let fleet: Fleet;
  let managed: SshdHost; // goroot is a link into versions_dir
  let manual: SshdHost; // goroot is a plain directory
  let inventory: string;
  const MANAGED = `link ${VDIR}/go1.26.8`;

  before(async () => {
    const from = await toolchainArchive('go1.26.8');
    fleet = await startHosts(2);
    [managed, manual] = fleet.hosts as [SshdHost, SshdHost];
    await Promise.all([installManaged(managed, from), installByHand(manual, from)]);
    inventory = tracked(fleetInventory(fleet));
  });

  afterEach(() => assertEveryHostHasGo(fleet));
  after(() => fleet?.stop());

  test('archive bytes that do not match the independent checksum: CHECKSUM_MISMATCH, exit 2, nothing switched or cached', async () => {
    const good = await toolchainArchive('go1.27.3');
    const mirror: HttpSource = await startHttpSource(sourceDir(corruptCopy(good, { dir: tmp('corrupt') })));
    const sums = sourceDir(good);
    const cacheDir = tmp('cache');
    const before = await Promise.all(fleet.hosts.map(snapshotHost));
    try {
      const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json',
        '--source', mirror.url, '--checksum-source', sums, '--cache-dir', cacheDir);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      for (const h of Object.values(hostsOf(r))) {
        assert.equal(h.status, 'failed', JSON.stringify(h));
        assert.equal(h.error?.code, 'CHECKSUM_MISMATCH');
        assert.deepEqual(steps(h, 'download', 'upload', 'switch'), [['download', 'fail']]);
      }
      const downloads = mirror.count(good.filename);
      assert.ok(downloads >= 1 && downloads <= fleet.hosts.length, `${downloads} downloads: at most one per host, never retried`);
    } finally {
      await mirror.close();
    }
    assert.deepEqual(await Promise.all(fleet.hosts.map(snapshotHost)), before, 'hosts byte-for-byte unchanged');
    assert.deepEqual(readdirSync(cacheDir), [], 'no archive (final or partial) left in the controller cache');
    await assertIntact(managed, 'go1.26.8', MANAGED);
    await assertIntact(manual, 'go1.26.8', 'dir go1.26.8');
  });

  test('a toolchain whose hello-world build fails: rolled_back with VERIFY_FAILED, exit 2, the real go1.26.8 answers', async () => {
    const broken = await fakeToolchainArchive('go1.27.3', { broken: 'build-fails' });
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', sourceDir(broken), '--cache-dir', tmp('cache'));
    assert.equal(r.code, 2, r.stdout + r.stderr);
    for (const h of Object.values(hostsOf(r))) {
      assert.deepEqual([h.status, h.from, h.to, h.error?.code], ['rolled_back', 'go1.26.8', 'go1.27.3', 'VERIFY_FAILED'], JSON.stringify(h));
      assert.match(h.error?.message ?? '', /hello-world build failed/);
      assert.deepEqual(steps(h, 'switch', 'verify', 'rollback'), [['switch', 'ok'], ['verify', 'fail'], ['rollback', 'ok']]);
    }
    await assertIntact(managed, 'go1.26.8', MANAGED);
    // the manual directory was adopted (moved under versions_dir) before the switch; the rollback points
    // goroot at that same tree, so the same real go1.26.8 answers through a link now
    await assertIntact(manual, 'go1.26.8', MANAGED);
    assert.deepEqual(steps(hostsOf(r)[manual.name] as HostJson, 'adopt'), [['adopt', 'ok']]);
  });

  test('a toolchain whose go is not executable: rolled_back with VERIFY_FAILED, goroot links unchanged', async () => {
    const broken = await fakeToolchainArchive('go1.27.4', { broken: 'no-exec' });
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.4', '--yes', '--json', '--source', sourceDir(broken), '--cache-dir', tmp('cache'));
    assert.equal(r.code, 2, r.stdout + r.stderr);
    for (const h of Object.values(hostsOf(r))) {
      assert.deepEqual([h.status, h.error?.code], ['rolled_back', 'VERIFY_FAILED'], JSON.stringify(h));
      assert.match(h.error?.message ?? '', /expected go1\.27\.4/);
      assert.deepEqual(steps(h, 'switch', 'verify', 'rollback'), [['switch', 'ok'], ['verify', 'fail'], ['rollback', 'ok']]);
    }
    for (const h of fleet.hosts) await assertIntact(h, 'go1.26.8', MANAGED);
  });
});

describe('connection failures: unreachable, wrong key, host keys, a cut upload', { skip, timeout: 600_000 }, () => {
  let fleet: Fleet;
  let h1: SshdHost;
  let h2: SshdHost;
  let fakeSource: string;

  before(async () => {
    const [from, fake] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
    fakeSource = sourceDir(fake);
    fleet = await startHosts(2);
    [h1, h2] = fleet.hosts as [SshdHost, SshdHost];
    await Promise.all(fleet.hosts.map((h) => installByHand(h, from)));
  });

  afterEach(() => assertEveryHostHasGo(fleet));
  after(() => fleet?.stop());

  const upgrade = (inventory: string, ...extra: string[]): Promise<CliRun> =>
    gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', fakeSource, '--cache-dir', tmp('cache'), ...extra);

  test('an unreachable host next to a good one: HOST_UNREACHABLE, exit 3, the good one upgraded', async () => {
    const inventory = tracked(fleetInventory(fleet, [{ host: h1 }, { host: h1, name: 'ghost', port: await closedPort() }]));
    const r = await upgrade(inventory);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    const hosts = hostsOf(r);
    assert.deepEqual([hosts[h1.name]?.status, hosts[h1.name]?.from, hosts[h1.name]?.to], ['upgraded', 'go1.26.8', 'go1.27.3']);
    assert.deepEqual([hosts.ghost?.status, hosts.ghost?.error?.code], ['unreachable', 'HOST_UNREACHABLE']);
    assert.equal(await goVersionOn(h1), 'go1.27.3');
    assert.equal(await gorootState(h1), `link ${VDIR}/go1.27.3`);
  });

  test('a key the host does not accept: AUTH_FAILED, unreachable, one connection and no retry', async () => {
    const inventory = tracked(fleetInventory(fleet, [{ host: h2, extra: `identity: ${newKeyPair().path}` }]));
    const before = await snapshotHost(h2);
    const connections = h2.connectionCount();
    const r = await upgrade(inventory);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    const h = hostsOf(r)[h2.name];
    assert.deepEqual([h?.status, h?.error?.code], ['unreachable', 'AUTH_FAILED'], JSON.stringify(h));
    assert.equal(h2.connectionCount(), connections + 1, 'exactly one connection attempt');
    assert.equal(await snapshotHost(h2), before);
    await assertIntact(h2, 'go1.26.8', 'dir go1.26.8');
  });

  test('a changed host key: HOST_KEY_CHANGED even with --accept-new-host-keys; known_hosts not touched', async () => {
    const line = `[127.0.0.1]:${h2.port} ${newKeyPair().pub}\n`;
    const knownHosts = tracked(await tempFile('known_hosts', line));
    const inventory = tracked(fleetInventory(fleet, [{ host: h2, extra: `known_hosts: ${knownHosts}` }]));
    const before = await snapshotHost(h2);
    const r = await upgrade(inventory, '--accept-new-host-keys');
    assert.equal(r.code, 3, r.stdout + r.stderr);
    const h = hostsOf(r)[h2.name];
    assert.deepEqual([h?.status, h?.error?.code], ['unreachable', 'HOST_KEY_CHANGED'], JSON.stringify(h));
    assert.equal(readFileSync(knownHosts, 'utf8'), line);
    assert.equal(await snapshotHost(h2), before);
    await assertIntact(h2, 'go1.26.8', 'dir go1.26.8');
  });

  test('an unknown host: HOST_KEY_UNKNOWN; with --accept-new-host-keys it connects and the key is appended', async () => {
    const knownHosts = tracked(await tempFile('known_hosts', ''));
    const inventory = tracked(fleetInventory(fleet, [{ host: h2, extra: `known_hosts: ${knownHosts}` }]));
    const before = await snapshotHost(h2);
    const refused = await upgrade(inventory);
    assert.equal(refused.code, 3, refused.stdout + refused.stderr);
    const h = hostsOf(refused)[h2.name];
    assert.deepEqual([h?.status, h?.error?.code], ['unreachable', 'HOST_KEY_UNKNOWN'], JSON.stringify(h));
    assert.equal(readFileSync(knownHosts, 'utf8'), '');
    assert.equal(await snapshotHost(h2), before);

    const accepted = await gofleet('facts', '-i', inventory, '--json', '--accept-new-host-keys');
    assert.equal(accepted.code, 0, accepted.stdout + accepted.stderr);
    assert.equal(accepted.json().hosts[0].reachable, true);
    assert.equal(readFileSync(knownHosts, 'utf8'), `[127.0.0.1]:${h2.port} ${h2.hostKeyPub}\n`);
    const again = await gofleet('facts', '-i', inventory, '--json');
    assert.equal(again.code, 0, 'the recorded key is trusted from now on');
    await assertIntact(h2, 'go1.26.8', 'dir go1.26.8');
  });

  test('an upload cut mid-way: that host unreachable (CONNECTION_LOST), exit 3, the other upgraded, nothing half-installed; a re-run completes', async (t) => {
    const big = tracked(await paddedArchive(await fakeToolchainArchive('go1.28.0'), { randomMiB: 8 }), 2);
    assert.ok(big.size > 8_000_000);
    const proxy: CutProxy = await startCutProxy({ targetPort: h2.port, cutAfterBytes: 3_000_000 });
    const knownHosts = tracked(await tempFile('known_hosts', `${readFileSync(fleet.knownHostsPath, 'utf8')}[127.0.0.1]:${proxy.port} ${h2.hostKeyPub}\n`));
    const inventory = tracked(fleetInventory(fleet, [{ host: h1 }, { host: h2, port: proxy.port, extra: `known_hosts: ${knownHosts}` }]));
    const before = await snapshotHost(h2);
    let r: CliRun;
    try {
      r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.28.0', '--yes', '--json', '--source', sourceDir(big), '--cache-dir', tmp('cache'));
    } finally {
      await proxy.close();
    }
    // a lost connection is not a host failure: nothing on the host changed, so the run exits 3 (unreachable)
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.ok(proxy.cuts >= 1, 'the proxy cut the connection');
    const hosts = hostsOf(r);
    assert.deepEqual([hosts[h1.name]?.status, hosts[h1.name]?.from, hosts[h1.name]?.to], ['upgraded', 'go1.27.3', 'go1.28.0']);
    const cut = hosts[h2.name] as HostJson;
    assert.deepEqual([cut.status, cut.error?.code], ['unreachable', 'CONNECTION_LOST'], JSON.stringify(cut));
    t.diagnostic(`the cut host: ${cut.error?.code}: ${cut.error?.message}`);
    assert.deepEqual(steps(cut, 'upload', 'stage', 'switch'), [['upload', 'fail']]);
    assert.equal(await goVersionOn(h1), 'go1.28.0');
    // the cut host: old Go, no new version, nothing under the final name in the cache or in /tmp
    await assertIntact(h2, 'go1.26.8', 'dir go1.26.8');
    assert.equal(await snapshotHost(h2), before, '/usr/local unchanged');
    assert.ok(!(await listDir(h2, `${META}/cache`)).includes(big.filename));
    const run = r.json<{ run: string }>().run;
    const tmpFiles = await listDir(h2, '/tmp');
    assert.ok(!tmpFiles.includes(`gofleet-${run}-${big.filename}`), 'no upload under its final name');
    const parts = tmpFiles.filter((n) => n.endsWith('.gofleet-part'));
    if (parts.length > 0) t.diagnostic(`partial upload left under a temp name in the cut host's /tmp: ${parts.join(', ')}`);

    // without the cut, the same upgrade goes through
    const again = await gofleet('upgrade', '-i', tracked(fleetInventory(fleet, [{ host: h2 }])), '--to', 'go1.28.0', '--yes', '--json',
      '--source', sourceDir(big), '--cache-dir', tmp('cache'));
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(await goVersionOn(h2), 'go1.28.0');
  });
});

describe('privilege: become without passwordless sudo, and no become at all', { skip, timeout: 600_000 }, () => {
  let fleet: Fleet;
  let fakeSource: string;

  before(async () => {
    const [from, fake] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
    fakeSource = sourceDir(fake);
    fleet = await startHosts(3, { hosts: [{ deploySudo: 'none' }, { deploySudo: 'password' }, { deploySudo: 'nopasswd' }] });
    await Promise.all(fleet.hosts.map((h) => installByHand(h, from)));
  });

  afterEach(() => assertEveryHostHasGo(fleet));
  after(() => fleet?.stop());

  test('deploy with become: BECOME_FAILED where sudo is missing or asks a password (untouched); NOPASSWD upgrades', async () => {
    const [none, password, nopasswd] = fleet.hosts as [SshdHost, SshdHost, SshdHost];
    const inventory = tracked(fleetInventory(fleet, fleet.hosts.map((host) => ({ host, extra: 'user: deploy, become: true' }))));
    const before = await Promise.all([none, password].map(snapshotHost));
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', fakeSource, '--cache-dir', tmp('cache'));
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const hosts = hostsOf(r);
    for (const h of [none, password]) {
      assert.deepEqual([hosts[h.name]?.status, hosts[h.name]?.error?.code], ['failed', 'BECOME_FAILED'], JSON.stringify(hosts[h.name]));
    }
    assert.deepEqual([hosts[nopasswd.name]?.status, hosts[nopasswd.name]?.to], ['upgraded', 'go1.27.3'], JSON.stringify(hosts[nopasswd.name]));
    assert.deepEqual(await Promise.all([none, password].map(snapshotHost)), before);
    for (const h of [none, password]) await assertIntact(h, 'go1.26.8', 'dir go1.26.8');
    await assertIntact(nopasswd, 'go1.27.3', `link ${VDIR}/go1.27.3`);
  });

  test('deploy without become: NO_PRIVILEGE, exit 2, untouched', async () => {
    const hosts = fleet.hosts.slice(0, 2);
    const inventory = tracked(fleetInventory(fleet, hosts.map((host) => ({ host, extra: 'user: deploy' }))));
    const before = await Promise.all(hosts.map(snapshotHost));
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', fakeSource, '--cache-dir', tmp('cache'));
    assert.equal(r.code, 2, r.stdout + r.stderr);
    for (const h of Object.values(hostsOf(r))) assert.deepEqual([h.status, h.error?.code], ['failed', 'NO_PRIVILEGE'], JSON.stringify(h));
    assert.deepEqual(await Promise.all(hosts.map(snapshotHost)), before);
    for (const h of hosts) await assertIntact(h, 'go1.26.8', 'dir go1.26.8');
  });
});

// a small ext4, not a tmpfs: gofleet refuses a versions_dir on a tmpfs (VOLATILE_PATH, issue 8)
describe('a full disk under versions_dir (40 MiB file system)', { skip, timeout: 600_000 }, () => {
  let fleet: Fleet;
  let host: SshdHost;
  let inventory: string;

  before(async () => {
    const from = await fakeToolchainArchive('go1.26.8');
    fleet = await startHosts(1, { smallFs: { path: '/usr/local/gofleet', size: '40m' } });
    host = fleet.hosts[0] as SshdHost;
    await installByHand(host, from);
    inventory = tracked(fleetInventory(fleet));
  });

  afterEach(() => assertEveryHostHasGo(fleet));
  after(() => fleet?.stop());

  test('the real go1.27.3 cannot fit: DISK_FULL before anything is written, exit 2', async () => {
    const to = await toolchainArchive('go1.27.3');
    const before = await snapshotHost(host);
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', sourceDir(to), '--cache-dir', tmp('cache'));
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const h = hostsOf(r)[host.name];
    assert.deepEqual([h?.status, h?.error?.code], ['failed', 'DISK_FULL'], JSON.stringify(h));
    assert.match(h?.error?.message ?? '', /MiB free/);
    assert.equal(await snapshotHost(host), before);
    await assertIntact(host, 'go1.26.8', 'dir go1.26.8');
  });

  test('a small archive that expands beyond the free space: DISK_FULL from the host, nothing partial left', async () => {
    const bloated = tracked(await paddedArchive(await fakeToolchainArchive('go1.27.3'), { zerosMiB: 64 }), 2);
    assert.ok(bloated.size < 2_000_000, `the archive is small (${bloated.size} bytes), so the preflight passes`);
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', sourceDir(bloated), '--cache-dir', tmp('cache'));
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const h = hostsOf(r)[host.name] as HostJson;
    assert.deepEqual([h.status, h.error?.code], ['failed', 'DISK_FULL'], JSON.stringify(h));
    assert.deepEqual(h.steps.filter((s) => s.step === 'stage').map((s) => [s.status, s.code]), [['fail', 'DISK_FULL']], 'reported by the host while extracting');
    await assertIntact(host, 'go1.26.8', 'dir go1.26.8');
    assert.deepEqual(await listDir(host, VDIR), ['.gofleet'], 'no version dir, no .tmp-*');
    assert.deepEqual((await listDir(host, `${META}/cache`)).filter((n) => n !== bloated.filename), [], 'only the complete, verified archive is cached');
  });
});

describe('a controller killed with SIGKILL mid-upgrade', { skip, timeout: 600_000 }, () => {
  let fleet: Fleet;
  let host: SshdHost;
  let inventory: string;
  let source: string;

  before(async () => {
    const [from, to] = await Promise.all([toolchainArchive('go1.26.8'), toolchainArchive('go1.27.3')]);
    source = sourceDir(to);
    fleet = await startHosts(1);
    host = fleet.hosts[0] as SshdHost;
    await installManaged(host, from);
    inventory = tracked(fleetInventory(fleet));
  });

  afterEach(() => assertEveryHostHasGo(fleet));
  after(() => fleet?.stop());

  test('the host script finishes or rolls back on its own; a re-run completes; go never goes missing', async (t) => {
    // watch the host the whole time: goroot must always hold a go that answers
    const gaps: string[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const r = await execOn(host, '/usr/local/go/bin/go version');
        if (r.exitCode !== 0) gaps.push(`exit ${r.exitCode}: ${r.stderr.trim()}`);
        await new Promise((res) => setTimeout(res, 200));
      }
    })();
    const cacheDir = tmp('cache');
    const cli = spawnGofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', source, '--cache-dir', cacheDir);
    let exited = false;
    void cli.exited.then(() => (exited = true));
    try {
      // staging extracts into <versions_dir>/.tmp-*; verification builds in <versions_dir>/.gofleet/verify.*
      const busy = await waitFor('the host to stage or verify', async () => {
        if (exited) throw new Error(`the CLI ended before the host staged or verified:\n${cli.output()}`);
        const r = await execOn(host, `ls -d ${VDIR}/.tmp-* ${META}/verify.* 2>/dev/null`);
        return r.stdout.trim().split('\n')[0] || undefined;
      }, { timeoutMs: 180_000, intervalMs: 50 });
      cli.child.kill('SIGKILL');
      assert.equal((await cli.exited).signal, 'SIGKILL');
      t.diagnostic(`killed the controller while the host had ${busy}`);

      await waitFor('the host script to release the lock', async () => !(await listDir(host, META)).includes('lock'),
        { timeoutMs: 300_000, intervalMs: 500 });
      const landed = await goVersionOn(host);
      t.diagnostic(`the orphaned host script left the host on ${landed}`);
      assert.ok(['go1.26.8', 'go1.27.3'].includes(landed), `after the kill: ${landed}`);
      await assertIntact(host, landed, `link ${VDIR}/${landed}`);

      const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', source, '--cache-dir', cacheDir);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const h = hostsOf(r)[host.name];
      assert.ok(['upgraded', 'unchanged'].includes(h?.status ?? ''), JSON.stringify(h));
      t.diagnostic(`the re-run reported ${h?.status}`);
      await assertIntact(host, 'go1.27.3', `link ${VDIR}/go1.27.3`);
    } finally {
      if (!exited) cli.child.kill('SIGKILL');
      watching = false;
      await watcher;
    }
    assert.deepEqual(gaps, [], 'goroot always held a working go');
  });
});
