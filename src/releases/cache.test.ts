import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHttpSource, type HttpSource } from '../../test/harness/http-source.ts';
import { corruptCopy, fakeToolchainArchive, toolchainArchive, writeSourceDir, type FixtureArchive } from '../../test/harness/toolchains.ts';
import { GofleetError } from '../errors.ts';
import { ensureArchive } from './cache.ts';
import { cacheLimit } from './cache-evict.ts';
import { sha256File } from './hash-file.ts';
import { openDirSource } from './source-dir.ts';
import { openOfficialSource } from './source-official.ts';
import { openUrlSource } from './source-url.ts';

const code = (c: string, re = /./) => (e: unknown) => e instanceof GofleetError && e.code === c && re.test(e.message);

describe('ensureArchive', () => {
  let work: string;
  let good: FixtureArchive;
  let server: HttpSource;
  let n = 0;
  const cacheDir = () => join(work, `cache-${++n}`);

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-cache-'));
    good = await fakeToolchainArchive('go1.27.3');
    writeSourceDir(join(work, 'src'), [good], { index: true });
    server = await startHttpSource(join(work, 'src'));
  });
  after(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('N concurrent callers share one download; a later call re-hashes and reuses it', async () => {
    const source = openOfficialSource({ baseUrl: server.url });
    const [release] = await source.releases();
    const file = release?.files[0];
    assert.ok(file);
    const dir = cacheDir();
    const before = server.count(file.filename);
    const results = await Promise.all(Array.from({ length: 5 }, () => ensureArchive(source, file, { cacheDir: dir })));
    assert.equal(server.count(file.filename) - before, 1, 'downloaded once');
    for (const r of results) assert.deepEqual(r, results[0]);
    assert.deepEqual({ ...results[0] }, {
      path: join(dir, file.filename), filename: file.filename, sha256: good.sha256, size: good.size, reused: false,
      authority: `the official index ${server.url}`, warnings: [],
    });
    assert.equal(await sha256File(join(dir, file.filename)), good.sha256);
    const again = await ensureArchive(source, file.filename, { cacheDir: dir });
    assert.equal(again.reused, true);
    assert.equal(server.count(file.filename) - before, 1, 'still once');
    assert.deepEqual(readdirSync(dir), [file.filename], 'no temp files left');
  });

  it('a cached file that no longer matches is replaced by a fresh download', async () => {
    const source = openOfficialSource({ baseUrl: server.url });
    const dir = cacheDir();
    await ensureArchive(source, good.filename, { cacheDir: dir });
    writeFileSync(join(dir, good.filename), 'tampered');
    const before = server.count(good.filename);
    const r = await ensureArchive(source, good.filename, { cacheDir: dir });
    assert.equal(r.reused, false);
    assert.equal(server.count(good.filename) - before, 1);
    assert.equal(await sha256File(r.path), good.sha256);
  });

  it('a cached file modified in place (same size, same mtime) is re-hashed, refused and downloaded again', async () => {
    const source = openOfficialSource({ baseUrl: server.url });
    const dir = cacheDir();
    const first = await ensureArchive(source, good.filename, { cacheDir: dir });
    const st = statSync(first.path);
    writeFileSync(first.path, corruptedBytes(first.path));
    utimesSync(first.path, st.atime, st.mtime);
    const before = server.count(good.filename);
    const r = await ensureArchive(source, good.filename, { cacheDir: dir });
    assert.deepEqual([r.reused, server.count(good.filename) - before, await sha256File(r.path)], [false, 1, good.sha256]);
  });

  it('a cached file failing its re-hash while the source is unreachable: SOURCE_UNAVAILABLE naming the refused copy, never used', async () => {
    const source = openOfficialSource({ baseUrl: server.url });
    const dir = cacheDir();
    const [release] = await source.releases();
    const file = release?.files.find((f) => f.filename === good.filename);
    assert.ok(file);
    const first = await ensureArchive(source, file, { cacheDir: dir });
    writeFileSync(first.path, corruptedBytes(first.path));
    server.addFault({ path: good.filename, kind: 'status', status: 503, times: 1 });
    await assert.rejects(
      ensureArchive(source, file, { cacheDir: dir }),
      code('SOURCE_UNAVAILABLE', new RegExp(`^the cached ${good.filename.replace(/\./g, '\\.')} no longer matched its SHA-256 ${good.sha256} and was removed; .*503`)),
    );
    assert.deepEqual(readdirSync(dir), [], 'the modified copy is gone, not kept for a later run');
  });

  it('checksum mismatch -> CHECKSUM_MISMATCH (expected vs got), nothing left in the cache', async () => {
    const bad = corruptCopy(good, { dir: join(work, 'corrupt') });
    const srcDir = join(work, 'src-bad');
    writeSourceDir(srcDir, [bad], { index: true });
    const s = await startHttpSource(srcDir);
    const dir = cacheDir();
    try {
      const got = await sha256File(bad.path);
      await assert.rejects(
        ensureArchive(openUrlSource(s.url), bad.filename, { cacheDir: dir }),
        code('CHECKSUM_MISMATCH', new RegExp(`expected SHA-256 ${good.sha256}, got ${got}`)),
      );
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      await s.close();
    }
  });

  it('the independent checksum source wins over the mirror', async () => {
    // a mirror serving a corrupt file with a checksum that matches the corruption
    const bad = corruptCopy(good, { dir: join(work, 'corrupt2') });
    const srcDir = join(work, 'mirror');
    writeSourceDir(srcDir, [{ ...bad, sha256: await sha256File(bad.path) }], { index: false, sha256Files: true });
    const mirror = await startHttpSource(srcDir, { basePath: '/golang/', serveIndex: false });
    const official = openOfficialSource({ baseUrl: server.url });
    try {
      const source = openUrlSource(mirror.url);
      const trusting = await ensureArchive(source, bad.filename, { cacheDir: cacheDir() });
      assert.notEqual(trusting.sha256, good.sha256, 'without an independent source the mirror is self-consistent');
      // the mirror's own .sha256 disagrees with the index: refused before a byte is downloaded
      const downloads = mirror.count(bad.filename);
      await assert.rejects(ensureArchive(source, bad.filename, { cacheDir: cacheDir(), independents: [official] }), code('SOURCE_CHECKSUM_DISAGREES', new RegExp(good.sha256)));
      assert.equal(mirror.count(bad.filename), downloads, 'not downloaded');
      // without a .sha256 the index alone decides, and the bytes do not match it
      rmSync(join(srcDir, `${bad.filename}.sha256`));
      await assert.rejects(ensureArchive(openUrlSource(mirror.url), bad.filename, { cacheDir: cacheDir(), independents: [official] }), code('CHECKSUM_MISMATCH', new RegExp(`expected SHA-256 ${good.sha256}`)));
      // and it must list the file: no falling back to the mirror's word
      await assert.rejects(ensureArchive(source, 'go1.26.8.linux-amd64.tar.gz', { cacheDir: cacheDir(), independents: [official] }), code('CHECKSUM_MISSING'));
    } finally {
      await mirror.close();
    }
  });

  it('a cut download -> SOURCE_UNAVAILABLE and no partial file; the next call downloads it whole', async () => {
    const source = openOfficialSource({ baseUrl: server.url });
    const dir = cacheDir();
    server.addFault({ path: good.filename, kind: 'cut', times: 1 });
    await assert.rejects(ensureArchive(source, good.filename, { cacheDir: dir }), code('SOURCE_UNAVAILABLE', /connection (closed|lost) after \d+/));
    assert.deepEqual(readdirSync(dir), []);
    const r = await ensureArchive(source, good.filename, { cacheDir: dir });
    assert.equal(await sha256File(r.path), good.sha256);
  });

  it('a stalled download times out and leaves nothing', async () => {
    const source = openOfficialSource({ baseUrl: server.url, http: { timeoutMs: 300 } });
    const dir = cacheDir();
    server.addFault({ path: good.filename, kind: 'stall', times: 1 });
    await assert.rejects(ensureArchive(source, good.filename, { cacheDir: dir }), code('SOURCE_UNAVAILABLE', /no data for 300 ms/));
    assert.deepEqual(readdirSync(dir), []);
  });

  it('a file without a published checksum is never downloaded (CHECKSUM_MISSING)', async () => {
    const srcDir = join(work, 'nosum');
    writeSourceDir(srcDir, [good], { index: false, sha256Files: false });
    const dir = cacheDir();
    await assert.rejects(ensureArchive(openDirSource(srcDir), good.filename, { cacheDir: dir }), code('CHECKSUM_MISSING'));
    assert.throws(() => readdirSync(dir), /ENOENT/);
  });

  it('copies from a directory source and reports progress', async () => {
    const seen: [number, number | null][] = [];
    const r = await ensureArchive(openDirSource(join(work, 'src')), good.filename, { cacheDir: cacheDir(), onProgress: (b, t) => seen.push([b, t]) });
    assert.equal(r.size, good.size);
    assert.deepEqual(seen.at(-1), [good.size, good.size]);
    assert.deepEqual(readFileSync(r.path), readFileSync(good.path));
  });

  it('a real toolchain archive through the loopback server (downloaded, verified, reused)', async (t) => {
    const real = await toolchainArchive('go1.27.3');
    const srcDir = join(work, 'real');
    writeSourceDir(srcDir, [real], { index: true });
    const s = await startHttpSource(srcDir);
    try {
      const source = openOfficialSource({ baseUrl: s.url });
      const dir = cacheDir();
      let t0 = Date.now();
      const first = await ensureArchive(source, real.filename, { cacheDir: dir });
      t.diagnostic(`download+verify ${(real.size / 1e6).toFixed(1)} MB: ${Date.now() - t0} ms`);
      t0 = Date.now();
      const second = await ensureArchive(source, real.filename, { cacheDir: dir });
      t.diagnostic(`re-hash before reuse: ${Date.now() - t0} ms`);
      assert.deepEqual([first.reused, second.reused, first.sha256, s.count(real.filename)], [false, true, real.sha256, 1]);
    } finally {
      await s.close();
    }
  });
});

