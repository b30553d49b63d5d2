// The goproxy: source against a synthetic golang.org/toolchain module, a checksum database signed with a
// test-generated Ed25519 key, served from a file:// tree and a loopback HTTP server.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GofleetError } from '../errors.ts';
import { runCli } from '../cli/program.ts';
import { fakeModules, fakeSumdb, type FakeSumdb } from '../../test/harness/fake-sumdb.ts';
import { startHttpSource, type HttpSource } from '../../test/harness/http-source.ts';
import { ensureArchive } from './cache.ts';
import { createArchiveProvider } from './provider.ts';
import { findFile } from './find-file.ts';
import { unpackModuleZip } from './module-zip.ts';
import { releaseDates } from './release-date.ts';
import { openGoProxySource } from './source-goproxy.ts';

const MOD = 'golang.org/toolchain';
const VERSION = 'v0.0.1-go1.99.1.linux-amd64';
const WIN = 'v0.0.1-go1.99.1.windows-amd64';
const INFO_TIME = '2026-10-02T20:28:03Z';
const FILES: Record<string, string> = { 'bin/go': '#!/bin/sh\necho go1.99.1\n', VERSION: 'go1.99.1\n', 'src/_go.mod': 'module std\n', 'pkg/tool/linux_amd64/compile': 'x' };

/** The dirhash h1 of the files under the module prefix (independent of module-zip.ts). */
function expectedH1(files: Record<string, string>, version = VERSION): string {
  const lines = Object.entries(files)
    .map(([n, c]) => [`${MOD}@${version}/${n}`, c] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([n, c]) => `${createHash('sha256').update(c).digest('hex')}  ${n}\n`);
  return `h1:${createHash('sha256').update(lines.join('')).digest('base64')}`;
}

/** A test checksum database (its own key) vouching for `h1` as the toolchain zip's hash, among other records. */
function testDb(h1: string, winH1 = expectedH1(FILES, WIN)): FakeSumdb {
  const goModH1 = 'h1:8wlg68NqwW7eMnI1aABk/C2pDYXj8mrMY4TyRfiLeS0=';
  return fakeSumdb('sum.golang.org', [...fakeModules(300), { module: MOD, version: VERSION, h1, goModH1 }, { module: MOD, version: WIN, h1: winH1, goModH1 }]);
}

/** A GOPROXY tree: the list, the zip of `files`, and the sumdb passthrough serving `db` (lookup and tiles). */
function writeProxy(files: Record<string, string>, db: FakeSumdb | null): string {
  const root = mkdtempSync(join(tmpdir(), 'gofleet-goproxy-'));
  const stage = join(root, '.stage');
  const at = join(root, MOD, '@v');
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, 'list'), `v0.0.1-go1.98.4.linux-arm\n${VERSION}\n${WIN}\n`);
  for (const version of [VERSION, WIN]) {
    for (const [n, c] of Object.entries(files)) {
      const p = join(stage, version, `${MOD}@${version}`, n);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, c);
    }
    execFileSync('zip', ['-qr', join(at, `${version}.zip`), 'golang.org'], { cwd: join(stage, version) });
    writeFileSync(join(at, `${version}.info`), JSON.stringify({ Version: version, Time: INFO_TIME }));
  }
  for (const [path, data] of db?.files ?? []) {
    const p = join(root, 'sumdb', 'sum.golang.org', path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
  }
  return root;
}

function tarNames(path: string): string[] {
  return execFileSync('tar', ['-tzvf', path], { encoding: 'utf8' }).trim().split('\n');
}

