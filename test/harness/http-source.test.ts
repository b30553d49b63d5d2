import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHttpSource, type HttpSource } from './http-source.ts';
import { fakeToolchainArchive, writeSourceDir, type FixtureArchive } from './toolchains.ts';

/** A raw GET that reports what the socket saw (status, headers, bytes, whether it ended cleanly). */
function rawGet(url: string, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete: res.complete });
      res.on('end', done);
      res.on('error', done);
      res.on('aborted', done);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('http-source', () => {
  let dir: string;
  let archives: FixtureArchive[];
  let server: HttpSource;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gofleet-http-source-'));
    archives = [await fakeToolchainArchive('go1.27.3'), await fakeToolchainArchive('go1.28rc1'), await fakeToolchainArchive('go1.26.8')];
    writeSourceDir(dir, archives, { index: true });
    server = await startHttpSource(dir, { basePath: '/golang/' });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.json at ?mode=json&include=all and at index.json; only stable without include=all', async () => {
    const all = await rawGet(`${server.url}?mode=json&include=all`);
    const file = await rawGet(`${server.url}index.json`);
    const stable = await rawGet(`${server.url}?mode=json`);
    assert.equal(all.status, 200);
    assert.deepEqual(JSON.parse(all.body.toString()), JSON.parse(file.body.toString()));
    assert.deepEqual((JSON.parse(all.body.toString()) as { version: string }[]).map((r) => r.version), ['go1.28rc1', 'go1.27.3', 'go1.26.8']);
    assert.deepEqual((JSON.parse(stable.body.toString()) as { version: string }[]).map((r) => r.version), ['go1.27.3', 'go1.26.8']);
  });

  it('serves an HTML listing linking every file and sidecar', async () => {
    const page = (await rawGet(server.url)).body.toString();
    for (const a of archives) {
      assert.match(page, new RegExp(`href="${a.filename}"`));
      assert.match(page, new RegExp(`href="${a.filename}.sha256"`));
    }
    assert.doesNotMatch(page, /index\.json/);
  });

  it('serves files with Content-Length, HEAD without a body, 404 otherwise, and logs requests', async () => {
    const a = archives[0] as FixtureArchive;
    const before = server.count(a.filename);
    const got = await rawGet(server.url + a.filename);
    assert.equal(got.status, 200);
    assert.equal(Number(got.headers['content-length']), a.size);
    assert.equal(createHash('sha256').update(got.body).digest('hex'), a.sha256);
    assert.equal((await rawGet(`${server.url}${a.filename}.sha256`)).body.toString(), a.sha256);
    const head = await rawGet(server.url + a.filename, 'HEAD');
    assert.equal(head.body.length, 0);
    assert.equal(server.count(a.filename), before + 1, 'HEAD is not a download');
    assert.equal((await rawGet(`${server.url}go1.99.0.linux-amd64.tar.gz`)).status, 404);
    assert.equal((await rawGet(`${server.url}..%2Fetc%2Fpasswd`)).status, 404);
    assert.equal((await rawGet(`http://127.0.0.1:${server.port}/${a.filename}`)).status, 404, 'outside the base path');
    const last = server.requests.at(-1);
    assert.equal(last?.status, 404);
    const download = server.requests.find((r) => r.method === 'GET' && r.path === `/golang/${a.filename}`);
    assert.equal(download?.bytes, a.size);
  });

  it('counts body bytes of every request, whole bodies (?mode=json) as well as streamed files; HEAD counts none', async () => {
    const a = archives[0] as FixtureArchive;
    const before = server.bytesServed();
    const index = await rawGet(`${server.url}?mode=json&include=all`);
    assert.equal(server.requests.at(-1)?.bytes, index.body.length);
    const file = await rawGet(server.url + a.filename);
    await rawGet(server.url + a.filename, 'HEAD');
    assert.equal(server.bytesServed() - before, index.body.length + file.body.length);
  });

  it('faults: cut half way, status, and only `times` times', async () => {
    const a = archives[1] as FixtureArchive;
    server.addFault({ path: a.filename, kind: 'cut', times: 1 });
    const cut = await rawGet(server.url + a.filename);
    assert.equal(cut.complete, false);
    assert.ok(cut.body.length < a.size, `got ${cut.body.length} of ${a.size}`);
    const whole = await rawGet(server.url + a.filename);
    assert.equal(whole.body.length, a.size);
    server.addFault({ path: /\.sha256$/, kind: 'status', status: 503 });
    assert.equal((await rawGet(`${server.url}${a.filename}.sha256`)).status, 503);
    server.clearFaults();
    assert.equal((await rawGet(`${server.url}${a.filename}.sha256`)).status, 200);
  });

  it('throttled bodies arrive intact; serveIndex:false hides the index like a flat mirror', async () => {
    const slow = await startHttpSource(dir, { throttleBytesPerSec: 64 * 1024, serveIndex: false });
    try {
      const a = archives[2] as FixtureArchive;
      const got = await rawGet(slow.url + a.filename);
      assert.deepEqual(got.body, readFileSync(join(dir, a.filename)));
      assert.equal((await rawGet(`${slow.url}index.json`)).status, 404);
      assert.equal((await rawGet(`${slow.url}?mode=json&include=all`)).status, 404);
    } finally {
      await slow.close();
    }
  });
});
