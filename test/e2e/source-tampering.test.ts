// Tampered release bytes, end to end: one real sshd host on a managed (fake) go1.26.8, the real CLI, and a
// loopback HTTP source in the go.dev layout (test/harness/http-source.ts), its own checksum authority as go.dev is
// (`--checksum-source same`: no outside network), offering go1.27.3 with
//   - a wrong SHA-256 in its index.json (no .sha256 files): the genuine archive is refused, CHECKSUM_MISMATCH;
//   - a modified archive under its published SHA-256: CHECKSUM_MISMATCH (a mirror's bytes against an
//     independent index is in upgrade-failures.test.ts);
//   - a truncated download (the connection cut half way): SOURCE_UNAVAILABLE.
// Each time: exit 2 (docs/design.md: the host failed), the host failed at the download step with nothing sent
// to it, facts still show go1.26.8 with no other managed version, /usr/local and the host cache are byte-for-byte
// as before, and the controller cache holds no file (final or partial).

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { startHttpSource, type HttpSource } from '../harness/http-source.ts';
import { corruptCopy, fakeToolchainArchive, writeSourceDir, type FixtureArchive, type SourceDirOptions } from '../harness/toolchains.ts';
import { execOn, fleetInventory, gofleet, goVersionOn, installManaged, listDir, snapshotHost, tempDirs, type CliRun } from './helpers.ts';

const skip = sshdSkip();
const VDIR = '/usr/local/gofleet/versions';
const META = `${VDIR}/.gofleet`;

interface HostJson {
  name: string;
  status: string;
  error: { code: string; message: string } | null;
  steps: { step: string; status: string; code?: string }[];
}

const { tmp, removeLater } = tempDirs();

function onlyHost(r: CliRun): HostJson {
  const [h] = r.json<{ hosts: HostJson[] }>().hosts;
  assert.ok(h, r.stdout);
  return h;
}

describe('tampered release bytes are refused and nothing is installed', { skip, timeout: 600_000 }, () => {
  let fleet: Fleet;
  let host: SshdHost;
  let inventory: string;
  let from: FixtureArchive;
  let good: FixtureArchive;
  let server: HttpSource | undefined;

  before(async () => {
    [from, good] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
    fleet = await startHosts(1);
    host = fleet.hosts[0] as SshdHost;
    inventory = fleetInventory(fleet);
    removeLater(join(inventory, '..'));
  });

  beforeEach(async () => {
    const r = await execOn(host, `rm -rf ${VDIR}`);
    assert.equal(r.exitCode, 0, r.stderr);
    await installManaged(host, from);
  });

  after(async () => {
    await server?.close();
    await fleet?.stop();
  });

  /** Serve `archives` (as listed: a FixtureArchive's sha256 is what the index and .sha256 say) over loopback HTTP. */
  async function serve(archives: FixtureArchive[], options: SourceDirOptions = {}): Promise<HttpSource> {
    await server?.close();
    const dir = tmp('src');
    writeSourceDir(dir, archives, options);
    server = await startHttpSource(dir);
    return server;
  }

  /** Upgrade to go1.27.3 from `source`; expect the host to fail at the download with `code`, and nothing changed. */
  async function refused(source: HttpSource, code: string, message: RegExp): Promise<void> {
    const before = await snapshotHost(host);
    const cacheDir = tmp('cache');
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', source.url, '--checksum-source', 'same', '--cache-dir', cacheDir);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const h = onlyHost(r);
    assert.deepEqual([h.status, h.error?.code], ['failed', code], JSON.stringify(h));
    assert.match(h.error?.message ?? '', message);
    assert.deepEqual(h.steps.filter((s) => ['download', 'upload', 'stage', 'switch'].includes(s.step)).map((s) => `${s.step}:${s.status}`), ['download:fail']);
    assert.ok(source.count(good.filename) >= 1, 'the archive was requested');

    const facts = await gofleet('facts', '-i', inventory, '--json');
    assert.equal(facts.code, 0, facts.stdout + facts.stderr);
    const [f] = facts.json<{ hosts: { go: { version: string } | null; managed: { active: string | null; versions: string[] } }[] }>().hosts;
    assert.deepEqual([f?.go?.version, f?.managed.active, f?.managed.versions], ['go1.26.8', 'go1.26.8', ['go1.26.8']]);
    assert.equal(await goVersionOn(host), 'go1.26.8');
    assert.deepEqual((await listDir(host, VDIR)).filter((n) => n !== '.gofleet'), ['go1.26.8'], 'no new versions dir, no staging leftovers');
    assert.deepEqual(await listDir(host, `${META}/cache`), [], 'no stray file in the host cache');
    assert.deepEqual((await execOn(host, `find /tmp -maxdepth 1 -type f -name '*go1.27.3*'`)).stdout, '', 'no upload left in /tmp');
    assert.equal(await snapshotHost(host), before, '/usr/local byte-for-byte as before');
    assert.deepEqual(readdirSync(cacheDir), [], 'no archive (final or partial) in the controller cache');
  }

  test('a wrong SHA-256 in the index: the genuine archive is refused with CHECKSUM_MISMATCH', async () => {
    const wrong = 'f'.repeat(64);
    const s = await serve([{ ...good, sha256: wrong }], { sha256Files: false });
    await refused(s, 'CHECKSUM_MISMATCH', new RegExp(`expected SHA-256 ${wrong}, got ${good.sha256}`));
  });

  test('a modified archive under its published SHA-256: CHECKSUM_MISMATCH', async () => {
    const s = await serve([corruptCopy(good, { dir: tmp('corrupt') })]);
    await refused(s, 'CHECKSUM_MISMATCH', new RegExp(`expected SHA-256 ${good.sha256}, got (?!${good.sha256})[0-9a-f]{64}`));
  });

  test('a truncated download (connection cut half way): SOURCE_UNAVAILABLE', async () => {
    const s = await serve([good]);
    s.addFault({ path: good.filename, kind: 'cut' });
    await refused(s, 'SOURCE_UNAVAILABLE', /connection (closed|lost) after \d+/);
  });

  test('control: the same source untampered upgrades the host (under --cache-max 1B: kept for the command, said so)', async () => {
    const s = await serve([good]);
    const cacheDir = tmp('cache');
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', s.url, '--checksum-source', 'same', '--cache-dir', cacheDir, '--cache-max', '1B');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(onlyHost(r).status, 'upgraded');
    assert.equal(await goVersionOn(host), 'go1.27.3');
    assert.match(r.stderr, new RegExp(`note: ${good.filename.replace(/\./g, '\\.')} \\(.*\\) is larger than --cache-max 1 B on its own; kept for this command`));
    assert.deepEqual(readdirSync(cacheDir), [good.filename]);
  });
});
