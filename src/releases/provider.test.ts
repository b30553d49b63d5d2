import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHttpSource, type HttpSource } from '../../test/harness/http-source.ts';
import { corruptCopy, fakeToolchainArchive, writeSourceDir, type FixtureArchive } from '../../test/harness/toolchains.ts';
import { GofleetError } from '../errors.ts';
import { sha256File } from './hash-file.ts';
import { createArchiveProvider, sourceLabel, type ArchiveProviderOptions } from './provider.ts';

const FILE = 'go1.27.3.linux-amd64.tar.gz';

describe('archive provider: failover across --source items', () => {
  let work: string;
  let archive: FixtureArchive;
  let official: HttpSource;
  let good: HttpSource;
  let bad: HttpSource;
  let wrong: HttpSource;
  let deadUrl: string;
  let n = 0;
  const provider = (sources: string[], extra: Partial<ArchiveProviderOptions> = {}) =>
    createArchiveProvider({ sources, officialBaseUrl: official.url, cacheDir: join(work, `cache-${n++}`), http: { timeoutMs: 400 }, ...extra });

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-provider-'));
    archive = await fakeToolchainArchive('go1.27.3');
    const other = await fakeToolchainArchive('go1.26.8');
    writeSourceDir(join(work, 'official'), [archive, other]);
    writeSourceDir(join(work, 'good'), [archive, other]);
    writeSourceDir(join(work, 'bad'), [archive, other]);
    // a mirror serving modified bytes under the right name, with a .sha256 and index that agree with the official
    writeSourceDir(join(work, 'wrong'), [corruptCopy(archive, { dir: join(work, 'corrupt') }), other]);
    official = await startHttpSource(join(work, 'official'));
    good = await startHttpSource(join(work, 'good'), { basePath: '/golang/' });
    bad = await startHttpSource(join(work, 'bad'), { basePath: '/mirror/' });
    wrong = await startHttpSource(join(work, 'wrong'), { basePath: '/wrong/' });
    const dead = await startHttpSource(join(work, 'good'));
    deadUrl = dead.url;
    await dead.close();
  });
  after(async () => {
    await Promise.all([official, good, bad, wrong].map((s) => s.close()));
    rmSync(work, { recursive: true, force: true });
  });

  const failsOverTo = async (first: string, code: string) => {
    const got = await provider([first, good.url]).fetch('go1.27.3', 'linux', 'amd64');
    assert.equal(await sha256File(got.path), archive.sha256);
    assert.equal(got.provenance.source, good.url);
    assert.equal(got.provenance.sourceKind, 'url');
    assert.match(got.provenance.authority, new RegExp(`official index ${official.url}`));
    assert.deepEqual(got.provenance.failover.map((s) => [s.source, s.code]), [[first, code]]);
  };

  it('connection refused: the next source serves the file', async () => {
    await failsOverTo(deadUrl, 'SOURCE_UNAVAILABLE');
  });

  it('404 and 500 on the archive: the next source serves it', async () => {
    bad.addFault({ path: FILE, kind: 'status', status: 404 });
    await failsOverTo(bad.url, 'SOURCE_UNAVAILABLE');
    bad.clearFaults();
    bad.addFault({ path: FILE, kind: 'status', status: 500 });
    await failsOverTo(bad.url, 'SOURCE_UNAVAILABLE');
    bad.clearFaults();
  });

  it('a stalled download (no data for the idle timeout): the next source serves it', async () => {
    bad.addFault({ path: FILE, kind: 'stall' });
    try {
      await failsOverTo(bad.url, 'SOURCE_UNAVAILABLE');
    } finally {
      bad.clearFaults();
    }
  });

  it('wrong bytes from the first source: refused and named, the next source serves it', async () => {
    await failsOverTo(wrong.url, 'CHECKSUM_MISMATCH');
  });

  it('every source failing: CHECKSUM_MISMATCH when one served wrong bytes, else SOURCE_UNAVAILABLE naming each', async () => {
    await assert.rejects(provider([deadUrl, wrong.url]).fetch('go1.27.3', 'linux', 'amd64'), (e: unknown) => {
      return e instanceof GofleetError && e.code === 'CHECKSUM_MISMATCH' && e.message.includes(deadUrl) && e.message.includes(wrong.url);
    });
    bad.addFault({ path: FILE, kind: 'status', status: 500 });
    try {
      await assert.rejects(provider([deadUrl, bad.url]).fetch('go1.27.3', 'linux', 'amd64'), (e: unknown) => {
        return e instanceof GofleetError && e.code === 'SOURCE_UNAVAILABLE' && e.message.includes(deadUrl) && e.message.includes(bad.url);
      });
    } finally {
      bad.clearFaults();
    }
  });

  it('fetches each file once per command, failures included', async () => {
    const before = good.count(FILE);
    const p = provider([good.url]);
    const [a, b] = await Promise.all([p.fetch('go1.27.3', 'linux', 'amd64'), p.fetch('go1.27.3', 'linux', 'amd64')]);
    assert.equal(a, b);
    await p.fetch('go1.27.3', 'linux', 'amd64');
    assert.equal(good.count(FILE) - before, 1);
    const failing = provider([deadUrl]);
    const first = failing.fetch('go1.27.3', 'linux', 'amd64');
    await assert.rejects(first);
    assert.equal(failing.fetch('go1.27.3', 'linux', 'amd64'), first, 'a failure is remembered, not retried');
  });

  it('the listing comes from the first source that answers; the artifact carries that source URL', async () => {
    const p = provider([deadUrl, good.url]);
    assert.deepEqual((await p.releases()).map((r) => r.version), ['go1.27.3', 'go1.26.8']);
    assert.equal((await p.resolve('latest')).version, 'go1.27.3');
    const a = await p.artifact('go1.27.3', 'linux', 'amd64');
    assert.equal(a.url, `${good.url}${FILE}`);
    assert.equal(a.sha256, archive.sha256);
  });

  it("a mirror whose own index disagrees with the independent index is refused, never taken at its word", async () => {
    const dir = join(work, 'lying');
    writeSourceDir(dir, [archive]);
    const index = readFileSync(join(dir, 'index.json'), 'utf8');
    writeFileSync(join(dir, 'index.json'), index.replace(archive.sha256, 'f'.repeat(64)));
    const lying = await startHttpSource(dir, { basePath: '/lying/' });
    try {
      // the SHA-256 a pulling host would check comes from the authority; a disagreement is an error, not a fallback
      await assert.rejects(provider([lying.url]).artifact('go1.27.3', 'linux', 'amd64'), { code: 'SOURCE_CHECKSUM_DISAGREES' });
      await assert.rejects(provider([lying.url]).fetch('go1.27.3', 'linux', 'amd64'), { code: 'SOURCE_CHECKSUM_DISAGREES' });
    } finally {
      await lying.close();
    }
  });

  it('--sha256 pins: agreeing, the file is fetched and --sha256 is named; differing, refused before a byte is used', async () => {
    const pins = (hex: string) => ({ forFile: (f: string) => (f === FILE ? hex : undefined) });
    const ok = await provider([good.url], { pins: pins(archive.sha256) }).fetch('go1.27.3', 'linux', 'amd64');
    assert.equal(await sha256File(ok.path), archive.sha256);
    const cacheDir = join(work, 'pinned-wrong');
    await assert.rejects(provider([good.url], { pins: pins('e'.repeat(64)), cacheDir }).fetch('go1.27.3', 'linux', 'amd64'), {
      code: 'SOURCE_CHECKSUM_DISAGREES',
      message: /--sha256/,
    });
    assert.equal(existsSync(join(cacheDir, FILE)), false);
  });

  it("go.dev's index unreachable: China's vouches for a mirror's file", async () => {
    const china = await startHttpSource(join(work, 'official'), { basePath: '/dl/' });
    try {
      const got = await provider([good.url], { officialBaseUrl: deadUrl, chinaBaseUrl: china.url }).fetch('go1.27.3', 'linux', 'amd64');
      assert.equal(await sha256File(got.path), archive.sha256);
      assert.match(got.provenance.authority, new RegExp(`official index ${china.url}`));
    } finally {
      await china.close();
    }
  });

  it('--trust-key with official after a mirror in the list: the mirror down, go.dev serves; official alone is refused', async () => {
    const { publicKey: trustKey } = generateKeyPairSync('ed25519');
    const got = await provider([deadUrl, 'official'], { trustKey }).fetch('go1.27.3', 'linux', 'amd64');
    assert.equal(got.provenance.source, official.url);
    await assert.rejects(provider(['official'], { trustKey }).releases(), { code: 'BAD_OPTION' });
  });

  it('source labels drop credentials', () => {
    assert.equal(sourceLabel('https://u:secret@mirror.example/go/'), 'https://mirror.example/go/');
    assert.equal(sourceLabel('goproxy:https://u:secret@proxy.example'), 'goproxy:https://proxy.example/');
    assert.equal(sourceLabel('china'), 'china');
  });
});