/** The file's bytes with 16 of them flipped in the middle (same size). */
function corruptedBytes(path: string): Buffer {
  const bytes = readFileSync(path);
  for (let i = 0; i < 16; i++) bytes[(bytes.length >> 1) + i] = (bytes[(bytes.length >> 1) + i] ?? 0) ^ 0xff;
  return bytes;
}

describe('ensureArchive with a size limit (--cache-max)', () => {
  const work = mkdtempSync(join(tmpdir(), 'gofleet-cache-max-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('a verified reuse makes a file recent: a later download evicts the least recently used, never a held file', async () => {
    const [a, b, c] = await Promise.all(['go1.25.1', 'go1.26.8', 'go1.27.3'].map((v) => fakeToolchainArchive(v))) as [FixtureArchive, FixtureArchive, FixtureArchive];
    writeSourceDir(join(work, 'src'), [a, b, c]);
    const source = openDirSource(join(work, 'src'));
    const dir = join(work, 'cache');
    const notes: string[] = [];
    const command = (max: number) => ({ cacheDir: dir, limit: cacheLimit(max, (m) => notes.push(m)) });

    const first = command(0);
    await ensureArchive(source, a.filename, first);
    await ensureArchive(source, b.filename, first);
    utimesSync(join(dir, a.filename), 1000, 1000); // a used long ago, b less long ago
    utimesSync(join(dir, b.filename), 2000, 2000);
    assert.equal((await ensureArchive(source, a.filename, command(0))).reused, true);
    assert.ok(statSync(join(dir, a.filename)).mtimeMs > 2_000_000, 'the reuse touched the mtime');

    await ensureArchive(source, c.filename, command(a.size + b.size + c.size - 1));
    assert.deepEqual(readdirSync(dir).sort(), [a.filename, c.filename].sort(), 'b, now the least recently used, was evicted');
    assert.equal(notes.length, 1, notes.join('\n'));
    assert.ok(notes[0]?.startsWith(`note: archive cache ${dir} was `), notes[0]);
    assert.ok(notes[0]?.includes(`: evicted ${b.filename} (`), notes[0]);

    notes.length = 0;
    const last = command(1); // smaller than any archive
    await ensureArchive(source, a.filename, last); // held from here on
    await ensureArchive(source, b.filename, last);
    assert.deepEqual(readdirSync(dir).sort(), [a.filename, b.filename].sort(), 'c went; a (handed out earlier) and b (just downloaded) stay');
    assert.equal(notes.length, 2, notes.join('\n'));
    assert.match(notes[0] ?? '', new RegExp(`^note: ${b.filename.replace(/\./g, '\\.')} \\(.*\\) is larger than --cache-max 1 B on its own; kept for this command`));
    assert.match(notes[1] ?? '', new RegExp(`evicted ${c.filename.replace(/\./g, '\\.')} \\(`));
  });
});

