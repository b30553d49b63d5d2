import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHttpSource } from '../../test/harness/http-source.ts';
import { fakeToolchainArchive, writeSourceDir, type FixtureArchive } from '../../test/harness/toolchains.ts';
import { GofleetError } from '../errors.ts';
import { openSource } from './open-source.ts';
import { openUrlSource } from './source-url.ts';

const code = (c: string, re = /./) => (e: unknown) => e instanceof GofleetError && e.code === c && re.test(e.message);

describe('URL (mirror) source', () => {
  let archives: FixtureArchive[];
  let work: string;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-url-'));
    archives = [await fakeToolchainArchive('go1.27.3'), await fakeToolchainArchive('go1.27.3', { os: 'windows', arch: 'amd64' }), await fakeToolchainArchive('go1.26.8')];
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('uses <base>/index.json when the mirror has one', async () => {
    const dir = join(work, 'indexed');
    writeSourceDir(dir, archives, { index: true, sha256Files: false });
    const server = await startHttpSource(dir, { basePath: '/go/' });
    try {
      const source = await openSource(server.url.replace(/\/$/, ''));
      assert.equal(source.kind, 'url');
      const releases = await source.releases();
      assert.deepEqual(releases.map((r) => [r.version, r.files.length]), [['go1.27.3', 2], ['go1.26.8', 1]]);
      assert.equal(releases[0]?.files[0]?.size, archives[0]?.size);
      assert.equal(await source.checksum('go1.27.3.windows-amd64.zip'), archives[1]?.sha256);
      assert.deepEqual(server.requests.map((r) => r.path + r.query), ['/go/index.json'], 'no listing, no .sha256 requests');
      assert.equal(source.fileUrl('go1.26.8.linux-amd64.tar.gz'), `${server.url}go1.26.8.linux-amd64.tar.gz`);
    } finally {
      await server.close();
    }
  });

  it('a flat mirror: versions from the HTML listing, checksums from FILE.sha256 (fetched once)', async () => {
    const dir = join(work, 'flat');
    writeSourceDir(dir, archives, { index: false, sha256Files: true });
    // a sidecar in the `sha256sum` format (digest, two spaces, name, newline) is accepted too
    writeFileSync(join(dir, 'go1.26.8.linux-amd64.tar.gz.sha256'), `${archives[2]?.sha256.toUpperCase()}  go1.26.8.linux-amd64.tar.gz\n`);
    const server = await startHttpSource(dir, { basePath: '/golang/', serveIndex: false });
    try {
      const source = openUrlSource(server.url);
      const releases = await source.releases();
      assert.deepEqual(releases.map((r) => [r.version, r.stable, r.files.map((f) => [f.filename, f.sha256, f.size])]), [
        ['go1.27.3', true, [['go1.27.3.linux-amd64.tar.gz', '', 0], ['go1.27.3.windows-amd64.zip', '', 0]]],
        ['go1.26.8', true, [['go1.26.8.linux-amd64.tar.gz', '', 0]]],
      ]);
      const [x, y] = await Promise.all([source.checksum('go1.27.3.linux-amd64.tar.gz'), source.checksum('go1.27.3.linux-amd64.tar.gz')]);
      assert.equal(x, archives[0]?.sha256);
      assert.equal(y, x);
      assert.equal(await source.checksum('go1.27.3.linux-amd64.tar.gz'), x);
      assert.equal(server.count('go1.27.3.linux-amd64.tar.gz.sha256'), 1);
      assert.equal(await source.checksum('go1.26.8.linux-amd64.tar.gz'), archives[2]?.sha256);
    } finally {
      await server.close();
    }
  });

  it('a flat mirror without a sidecar -> CHECKSUM_MISSING; a malformed one -> SOURCE_UNAVAILABLE', async () => {
    const dir = join(work, 'bare');
    writeSourceDir(dir, archives.slice(0, 1), { index: false, sha256Files: false });
    writeFileSync(join(dir, 'go1.27.3.linux-amd64.tar.gz.sha256.txt'), 'unrelated');
    const server = await startHttpSource(dir, { serveIndex: false });
    try {
      const source = openUrlSource(server.url);
      await assert.rejects(source.checksum('go1.27.3.linux-amd64.tar.gz'), code('CHECKSUM_MISSING', /go1\.27\.3\.linux-amd64\.tar\.gz\.sha256 does not exist/));
      writeFileSync(join(dir, 'go1.27.3.linux-amd64.tar.gz.sha256'), '<html>not found</html>');
      await assert.rejects(source.checksum('go1.27.3.linux-amd64.tar.gz'), code('SOURCE_UNAVAILABLE', /does not hold a SHA-256/));
    } finally {
      await server.close();
    }
  });

  it('a server without index.json and without a listing lists nothing; a down server is SOURCE_UNAVAILABLE', async () => {
    const dir = join(work, 'nolisting');
    writeSourceDir(dir, archives.slice(0, 1), { index: false });
    const server = await startHttpSource(dir, { serveIndex: false, listing: false });
    const url = server.url;
    try {
      await assert.rejects(openUrlSource(url).releases(), code('SOURCE_UNAVAILABLE', /HTTP 403/));
    } finally {
      await server.close();
    }
    await assert.rejects(openUrlSource(url).releases(), code('SOURCE_UNAVAILABLE', new RegExp(`GET ${url}index\\.json: connect ECONNREFUSED`)));
  });
});
