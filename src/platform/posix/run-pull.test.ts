// The upgrade script's `pull` step (sh-pull.ts) run for real under dash against a fake host in a temp dir,
// downloading from a loopback HTTP server with curl, wget and busybox wget (each hidden from PATH in turn).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { startHttpSource, type HttpSource } from '../../../test/harness/http-source.ts';
import type { ArchiveRef } from '../types.ts';
import { posix } from './index.ts';
import { BASE_PATH, FakeHost } from './testing/fake-host.ts';
import type { LocalArchive } from '../../engine/context.ts';

let h: FakeHost;
let src: HttpSource;
let archive: LocalArchive;
beforeEach(async () => {
  h = new FakeHost();
  archive = h.archive('go1.27.3');
  src = await startHttpSource(join(archive.path, '..'), { serveIndex: false });
});
afterEach(async () => {
  await src.close();
  h.cleanup();
});

const cache = (): string => join(h.versionsDir, '.gofleet', 'cache');

function pullRef(overrides: Partial<ArchiveRef> = {}): ArchiveRef {
  return {
    filename: archive.filename,
    sha256: archive.sha256,
    size: archive.size,
    remotePath: posix.cachedArchivePath(h.paths, archive.filename),
    pullUrl: src.url + archive.filename,
    ...overrides,
  };
}

/** A PATH holding the base system's commands except `hide` (symlinks in a temp dir). */
function pathWithout(hide: readonly string[]): string {
  const dir = join(h.root, `bin-without-${hide.join('-') || 'none'}`);
  mkdirSync(dir, { recursive: true });
  for (const d of BASE_PATH.split(':')) {
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d)) {
      if (hide.includes(name) || existsSync(join(dir, name))) continue;
      symlinkSync(join(d, name), join(dir, name));
    }
  }
  return dir;
}

async function upgrade(ref: ArchiveRef, hide: readonly string[] = []) {
  const script = posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: ref, verify: { build: false, requirePath: false }, run: h.run });
  const r = await h.runScriptAsync(script, hide.length > 0 ? { env: { PATH: pathWithout(hide) } } : {});
  const parsed = posix.parseRun(r.stdout);
  return { ...r, ...parsed, trail: parsed.steps.map((s) => `${s.step}:${s.status}${s.code ? `:${s.code}` : ''}`) };
}

const TOOLS: { tool: string; hide: string[] }[] = [
  { tool: 'curl', hide: [] },
  { tool: 'wget', hide: ['curl'] },
  { tool: 'busybox wget', hide: ['curl', 'wget'] },
];

for (const { tool, hide } of TOOLS) {
  test(`${tool}: the host downloads the archive into its cache, checks it, stages and switches`, async () => {
    const r = await upgrade(pullRef(), hide);
    assert.deepEqual(r.trail.slice(0, 6), ['lock:start', 'lock:ok', 'pull:start', 'pull:ok', 'stage:start', 'stage:ok'], r.stdout + r.stderr);
    assert.equal(r.steps.find((s) => s.step === 'pull' && s.status === 'ok')?.message, `downloaded ${archive.filename} with ${tool}`);
    assert.equal(r.outcome?.result, 'switched', r.stdout);
    assert.deepEqual(readdirSync(cache()), [archive.filename], 'no .partial left');
    assert.equal(src.count(archive.filename), 1);
  });

  test(`${tool}: a partial download left by an earlier run is resumed with a Range request`, async () => {
    const bytes = readFileSync(archive.path);
    const half = Math.floor(bytes.length / 2);
    mkdirSync(cache(), { recursive: true });
    writeFileSync(join(cache(), `${archive.filename}.partial`), bytes.subarray(0, half));
    const r = await upgrade(pullRef(), hide);
    assert.equal(r.outcome?.result, 'switched', r.stdout + r.stderr);
    const gets = src.requests.filter((q) => q.method === 'GET' && q.path.endsWith(archive.filename));
    assert.deepEqual(gets.map((q) => q.range), [`bytes=${half}-`]);
    assert.equal(gets[0]?.bytes, bytes.length - half, 'only the rest was sent');
    assert.deepEqual(readFileSync(join(cache(), archive.filename)), bytes);
  });
}

test('a 404 fails at pull with PULL_FAILED and the tool\'s words; goroot untouched', async () => {
  const r = await upgrade(pullRef({ pullUrl: `${src.url}missing.tar.gz` }));
  assert.deepEqual(r.trail, ['lock:start', 'lock:ok', 'pull:start', 'pull:fail:PULL_FAILED', 'unlock:ok'], r.stdout);
  assert.equal(r.outcome?.code, 'PULL_FAILED');
  assert.match(r.outcome?.message ?? '', /curl could not download .*missing\.tar\.gz \(exit 22\): .*404/);
  assert.equal(h.gorootTarget(), null);
  assert.equal(existsSync(join(h.versionsDir, 'go1.27.3')), false);
});

test('a download with the wrong SHA-256 is deleted: CHECKSUM_MISMATCH at pull, nothing staged', async () => {
  const r = await upgrade(pullRef({ sha256: 'f'.repeat(64) }));
  assert.deepEqual(r.trail, ['lock:start', 'lock:ok', 'pull:start', 'pull:fail:CHECKSUM_MISMATCH', 'unlock:ok'], r.stdout);
  assert.deepEqual(readdirSync(cache()), [], 'neither the partial nor a cached copy is kept');
  assert.equal(existsSync(join(h.versionsDir, 'go1.27.3')), false);
});

test('no curl, wget or busybox: PULL_NO_TOOL', async () => {
  const r = await upgrade(pullRef(), ['curl', 'wget', 'busybox']);
  assert.deepEqual(r.trail, ['lock:start', 'lock:ok', 'pull:start', 'pull:fail:PULL_NO_TOOL', 'unlock:ok'], r.stdout + r.stderr);
  assert.equal(src.requests.length, 0);
});

test('an archive already in the cache is not pulled again (stage checks it)', async () => {
  mkdirSync(cache(), { recursive: true });
  writeFileSync(join(cache(), archive.filename), readFileSync(archive.path));
  const r = await upgrade(pullRef());
  assert.equal(r.trail.includes('pull:start'), false, r.stdout);
  assert.equal(r.outcome?.result, 'switched');
  assert.equal(src.requests.length, 0);
});