describe('ensureArchive when the cache cannot be trimmed', () => {
  it('the verified download is still returned, and a note says the cache was not trimmed', async () => {
    const work = mkdtempSync(join(tmpdir(), 'gofleet-cache-trim-'));
    try {
      const good = await fakeToolchainArchive('go1.27.3');
      writeSourceDir(join(work, 'src'), [good]);
      const notes: string[] = [];
      const limit = cacheLimit(1, (m) => notes.push(m));
      limit.held = new (class extends Set<string> {
        override has(): boolean {
          throw new Error('EIO: listing failed');
        }
      })();
      mkdirSync(join(work, 'cache'));
      writeFileSync(join(work, 'cache', 'go1.2.linux-amd64.tar.gz'), 'old');
      const r = await ensureArchive(openDirSource(join(work, 'src')), good.filename, { cacheDir: join(work, 'cache'), limit });
      assert.equal(await sha256File(r.path), good.sha256);
      assert.match(notes.at(-1) ?? '', /^note: archive cache .* could not be trimmed to its --cache-max: EIO: listing failed$/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('ensureArchive housekeeping', () => {
  it('an aborted download -> INTERRUPTED, nothing left; stale .part files of dead processes are removed', async () => {
    const work = mkdtempSync(join(tmpdir(), 'gofleet-cache-abort-'));
    const good = await fakeToolchainArchive('go1.27.3');
    writeSourceDir(join(work, 'src'), [good], { index: true });
    const server = await startHttpSource(join(work, 'src'), { throttleBytesPerSec: 1024 });
    const dir = join(work, 'cache');
    try {
      mkdirSync(dir);
      const stale = join(dir, `.${good.filename}.999999999.abcd1234.part`);
      writeFileSync(stale, 'left by a killed run');
      const controller = new AbortController();
      const pending = ensureArchive(openOfficialSource({ baseUrl: server.url }), good.filename, {
        cacheDir: dir,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      });
      await assert.rejects(pending, (e: unknown) => e instanceof GofleetError && (e.code === 'INTERRUPTED' || e.code === 'SOURCE_UNAVAILABLE') && /aborted|interrupted/.test(e.message));
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      await server.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
