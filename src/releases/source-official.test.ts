import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHttpSource, type HttpSource } from '../../test/harness/http-source.ts';
import { fakeToolchainArchive, writeSourceDir, type FixtureArchive } from '../../test/harness/toolchains.ts';
import { GofleetError } from '../errors.ts';
import { openSource } from './open-source.ts';
import { openOfficialSource } from './source-official.ts';
import type { ReleaseSource } from './types.ts';

const code = (c: string, re = /./) => (e: unknown) => e instanceof GofleetError && e.code === c && re.test(e.message);

async function readAll(source: ReleaseSource, filename: string): Promise<Buffer> {
  const opened = await source.open(filename);
  const chunks: Buffer[] = [];
  for await (const c of opened.stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('official source (go.dev JSON) against a loopback server', () => {
  let dir: string;
  let server: HttpSource;
  let archives: FixtureArchive[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gofleet-official-'));
    archives = [await fakeToolchainArchive('go1.27.3'), await fakeToolchainArchive('go1.27.2'), await fakeToolchainArchive('go1.28rc1')];
    writeSourceDir(dir, archives, { index: true, sha256Files: false });
    server = await startHttpSource(dir);
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists releases once (memoized), newest first, with checksums', async () => {
    const source = await openSource(undefined, { officialBaseUrl: server.url });
    assert.equal(source.kind, 'official');
    const before = server.requests.length;
    const [a, b] = await Promise.all([source.releases(), source.releases()]);
    assert.equal(a, b);
    assert.deepEqual(a.map((r) => [r.version, r.stable]), [['go1.28rc1', false], ['go1.27.3', true], ['go1.27.2', true]]);
    const fetched = server.requests.slice(before);
    assert.deepEqual(fetched.map((r) => r.path + r.query), ['/?mode=json&include=all']);
    assert.equal(await source.checksum('go1.27.3.linux-amd64.tar.gz'), archives[0]?.sha256);
  });

  it('opens files under the base URL and names their URL', async () => {
    const source = openOfficialSource({ baseUrl: server.url.replace(/\/$/, '') });
    const bytes = await readAll(source, 'go1.27.2.linux-amd64.tar.gz');
    assert.equal(createHash('sha256').update(bytes).digest('hex'), archives[1]?.sha256);
    assert.equal(source.fileUrl('go1.27.2.linux-amd64.tar.gz'), `${server.url}go1.27.2.linux-amd64.tar.gz`);
  });

  it('CHECKSUM_MISSING for a file it does not list; SOURCE_UNAVAILABLE opening a missing file', async () => {
    const source = openOfficialSource({ baseUrl: server.url });
    await assert.rejects(source.checksum('go1.99.0.linux-amd64.tar.gz'), code('CHECKSUM_MISSING', /does not list go1\.99\.0/));
    await assert.rejects(source.open('go1.99.0.linux-amd64.tar.gz'), code('SOURCE_UNAVAILABLE', /go1\.99\.0\.linux-amd64\.tar\.gz: HTTP 404/));
  });

  it('an index without sha256 (old SHA1-only files) -> CHECKSUM_MISSING', async () => {
    const d = mkdtempSync(join(tmpdir(), 'gofleet-official-sha1-'));
    writeFileSync(join(d, 'index.json'), JSON.stringify([{ version: 'go1.4.3', stable: true, files: [{ filename: 'go1.4.3.linux-amd64.tar.gz', os: 'linux', arch: 'amd64', version: 'go1.4.3', sha256: '', size: 1, kind: 'archive' }] }]));
    const s = await startHttpSource(d);
    try {
      await assert.rejects(openOfficialSource({ baseUrl: s.url }).checksum('go1.4.3.linux-amd64.tar.gz'), code('CHECKSUM_MISSING', /publishes no SHA-256/));
    } finally {
      await s.close();
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('errors: 404, a non-index answer, 5xx; a failed listing is retried on the next call', async () => {
    const flat = await startHttpSource(dir, { serveIndex: false });
    try {
      await assert.rejects(openOfficialSource({ baseUrl: flat.url }).releases(), code('SOURCE_UNAVAILABLE', new RegExp(`GET ${flat.url}\\?mode=json&include=all: HTTP 404`)));
    } finally {
      await flat.close();
    }
    const d = mkdtempSync(join(tmpdir(), 'gofleet-official-bad-'));
    writeFileSync(join(d, 'index.json'), '{"not": "an array"}');
    const bad = await startHttpSource(d);
    try {
      await assert.rejects(openOfficialSource({ baseUrl: bad.url }).releases(), code('SOURCE_UNAVAILABLE', /not a go\.dev release index/));
    } finally {
      await bad.close();
      rmSync(d, { recursive: true, force: true });
    }
    server.addFault({ path: /^\/$/, kind: 'status', status: 502, times: 1 });
    const source = openOfficialSource({ baseUrl: server.url });
    await assert.rejects(source.releases(), code('SOURCE_UNAVAILABLE', /HTTP 502/));
    assert.equal((await source.releases()).length, 3);
  });
});

describe('openSource', () => {
  it('maps names and URLs to source kinds without any network traffic', async () => {
    const cases: [string | undefined, string, string][] = [
      [undefined, 'official', 'https://go.dev/dl/'],
      ['official', 'official', 'https://go.dev/dl/'],
      ['china', 'official', 'https://golang.google.cn/dl/'],
      ['https://go.dev', 'official', 'https://go.dev/dl/'],
      ['https://golang.google.cn/dl/', 'official', 'https://golang.google.cn/dl/'],
      ['https://mirrors.aliyun.com/golang/', 'url', 'https://mirrors.aliyun.com/golang/'],
      ['https://user:pw@artifacts.corp/go', 'url', 'https://artifacts.corp/go/'],
    ];
    for (const [src, kind, location] of cases) {
      const s = await openSource(src);
      assert.deepEqual([s.kind, s.location], [kind, location], String(src));
    }
  });
  it('directories, and errors for the rest', async () => {
    const d = mkdtempSync(join(tmpdir(), 'gofleet-open-'));
    try {
      assert.equal((await openSource(d)).kind, 'dir');
      await assert.rejects(openSource(join(d, 'missing')), code('SOURCE_UNAVAILABLE', /no such directory/));
      await assert.rejects(openSource('ftp://mirror/golang/'), code('BAD_OPTION'));
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
