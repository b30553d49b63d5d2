// A flat mirror whose FILE.sha256 disagrees with the independent index (issue 12): `upgrade` over a real sshd
// host refuses it with SOURCE_CHECKSUM_DISAGREES naming the mirror, the index and both values, downloads
// nothing from the mirror and leaves the host byte-for-byte as it was. Once the mirror's .sha256 agrees, the
// same command upgrades the host (the setup itself is sound). Loopback servers only: the "official" index is a
// loopback http-source server given as --checksum-source.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startHttpSource, type HttpSource } from '../harness/http-source.ts';
import { sshdSkip, type SshdHost } from '../harness/sshd.ts';
import { fakeToolchainArchive, writeSourceDir, type FixtureArchive } from '../harness/toolchains.ts';
import { execOn, gofleet, goVersionOn, snapshotHost, startUpgradeFleet, tempDirs, type UpgradeFleet } from './helpers.ts';

const skip = sshdSkip();
const { tmp } = tempDirs();
const STALE = 'c'.repeat(64);
const HOST_CACHE = '/usr/local/gofleet/versions/.gofleet/cache';

interface HostJson {
  name: string;
  status: string;
  error: { code: string; message: string } | null;
}

describe('a mirror whose .sha256 disagrees with the official index', { skip, timeout: 300_000 }, () => {
  let fleet: UpgradeFleet;
  let host: SshdHost;
  let target: FixtureArchive;
  let official: HttpSource;
  let mirror: HttpSource;
  let mirrorDir: string;

  before(async () => {
    fleet = await startUpgradeFleet(1, 'mirror-sum', { toolchain: 'fake' });
    host = fleet.hosts[0] as SshdHost;
    target = await fakeToolchainArchive('go1.27.3');
    official = await startHttpSource(fleet.source); // index.json with the true SHA-256
    mirrorDir = tmp('mirror');
    writeSourceDir(mirrorDir, [target], { index: false, sha256Files: true }); // the true bytes...
    writeFileSync(join(mirrorDir, `${target.filename}.sha256`), `${STALE}  ${target.filename}\n`); // ...a stale checksum
    mirror = await startHttpSource(mirrorDir, { basePath: '/golang/', serveIndex: false });
  });
  after(async () => {
    await Promise.all([official?.close(), mirror?.close()]);
    await fleet?.stop();
  });

  const upgrade = (cacheDir: string) =>
    gofleet('upgrade', '-i', fleet.inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', mirror.url, '--checksum-source', official.url, '--cache-dir', cacheDir);

  test('upgrade: SOURCE_CHECKSUM_DISAGREES naming both, nothing downloaded from the mirror, nothing installed', async () => {
    const before = await snapshotHost(host);
    const cacheDir = tmp('cache');
    const r = await upgrade(cacheDir);
    assert.notEqual(r.code, 0, r.stdout + r.stderr);
    const [h] = r.json<{ hosts: HostJson[] }>().hosts;
    assert.equal(h?.status, 'failed', JSON.stringify(h));
    assert.equal(h?.error?.code, 'SOURCE_CHECKSUM_DISAGREES', JSON.stringify(h));
    const message = h?.error?.message ?? '';
    for (const part of [`${target.filename}.sha256 beside the file (${mirror.url})`, `index.json of ${official.url}`, STALE, target.sha256]) {
      assert.ok(message.includes(part), `${JSON.stringify(part)} in ${message}`);
    }
    assert.equal(mirror.count(target.filename), 0, 'the archive was never downloaded from the mirror');
    assert.deepEqual(readdirSync(cacheDir), [], 'nothing in the controller cache');
    assert.equal(await snapshotHost(host), before, 'the host is byte-for-byte unchanged');
    assert.equal(await goVersionOn(host), 'go1.26.8');
  });

  test("a mirror index.json vouching for other bytes that the host already caches: refused, the cached copy is not installed", async () => {
    const other = await fakeToolchainArchive('go1.27.3', { broken: 'wrong-version' });
    const dir = tmp('mirror-index');
    writeSourceDir(dir, [other], { index: true, sha256Files: false }); // index.json lists the other bytes' SHA-256
    const lying = await startHttpSource(dir, { basePath: '/golang/' });
    const planted = `${HOST_CACHE}/${target.filename}`;
    try {
      const put = await execOn(host, `mkdir -p '${HOST_CACHE}' && cat > '${planted}'`, readFileSync(other.path));
      assert.equal(put.exitCode, 0, put.stderr);
      const before = await snapshotHost(host);
      const r = await gofleet('upgrade', '-i', fleet.inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', lying.url, '--checksum-source', official.url, '--cache-dir', tmp('cache'));
      const [h] = r.json<{ hosts: HostJson[] }>().hosts;
      assert.equal(h?.error?.code, 'SOURCE_CHECKSUM_DISAGREES', r.stdout + r.stderr);
      assert.ok(h?.error?.message.includes(`index.json of ${lying.url}`) && h.error.message.includes(other.sha256), h?.error?.message);
      assert.equal(await snapshotHost(host), before, 'the host is byte-for-byte unchanged');
      assert.equal(await goVersionOn(host), 'go1.26.8');
    } finally {
      await lying.close();
      await execOn(host, `rm -f '${planted}'`);
    }
  });

  test('the same mirror with an agreeing .sha256: upgraded (the setup is sound)', async () => {
    writeFileSync(join(mirrorDir, `${target.filename}.sha256`), `${target.sha256}\n`);
    const r = await upgrade(tmp('cache'));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.json<{ hosts: HostJson[] }>().hosts[0]?.status, 'upgraded');
    assert.equal(mirror.count(target.filename), 1);
    assert.equal(await goVersionOn(host), 'go1.27.3');
  });
});
