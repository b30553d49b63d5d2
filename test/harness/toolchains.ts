// Release archives for tests, in the official layout (top-level go/, official file names):
// - toolchainArchive(): real toolchains on this machine, packed once and cached under
//   .cache/fixtures/real (override: GOFLEET_FIXTURES_DIR) so repeated runs reuse them.
//     go1.26.8 = /usr/local/go (read only), go1.27.3 = the go command's module cache copy
//     (fetched with `GOTOOLCHAIN=go1.27.3 go version` if missing), go1.19.8 = /usr/lib/go-1.19
//     (symlinks dereferenced). test/, api/, doc/ and _go.mod files are left out; modes are 0755/0644;
//     gzip -1; deterministic (sorted, fixed mtime/owner) so the SHA-256 is stable across rebuilds.
//     Parallel test processes: a lock file (pid inside, stale locks taken over) plus build-to-temp-and-rename.
// - fakeToolchainArchive(): a tiny archive whose bin/go is a sh script (see fake-go-script.ts).
// - writeSourceDir(), corruptCopy(), extractArchive() for release-source tests.
// Files in a source dir are hard links into the fixture cache: never modify them in place.

import { execFile } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { buildReleaseIndex } from '../../src/releases/release-index.ts';
import { parseFileName } from '../../src/releases/file-name.ts';
import { sha256File } from '../../src/releases/hash-file.ts';
import type { ReleaseFile } from '../../src/releases/types.ts';
import { fakeGoScript } from './fake-go-script.ts';
import { withBuildLock } from './build-lock.ts';

const run = promisify(execFile);

export interface FixtureArchive {
  path: string;
  /** official file name, e.g. go1.27.3.linux-amd64.tar.gz */
  filename: string;
  sha256: string;
  size: number;
}

export interface Platform {
  os: string;
  arch: string;
}

export type RealVersion = 'go1.26.8' | 'go1.27.3' | 'go1.19.8';
export type FakeBroken = 'no-exec' | 'wrong-version' | 'build-fails';

/** bump when the packing recipe changes: cached archives with another recipe are rebuilt */
const RECIPE = 2;
const LINUX_AMD64: Platform = { os: 'linux', arch: 'amd64' };

export function fixturesDir(): string {
  return process.env.GOFLEET_FIXTURES_DIR ?? fileURLToPath(new URL('../../.cache/fixtures/', import.meta.url));
}

