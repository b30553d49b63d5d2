// What earlier runs left on a host, end to end on a real sshd host with the real CLI: a bad archive in the
// host's cache (found by name, it used to make every later run fail CHECKSUM_MISMATCH), a cached archive
// whose stage failed (it must not be kept), and the leftovers of scripts and uploads that died mid-way
// (a partial upload in /tmp, a half-extracted .tmp-<v>-<pid> tree), which the next run removes under its lock.

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { corruptCopy, fakeToolchainArchive, writeSourceDir, type FixtureArchive } from '../harness/toolchains.ts';
import { execOn, fleetInventory, gofleet, goVersionOn, installManaged, listDir, tempDirs, type CliRun } from './helpers.ts';

const skip = sshdSkip();
const VDIR = '/usr/local/gofleet/versions';
const META = `${VDIR}/.gofleet`;

interface HostJson {
  name: string;
  status: string;
  error: { code: string; message: string } | null;
  warnings: string[];
  steps: { step: string; status: string; code?: string }[];
}

const { tmp, removeLater } = tempDirs();

function sourceDir(...archives: FixtureArchive[]): string {
  const dir = tmp('src');
  writeSourceDir(dir, archives);
  return dir;
}

function onlyHost(r: CliRun): HostJson {
  const [h] = r.json<{ hosts: HostJson[] }>().hosts;
  assert.ok(h, r.stdout);
  return h;
}

function steps(h: HostJson, ...names: string[]): string[] {
  return h.steps.filter((s) => names.includes(s.step)).map((s) => `${s.step}:${s.status}${s.code ? `:${s.code}` : ''}`);
}

async function sh(host: SshdHost, cmd: string, stdin?: Buffer): Promise<string> {
  const r = await execOn(host, cmd, stdin);
  assert.equal(r.exitCode, 0, `${cmd}: ${r.stderr}`);
  return r.stdout.trim();
}

describe('the host cache and what dead runs left behind', { skip, timeout: 600_000 }, () => {
  let fleet: Fleet;
  let host: SshdHost;
  let inventory: string;
  let from: FixtureArchive;
  let good: FixtureArchive;

  before(async () => {
    [from, good] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
    fleet = await startHosts(1);
    host = fleet.hosts[0] as SshdHost;
    inventory = fleetInventory(fleet);
    removeLater(join(inventory, '..'));
  });

  beforeEach(async () => {
    // files only: the fleet's own directory (/tmp/gofleet-sshd-*) is mounted inside the host's /tmp
    await sh(host, `rm -rf ${VDIR}; find /tmp -maxdepth 1 -type f \\( -name 'gofleet-*' -o -name '.gofleet-*' \\) -delete`);
    await installManaged(host, from);
  });

  after(() => fleet?.stop());

  const upgrade = (source: string): Promise<CliRun> =>
    gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', source, '--cache-dir', tmp('cache'));

  test('a corrupt archive under the right name in the host cache: the archive is uploaded again and the run succeeds', async () => {
    const bad = corruptCopy(good, { dir: tmp('corrupt') });
    await sh(host, `mkdir -p ${META}/cache && cat >${META}/cache/${good.filename}`, readFileSync(bad.path));
    const r = await upgrade(sourceDir(good));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const h = onlyHost(r);
    assert.equal(h.status, 'upgraded', JSON.stringify(h));
    assert.deepEqual(steps(h, 'upload', 'stage'), ['upload:skip', 'stage:fail:CHECKSUM_MISMATCH', 'upload:ok', 'stage:ok']);
    assert.ok(h.warnings.some((w) => /cached on the host .* uploaded again/.test(w)), JSON.stringify(h.warnings));
    assert.equal(await goVersionOn(host), 'go1.27.3');
    assert.equal((await sh(host, `sha256sum <${META}/cache/${good.filename}`)).split(' ')[0], good.sha256, 'the cache now holds the published archive');
  });

  test('a cached archive whose stage failed is not kept: the next correct run uploads and succeeds at once', async () => {
    // a lying source: go1.27.4's tree published as go1.27.3, with a checksum that matches those bytes
    const other = await fakeToolchainArchive('go1.27.4');
    const dir = tmp('mislabelled');
    copyFileSync(other.path, join(dir, good.filename));
    const mislabelled: FixtureArchive = { ...other, path: join(dir, good.filename), filename: good.filename };
    const failed = await upgrade(sourceDir(mislabelled));
    assert.equal(failed.code, 2, failed.stdout + failed.stderr);
    assert.deepEqual(steps(onlyHost(failed), 'stage'), ['stage:fail:STAGE_FAILED']);
    assert.deepEqual(await listDir(host, `${META}/cache`), [], 'the archive that failed to stage is not cached');
    assert.equal(await goVersionOn(host), 'go1.26.8');

    const r = await upgrade(sourceDir(good));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(steps(onlyHost(r), 'upload', 'stage'), ['upload:ok', 'stage:ok']);
    assert.equal(await goVersionOn(host), 'go1.27.3');
  });

  test('leftovers of dead scripts and cut uploads are removed by the next run; live and fresh ones are kept', async () => {
    const name = 'go1.27.9.linux-amd64.tar.gz';
    const oldPart = `/tmp/.gofleet-20260101-000000-dead-h1-${name}.0123abcd.gofleet-part`;
    const freshPart = `/tmp/.gofleet-20260101-000000-live-h1-${name}.89abcdef.gofleet-part`;
    const oldUpload = `/tmp/gofleet-20260101-000000-dead-h1-${name}`;
    await sh(host, `set -e
      for p in 99999 99998 99997; do if kill -0 $p 2>/dev/null; then echo "pid $p is alive" >&2; exit 1; fi; done
      mkdir -p ${VDIR}/.tmp-go1.27.9-99999/go/bin ${VDIR}/.trash-go1.25.0-99998/go ${VDIR}/.tmp-go1.27.8-1/go ${META}/cache
      head -c 4194304 /dev/zero >${VDIR}/.tmp-go1.27.9-99999/go/bin/go
      echo part >${META}/cache/${name}.part-99997
      head -c 1048576 /dev/zero >${oldPart}
      head -c 1048576 /dev/zero >${oldUpload}
      touch -d '2 hours ago' ${oldPart} ${oldUpload}
      echo fresh >${freshPart}`);
    const r = await upgrade(sourceDir(good));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const h = onlyHost(r);
    assert.equal(h.status, 'upgraded', JSON.stringify(h));
    assert.ok(h.warnings.some((w) => /removed .*\.tmp-go1\.27\.9-99999/.test(w)), JSON.stringify(h.warnings));
    const vdir = await listDir(host, VDIR);
    assert.deepEqual(vdir.filter((n) => n.startsWith('.tmp-') || n.startsWith('.trash-')), ['.tmp-go1.27.8-1'], 'pid 1 is alive: its tree is kept');
    assert.deepEqual((await listDir(host, `${META}/cache`)).filter((n) => n.includes('.part-')), []);
    const inTmp = await listDir(host, '/tmp');
    assert.deepEqual(inTmp.filter((n) => n.includes('gofleet') && !n.startsWith('gofleet-sshd-')), [freshPart.slice('/tmp/'.length)],
      'only the fresh partial upload is left');
  });
});
