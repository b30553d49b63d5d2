import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fakeToolchainArchive, writeSourceDir, type FixtureArchive } from '../../test/harness/toolchains.ts';
import { GofleetError } from '../errors.ts';
import { openDirSource } from './source-dir.ts';

const code = (c: string, re = /./) => (e: unknown) => e instanceof GofleetError && e.code === c && re.test(e.message);

describe('directory source', () => {
  let work: string;
  let a: FixtureArchive[];
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-dir-'));
    a = [await fakeToolchainArchive('go1.27.3'), await fakeToolchainArchive('go1.26.8'), await fakeToolchainArchive('go1.28rc1')];
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('index.json: only files present are listed, sizes from stat, checksums from the index', async () => {
    const dir = join(work, 'indexed');
    writeSourceDir(dir, a, { index: true, sha256Files: false });
    rmSync(join(dir, a[1]?.filename ?? ''));
    const source = openDirSource(dir);
    const releases = await source.releases();
    assert.deepEqual(releases.map((r) => [r.version, r.stable, r.files.map((f) => [f.filename, f.size, f.sha256])]), [
      ['go1.28rc1', false, [[a[2]?.filename, a[2]?.size, a[2]?.sha256]]],
      ['go1.27.3', true, [[a[0]?.filename, a[0]?.size, a[0]?.sha256]]],
    ]);
    const opened = await source.open(a[0]?.filename ?? '');
    assert.equal(opened.size, a[0]?.size);
    const hash = createHash('sha256');
    for await (const c of opened.stream) hash.update(c as Buffer);
    assert.equal(hash.digest('hex'), a[0]?.sha256);
    assert.equal(source.fileUrl(a[0]?.filename ?? ''), null);
    await assert.rejects(source.open(a[1]?.filename ?? ''), code('RELEASE_FILE_MISSING'));
  });

  it('without index.json: FILE.sha256 beside each archive; none -> listed with "" and CHECKSUM_MISSING on use', async () => {
    const dir = join(work, 'sidecars');
    writeSourceDir(dir, a.slice(0, 2), { index: false, sha256Files: true });
    writeSourceDir(dir, a.slice(2), { index: false, sha256Files: false });
    writeFileSync(join(dir, 'README.txt'), 'not an archive');
    mkdirSync(join(dir, 'go1.20.linux-amd64.tar.gz'));
    const source = openDirSource(dir);
    const files = (await source.releases()).flatMap((r) => r.files.map((f) => [f.filename, f.sha256]));
    assert.deepEqual(files, [[a[2]?.filename, ''], [a[0]?.filename, a[0]?.sha256], [a[1]?.filename, a[1]?.sha256]]);
    assert.equal(await source.checksum(a[1]?.filename ?? ''), a[1]?.sha256);
    await assert.rejects(source.checksum(a[2]?.filename ?? ''), code('CHECKSUM_MISSING', /publishes no SHA-256 for go1\.28rc1/));
  });

  it('index.json wins over a disagreeing .sha256', async () => {
    const dir = join(work, 'both');
    writeSourceDir(dir, a.slice(0, 1), { index: true, sha256Files: true });
    writeFileSync(join(dir, `${a[0]?.filename}.sha256`), 'f'.repeat(64));
    assert.equal(await openDirSource(dir).checksum(a[0]?.filename ?? ''), a[0]?.sha256);
  });

  it('broken layouts -> SOURCE_UNAVAILABLE', async () => {
    const dir = join(work, 'broken');
    writeSourceDir(dir, a.slice(0, 1), { index: false, sha256Files: false });
    writeFileSync(join(dir, 'index.json'), '[{"version": 1}');
    await assert.rejects(openDirSource(dir).releases(), code('SOURCE_UNAVAILABLE', /index\.json is not valid JSON/));
    writeFileSync(join(dir, 'index.json'), '{"releases": []}');
    await assert.rejects(openDirSource(dir).releases(), code('SOURCE_UNAVAILABLE', /not a go\.dev release index/));
    rmSync(join(dir, 'index.json'));
    writeFileSync(join(dir, `${a[0]?.filename}.sha256`), 'not hex');
    await assert.rejects(openDirSource(dir).releases(), code('SOURCE_UNAVAILABLE', /does not hold a SHA-256/));
    await assert.rejects(openDirSource(join(work, 'absent')).releases(), code('SOURCE_UNAVAILABLE', /cannot read the source directory/));
    assert.equal(readFileSync(a[0]?.path ?? '').length, a[0]?.size, 'fixture untouched');
  });
});