async function moduleCacheToolchain(version: string): Promise<string> {
  const { stdout } = await run('go', ['env', 'GOMODCACHE'], { env: { ...process.env, GOTOOLCHAIN: 'local' } });
  const dir = join(stdout.trim(), `golang.org/toolchain@v0.0.1-${version}.linux-amd64`);
  if (!existsSync(join(dir, 'src', 'go.mod'))) {
    const cwd = await mkdtemp(join(tmpdir(), 'gofleet-fetch-'));
    try {
      await run('go', ['version'], { cwd, env: { ...process.env, GOTOOLCHAIN: version } });
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  }
  return dir;
}

async function realRoot(version: RealVersion): Promise<{ root: string; dereference: boolean }> {
  switch (version) {
    case 'go1.26.8':
      return { root: '/usr/local/go', dereference: false };
    case 'go1.27.3':
      return { root: await moduleCacheToolchain(version), dereference: false };
    case 'go1.19.8':
      return { root: '/usr/lib/go-1.19', dereference: true };
  }
}

interface Meta {
  recipe: number;
  sha256: string;
  size: number;
  mtimeMs: number;
  buildSeconds: number;
}

/** The cached archive at `path` if its metadata says it is complete and untouched. */
async function cached(path: string): Promise<FixtureArchive | null> {
  const [st, metaText] = await Promise.all([stat(path).catch(() => null), readFile(`${path}.json`, 'utf8').catch(() => null)]);
  if (!st || metaText === null) return null;
  const meta = JSON.parse(metaText) as Meta;
  if (meta.recipe !== RECIPE || meta.size !== st.size) return null;
  if (meta.mtimeMs !== st.mtimeMs && (await sha256File(path)) !== meta.sha256) return null;
  return { path, filename: basename(path), sha256: meta.sha256, size: st.size };
}

async function publish(tmp: string, path: string, started: number): Promise<FixtureArchive> {
  await rename(tmp, path);
  const st = await stat(path);
  const meta: Meta = { recipe: RECIPE, sha256: await sha256File(path), size: st.size, mtimeMs: st.mtimeMs, buildSeconds: (Date.now() - started) / 1000 };
  await writeFile(`${path}.json.tmp${process.pid}`, JSON.stringify(meta));
  await rename(`${path}.json.tmp${process.pid}`, `${path}.json`);
  process.stderr.write(`[fixtures] packed ${basename(path)}: ${(st.size / 1e6).toFixed(1)} MB in ${meta.buildSeconds.toFixed(1)} s\n`);
  return { path, filename: basename(path), sha256: meta.sha256, size: st.size };
}

function versionTime(root: string): string {
  const m = /^time (\S+)$/m.exec(readFileSync(join(root, 'VERSION'), 'utf8'));
  return m?.[1] ?? '2023-04-07T00:00:00Z';
}

function tarArgs(root: string, out: string, mtime: string, dereference: boolean): string[] {
  return [
    '-C', root, '--create', '--file', out, '--use-compress-program', 'gzip -1 -n',
    '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mode=u+w,go-w', `--mtime=${mtime}`,
    ...(dereference ? ['--dereference'] : []),
    '--anchored', '--exclude=./test', '--exclude=./api', '--exclude=./doc', '--exclude=./pkg/distpack',
    '--no-anchored', '--exclude=_go.mod',
    '--transform=s,^\\.,go,S',
    '.',
  ];
}

const inflight = new Map<string, Promise<FixtureArchive>>();

function memo(key: string, make: () => Promise<FixtureArchive>): Promise<FixtureArchive> {
  let p = inflight.get(key);
  if (!p) {
    p = make().finally(() => inflight.delete(key));
    inflight.set(key, p);
  }
  return p;
}

/** An official-layout archive of a real toolchain on this machine (built once, then cached). */
export function toolchainArchive(version: RealVersion, platform: Platform = LINUX_AMD64): Promise<FixtureArchive> {
  if (platform.os !== 'linux' || platform.arch !== 'amd64') {
    return Promise.reject(new Error(`real toolchain fixtures exist only for linux/amd64 (asked ${platform.os}/${platform.arch})`));
  }
  const dir = join(fixturesDir(), 'real');
  const path = join(dir, `${version}.linux-amd64.tar.gz`);
  return memo(path, async () => {
    const hit = await cached(path);
    if (hit) return hit;
    await mkdir(dir, { recursive: true });
    return withBuildLock(path, async () => {
      const again = await cached(path);
      if (again) return again;
      const { root, dereference } = await realRoot(version);
      const first = readFileSync(join(root, 'VERSION'), 'utf8').split('\n')[0];
      if (first !== version) throw new Error(`${root}/VERSION says ${first}, expected ${version}`);
      const tmp = `${path}.tmp${process.pid}`;
      const started = Date.now();
      try {
        await run('tar', tarArgs(root, tmp, versionTime(root), dereference), { maxBuffer: 1 << 24 });
        return await publish(tmp, path, started);
      } finally {
        await rm(tmp, { force: true });
      }
    });
  });
}

export interface FakeOptions {
  broken?: FakeBroken;
  os?: string;
  arch?: string;
}

function fakeFiles(version: string, o: Required<Omit<FakeOptions, 'broken'>> & FakeOptions): Record<string, { text: string; mode: number }> {
  const reported = o.broken === 'wrong-version' ? (version === 'go1.2.3' ? 'go1.2.4' : 'go1.2.3') : version;
  const script = fakeGoScript({ reported, os: o.os, arch: o.arch, buildFails: o.broken === 'build-fails' });
  const exe = o.os === 'windows' ? '.exe' : '';
  const tool = `go/pkg/tool/${o.os}_${o.arch}`;
  return {
    'go/VERSION': { text: `${version}\ntime 2026-01-01T00:00:00Z\n`, mode: 0o644 },
    'go/go.env': { text: 'GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\n', mode: 0o644 },
    [`go/bin/go${exe}`]: { text: script, mode: o.broken === 'no-exec' ? 0o644 : 0o755 },
    [`go/bin/gofmt${exe}`]: { text: '#!/bin/sh\nexit 0\n', mode: 0o755 },
    [`${tool}/compile${exe}`]: { text: '#!/bin/sh\nexit 0\n', mode: 0o755 },
    'go/src/cmd/go/main.go': { text: 'package main\n\nfunc main() {}\n', mode: 0o644 },
  };
}

/**
 * A tiny archive with the official name and layout whose bin/go is a sh script (fake-go-script.ts).
 * broken: 'no-exec' (bin/go not executable), 'wrong-version' (reports go1.2.3), 'build-fails'.
 * Windows gets a .zip (its go.exe is the same script: for extraction tests only).
 */
export function fakeToolchainArchive(version: string, options: FakeOptions = {}): Promise<FixtureArchive> {
  const o = { os: 'linux', arch: 'amd64', ...options };
  const files = fakeFiles(version, o);
  const digest = createHash('sha256').update(JSON.stringify({ RECIPE, files })).digest('hex').slice(0, 12);
  const ext = o.os === 'windows' ? 'zip' : 'tar.gz';
  const path = join(fixturesDir(), 'fake', `${o.broken ?? 'ok'}-${digest}`, `${version}.${o.os}-${o.arch}.${ext}`);
  return memo(path, async () => {
    const hit = await cached(path);
    if (hit) return hit;
    const stage = await mkdtemp(join(tmpdir(), 'gofleet-fake-'));
    const started = Date.now();
    try {
      for (const [rel, f] of Object.entries(files)) {
        await mkdir(dirname(join(stage, rel)), { recursive: true });
        await writeFile(join(stage, rel), f.text);
        chmodSync(join(stage, rel), f.mode);
      }
      await mkdir(dirname(path), { recursive: true });
      const tmp = join(stage, `out.${ext}`);
      if (ext === 'zip') await run('zip', ['-q', '-X', '-r', tmp, 'go'], { cwd: stage });
      else await run('tar', ['-C', stage, '-czf', tmp, '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=2026-01-01T00:00:00Z', 'go']);
      return await publish(tmp, path, started);
    } finally {
      await rm(stage, { recursive: true, force: true });
    }
  });
}

export interface SourceDirOptions {
  /** write index.json (go.dev JSON of the given archives); default true */
  index?: boolean;
  /** write FILE.sha256 (bare hex, like dl.google.com) beside each archive; default true */
  sha256Files?: boolean;
}

/** Lay out a go.dev-like source directory (for `--source DIR` or http-source.ts). Synchronous. */
export function writeSourceDir(dir: string, archives: readonly FixtureArchive[], options: SourceDirOptions = {}): void {
  mkdirSync(dir, { recursive: true });
  const files: ReleaseFile[] = [];
  for (const a of archives) {
    const parsed = parseFileName(a.filename);
    if (!parsed) throw new Error(`not an official file name: ${a.filename}`);
    const dest = join(dir, a.filename);
    rmSync(dest, { force: true });
    try {
      linkSync(a.path, dest);
    } catch {
      copyFileSync(a.path, dest);
    }
    if (options.sha256Files ?? true) writeFileSync(`${dest}.sha256`, a.sha256);
    files.push({ filename: a.filename, ...parsed, sha256: a.sha256, size: a.size });
  }
  if (options.index ?? true) writeFileSync(join(dir, 'index.json'), JSON.stringify(buildReleaseIndex(files), null, 1));
}

/** A copy of `archive` with bytes flipped in the middle, carrying the original's published checksum. */
export function corruptCopy(archive: FixtureArchive, options: { dir?: string } = {}): FixtureArchive {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'gofleet-corrupt-'));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, archive.filename);
  rmSync(path, { force: true });
  copyFileSync(archive.path, path);
  const at = Math.floor(statSync(path).size / 2);
  const fd = openSync(path, 'r+');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, buf.length, at);
    for (let i = 0; i < buf.length; i++) buf[i] = (buf[i] ?? 0) ^ 0xff;
    writeSync(fd, buf, 0, buf.length, at);
  } finally {
    closeSync(fd);
  }
  return { ...archive, path };
}

/** Extract an archive (or only `members`, e.g. ['go/bin/go', 'go/VERSION']) into `dest`; returns `<dest>/go`. */
export async function extractArchive(archive: Pick<FixtureArchive, 'path' | 'filename'>, dest: string, members: string[] = []): Promise<string> {
  await mkdir(dest, { recursive: true });
  if (archive.filename.endsWith('.zip')) await run('unzip', ['-q', archive.path, ...members, '-d', dest]);
  else await run('tar', ['-xzf', archive.path, '-C', dest, ...members]);
  return join(dest, 'go');
}