describe('goproxy: source', { timeout: 60_000 }, () => {
  const good = expectedH1(FILES);
  const db = testDb(good);
  const env = (extra: Record<string, string> = {}) => ({ GOSUMDB: db.vkey, ...extra });
  let http: HttpSource;
  let proxy: string;

  before(async () => {
    proxy = writeProxy(FILES, db);
    http = await startHttpSource(proxy, { tree: true, serveIndex: false, listing: false });
  });
  after(async () => http?.close());

  test('lists the toolchain module versions as releases (windows as .zip, linux-arm as armv6l)', async () => {
    const src = openGoProxySource(pathToFileURL(proxy).toString(), { env: env() });
    assert.equal(src.kind, 'goproxy');
    const releases = await src.releases();
    assert.deepEqual(releases.map((r) => r.version), ['go1.99.1', 'go1.98.4']);
    const file = findFile(releases, 'go1.99.1', 'linux', 'x86_64');
    assert.deepEqual([file.filename, file.kind, file.os, file.arch], ['go1.99.1.linux-amd64.tar.gz', 'module-zip', 'linux', 'amd64']);
    assert.equal(findFile(releases, 'go1.98.4', 'linux', 'armv7l').filename, 'go1.98.4.linux-armv6l.tar.gz');
    const win = findFile(releases, 'go1.99.1', 'windows', 'amd64');
    assert.deepEqual([win.filename, win.kind], ['go1.99.1.windows-amd64.zip', 'module-zip']);
    assert.equal(releases[0]?.files.length, 2);
  });

  for (const over of ['file', 'http'] as const) {
    test(`over ${over}: verified against the checksum database, repacked as go/ with go.mod and exec bits`, async () => {
      const cacheDir = mkdtempSync(join(tmpdir(), 'gofleet-gpcache-'));
      const url = over === 'file' ? pathToFileURL(proxy).toString() : http.url;
      const src = openGoProxySource(url, { env: env(), cacheDir });
      const got = await ensureArchive(src, 'go1.99.1.linux-amd64.tar.gz', { cacheDir });
      const names = tarNames(got.path);
      assert.ok(names.some((l) => /^-rwxr-xr-x .* go\/bin\/go$/.test(l)), names.join('\n'));
      assert.ok(names.some((l) => /^-rwxr-xr-x .* go\/pkg\/tool\/linux_amd64\/compile$/.test(l)), names.join('\n'));
      assert.ok(names.some((l) => / go\/src\/go\.mod$/.test(l)) && !names.some((l) => /_go\.mod$/.test(l)), names.join('\n'));
      assert.ok(names.every((l) => / go\//.test(l)), 'everything under go/');
      assert.equal(got.sha256, createHash('sha256').update(readFileSync(got.path)).digest('hex'));
      assert.deepEqual(readdirSync(cacheDir), ['go1.99.1.linux-amd64.tar.gz', 'goproxy'], 'no work files left');
      if (over === 'http') assert.ok(http.requests.some((r) => r.path === `/sumdb/sum.golang.org/lookup/${MOD}@${VERSION}`));
    });
  }

  test('a tampered zip is refused (MODULE_HASH_MISMATCH) and nothing lands in the cache', async () => {
    const bad = writeProxy({ ...FILES, 'bin/go': '#!/bin/sh\necho pwned\n' }, db);
    const cacheDir = mkdtempSync(join(tmpdir(), 'gofleet-gpcache-'));
    const src = openGoProxySource(pathToFileURL(bad).toString(), { env: env(), cacheDir });
    await assert.rejects(ensureArchive(src, 'go1.99.1.linux-amd64.tar.gz', { cacheDir }), (err: GofleetError) => err.code === 'MODULE_HASH_MISMATCH' && err.message.includes(good));
    assert.deepEqual(readdirSync(cacheDir), []);
  });

  test('a database signed by another key is refused (SUMDB_VERIFY_FAILED)', async () => {
    const forged = writeProxy(FILES, testDb(good));
    const cacheDir = mkdtempSync(join(tmpdir(), 'gofleet-gpcache-'));
    const src = openGoProxySource(pathToFileURL(forged).toString(), { env: env(), cacheDir });
    await assert.rejects(src.checksum('go1.99.1.linux-amd64.tar.gz'), (err: GofleetError) => err.code === 'SUMDB_VERIFY_FAILED');
    assert.deepEqual(readdirSync(cacheDir), []);
  });

  test('a proxy that rewrites the record to vouch for its own zip is refused: the record is not in the signed tree', async () => {
    const evil = { ...FILES, 'bin/go': '#!/bin/sh\necho pwned\n' };
    const files = new Map(db.files);
    const path = `lookup/${MOD}@${VERSION}`;
    files.set(path, Buffer.from((files.get(path) ?? '').toString().replace(good, expectedH1(evil))));
    const lying = writeProxy(evil, { ...db, files });
    const cacheDir = mkdtempSync(join(tmpdir(), 'gofleet-gpcache-'));
    const src = openGoProxySource(pathToFileURL(lying).toString(), { env: env(), cacheDir });
    await assert.rejects(ensureArchive(src, 'go1.99.1.linux-amd64.tar.gz', { cacheDir }), (err: GofleetError) => err.code === 'SUMDB_VERIFY_FAILED');
    assert.deepEqual(readdirSync(cacheDir), []);
  });

  test('GOSUMDB=off: skipped with a warning for a file:// proxy, refused for an http one', async () => {
    const unvouched = writeProxy(FILES, null);
    const warnings: string[] = [];
    const cacheDir = mkdtempSync(join(tmpdir(), 'gofleet-gpcache-'));
    const onWarning = (m: string) => void warnings.push(m);
    const src = openGoProxySource(pathToFileURL(unvouched).toString(), { env: { GOSUMDB: 'off' }, cacheDir, onWarning });
    assert.match(await src.checksum('go1.99.1.linux-amd64.tar.gz'), /^[0-9a-f]{64}$/);
    assert.match(warnings.join('\n'), /checksum database verification skipped .*GOSUMDB=off/);
    const viaHttp = openGoProxySource(http.url, { env: { GONOSUMDB: 'golang.org' }, cacheDir, onWarning });
    await assert.rejects(viaHttp.checksum('go1.99.1.linux-amd64.tar.gz'), (err: GofleetError) => err.code === 'SUMDB_REQUIRED');
  });

  test('goproxy: alone follows GOPROXY: "," stops at an error, "|" falls through it', async () => {
    const down = 'http://127.0.0.1:1';
    const fileUrl = pathToFileURL(proxy).toString();
    const pipe = openGoProxySource('', { env: env({ GOPROXY: `${down}|${fileUrl},direct` }) });
    assert.equal((await pipe.releases())[0]?.version, 'go1.99.1');
    const comma = openGoProxySource('', { env: env({ GOPROXY: `${down},${fileUrl}` }) });
    await assert.rejects(comma.releases(), (err: GofleetError) => err.code === 'SOURCE_UNAVAILABLE');
    assert.throws(() => openGoProxySource('', { env: { GOPROXY: 'direct' } }), (err: GofleetError) => err.code === 'BAD_OPTION');
  });

  test('windows-amd64: repacked as the official .zip (go/, go.mod back), read by unzip, python and our reader; same bytes twice', async () => {
    const want = Object.fromEntries(Object.entries(FILES).map(([n, c]) => [`go/${n.replace(/_go\.mod$/, 'go.mod')}`, c]));
    const runs = [];
    for (const over of ['file', 'http'] as const) {
      const cacheDir = mkdtempSync(join(tmpdir(), 'gofleet-gpcache-'));
      const src = openGoProxySource(over === 'file' ? pathToFileURL(proxy).toString() : http.url, { env: env(), cacheDir });
      runs.push(await ensureArchive(src, 'go1.99.1.windows-amd64.zip', { cacheDir }));
    }
    const [a, b] = runs;
    assert.ok(a && b);
    assert.equal(a.sha256, b.sha256, 'two repacks of one module zip hash alike');
    assert.deepEqual(readFileSync(a.path), readFileSync(b.path));
    assert.equal(a.sha256, createHash('sha256').update(readFileSync(a.path)).digest('hex'));
    const names = execFileSync('unzip', ['-Z1', a.path], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(names, Object.keys(want).sort());
    const py = 'import sys,json,zipfile;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;print(json.dumps({n:z.read(n).decode() for n in z.namelist()}))';
    assert.deepEqual(JSON.parse(execFileSync('python3', ['-c', py, a.path], { encoding: 'utf8' })), want);
    const dest = mkdtempSync(join(tmpdir(), 'gofleet-gpread-'));
    assert.equal((await unpackModuleZip(a.path, dest, 'go')).files, Object.keys(want).length);
    for (const [n, c] of Object.entries(want)) assert.equal(readFileSync(join(dest, n), 'utf8'), c, n);
  });

  test('the repack is kept by the vouched h1: reused without a download, repacked when altered or when the h1 differs', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'gofleet-gpcache-'));
    const name = 'go1.99.1.linux-amd64.tar.gz';
    const zipGets = () => http.requests.filter((r) => r.path === `/${MOD}/@v/${VERSION}.zip`).length;
    const before = zipGets();
    const first = await openGoProxySource(http.url, { env: env(), cacheDir }).checksum(name);
    assert.equal(zipGets(), before + 1);
    assert.equal(await openGoProxySource(http.url, { env: env(), cacheDir }).checksum(name), first, 'a new source reuses the repack');
    assert.equal(zipGets(), before + 1, 'no second download');
    const cached = join(cacheDir, 'goproxy', Buffer.from(good.slice(3), 'base64').toString('hex'), name);
    assert.equal(readFileSync(`${cached}.sha256`, 'utf8').trim(), first);
    assert.equal(statSync(join(cacheDir, name)).ino, statSync(cached).ino, 'linked where ensureArchive looks, not copied');
    appendFileSync(cached, 'x');
    assert.equal(await openGoProxySource(http.url, { env: env(), cacheDir }).checksum(name), first, 'an altered repack is made again');
    assert.equal(zipGets(), before + 2);
    const otherFiles = { ...FILES, VERSION: 'go1.99.1\ntime 2026-10-03T00:00:00Z\n' };
    const otherDb = testDb(expectedH1(otherFiles));
    const other = openGoProxySource(pathToFileURL(writeProxy(otherFiles, otherDb)).toString(), { env: { GOSUMDB: otherDb.vkey }, cacheDir });
    assert.notEqual(await other.checksum(name), first, 'another h1 for the same name is repacked, not reused');
    assert.equal(readdirSync(join(cacheDir, 'goproxy')).length, 2);
  });

  test("the provider's provenance carries the module zip's h1: as the checksum database records it (fresh, from the repack cache), none with GOSUMDB=off", async () => {
    const lookup = db.files.get(`lookup/${MOD}@${VERSION}`)?.toString() ?? '';
    const record = lookup.split('\n').find((l) => l.startsWith(`${MOD} ${VERSION} `))?.split(' ')[2];
    assert.match(record ?? '', /^h1:[A-Za-z0-9+/]{43}=$/, lookup);
    const cacheDir = mkdtempSync(join(tmpdir(), 'gofleet-gpcache-'));
    const fetched = (source: string, e: Record<string, string>, dir = cacheDir) => createArchiveProvider({ sources: [source], env: e, cacheDir: dir, onWarning: () => undefined }).fetch('go1.99.1', 'linux', 'amd64');
    const fresh = await fetched(`goproxy:${http.url}`, env());
    assert.equal(fresh.provenance.hashes.h1, record);
    assert.equal(fresh.provenance.hashes.sha256, fresh.sha256);
    const reused = await fetched(`goproxy:${http.url}`, env());
    assert.equal(reused.provenance.hashes.h1, record, 'a repack reused from the cache still names the vouched h1');
    const unverified = await fetched(`goproxy:${pathToFileURL(writeProxy(FILES, null))}`, { GOSUMDB: 'off' }, mkdtempSync(join(tmpdir(), 'gofleet-gpcache-')));
    assert.deepEqual(Object.keys(unverified.provenance.hashes), ['sha256'], 'no database consulted: no h1 claimed');
  });

  test('gofleet script over goproxy: the script checks the repacked archive\'s SHA-256 and takes it from beside itself', async () => {
    const saved = { HOME: process.env.HOME, GOSUMDB: process.env.GOSUMDB };
    const home = mkdtempSync(join(tmpdir(), 'gofleet-gphome-'));
    Object.assign(process.env, { HOME: home, GOSUMDB: db.vkey });
    try {
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), stdoutTty: false, stderrTty: false };
      const code = await runCli(['script', '--os', 'linux', '--to', 'go1.99.1', '--source', `goproxy:${http.url}`], io);
      assert.equal(code, 0, err.join(''));
      const repacked = join(home, '.cache', 'gofleet', 'archives', 'go1.99.1.linux-amd64.tar.gz');
      const sha = createHash('sha256').update(readFileSync(repacked)).digest('hex');
      assert.match(out.join(''), new RegExp(sha), 'the script checks the SHA-256 of the repacked archive');
      assert.match(err.join(''), /beside the script/, err.join(''));
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  test('--min-age: the release date is the Time of the module .info (file:// GOPROXY); unknown without one', async () => {
    const src = openGoProxySource(pathToFileURL(proxy).toString(), { env: env() });
    const dates = releaseDates(src, await src.releases());
    assert.equal(await dates('go1.99.1'), Date.parse(INFO_TIME));
    assert.equal(await dates('go1.98.4'), null);
  });
});
