// `--source goproxy:URL`: Go toolchains as golang.org/toolchain module zips from a GOPROXY (http(s):// or
// file://; `goproxy:` alone = $GOPROXY with its `,` / `|` fallthrough, see goproxy-env.ts).
//   list:  <proxy>/golang.org/toolchain/@v/list  (v0.0.1-goX.Y.Z.OS-ARCH, one a line)
//   zip:   <proxy>/golang.org/toolchain/@v/v0.0.1-goX.Y.Z.OS-ARCH.zip
//   info:  <proxy>/golang.org/toolchain/@v/v0.0.1-goX.Y.Z.OS-ARCH.info  ({"Time": ...}: the release date, --min-age)
// Trust: the zip's h1: must equal what the Go checksum database vouches for (lookup through the proxies'
// /sumdb/<name>/ passthrough, or GOSUMDB's URL). Delivery: the verified zip is unpacked and repacked on the
// controller as the official-layout archive (top directory go/): `goX.Y.Z.OS-ARCH.tar.gz`, or for Windows
// the `goX.Y.Z.windows-ARCH.zip` a go.dev download is; its SHA-256 is then what `checksum()` reports, so hosts
// check the SHA-256 of exactly what they receive and nothing on the host side changes. The repack is kept by
// the vouched h1 (repack-cache.ts): a later run whose checksum database vouches for the same h1 reuses it
// (re-hashed) without downloading the module zip again. `verifiedH1(filename)` tells which h1 the database vouched
// for (the provider puts it in the archive's provenance).

import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { GofleetError } from '../errors.ts';
import { defaultCacheDir } from './cache.ts';
import { matchesPrivate, parseGoProxy, parseGoSumDb, type ProxyEntry } from './goproxy-env.ts';
import { displayUrl, httpGet, type HttpOptions } from './http-client.ts';
import { packGoTree, packGoZip, unpackModuleZip } from './module-zip.ts';
import { buildReleaseIndex, filesByName } from './release-index.ts';
import { findRepacked, storeRepacked, type Repacked } from './repack-cache.ts';
import { once, withTrailingSlash } from './source-common.ts';
import { verifyModule } from './sumdb/verify.ts';
import type { Release, ReleaseFile, ReleaseSource } from './types.ts';
import { parseVersion } from './version.ts';

export const TOOLCHAIN_MODULE = 'golang.org/toolchain';

export interface GoProxySourceOptions {
  http?: HttpOptions;
  /** GOPROXY, GOSUMDB, GONOSUMDB, GOPRIVATE; default process.env */
  env?: Record<string, string | undefined>;
  /** where the repacked archive is written (the archive cache, so ensureArchive reuses it); default ~/.cache/gofleet/archives */
  cacheDir?: string;
  /** "checksum database verification skipped ..." and the like */
  onWarning?: (message: string) => void;
}

/** `spec` is what follows `goproxy:` ('' = $GOPROXY). */
export function openGoProxySource(spec: string, options: GoProxySourceOptions = {}): ReleaseSource {
  const env = options.env ?? process.env;
  const entries = spec.trim() !== '' ? [{ url: spec.trim(), fallThroughOnError: false }] : parseGoProxy(env.GOPROXY);
  if (entries.length === 0) {
    throw new GofleetError('BAD_OPTION', `--source goproxy: GOPROXY=${env.GOPROXY ?? ''} names no proxy (direct/off fetch from no proxy gofleet can use)`);
  }
  for (const e of entries) {
    if (!/^(https?|file):\/\//i.test(e.url)) throw new GofleetError('BAD_OPTION', `--source goproxy:${e.url}: only http(s):// and file:// proxies are supported`);
  }
  const http = options.http ?? {};
  const location = `goproxy:${entries.map((e) => displayUrl(e.url)).join(',')}`;
  const releases = once(() => firstAnswer(entries, http, `${TOOLCHAIN_MODULE}/@v/list`).then((hit) => parseList(hit?.body.toString('utf8') ?? '')));
  const prepared = new Map<string, Promise<Repacked>>();
  const vouchedH1 = new Map<string, string>();
  const prepare = (filename: string) => {
    let p = prepared.get(filename);
    if (!p) {
      p = (async () => {
        const got = await prepareArchive({ file: await listedFile(await releases(), filename, location), entries, env, http, options });
        if (got.h1 !== null) vouchedH1.set(filename, got.h1);
        return got;
      })();
      p.catch(() => prepared.delete(filename));
      prepared.set(filename, p);
    }
    return p;
  };
  return {
    kind: 'goproxy',
    location,
    releases,
    checksum: async (filename) => (await prepare(filename)).sha256,
    async open(filename) {
      const { path } = await prepare(filename);
      const st = await stat(path);
      return { stream: createReadStream(path), size: st.size, location: `${path} (repacked from ${location})` };
    },
    fileUrl: () => null,
    verifiedH1: (filename) => vouchedH1.get(filename) ?? null,
    releaseTime: async (version) => {
      // every OS-ARCH module of a release has an .info; the first one a proxy has answers
      for (const file of (await releases()).find((r) => r.version === version)?.files ?? []) {
        const hit = await firstAnswer(entries, http, `${TOOLCHAIN_MODULE}/@v/${moduleVersion(file)}.info`);
        if (hit) return infoTime(hit.body);
      }
      return null;
    },
  };
}

/** A module's `.info` JSON -> its `Time` in ms since the epoch, or null. */
export function infoTime(body: Buffer): number | null {
  try {
    const time = (JSON.parse(body.toString('utf8')) as { Time?: unknown }).Time;
    const ms = typeof time === 'string' ? Date.parse(time) : NaN;
    return Number.isFinite(ms) ? ms : null;
  } catch {
    return null;
  }
}

/** `v0.0.1-go1.27.3.linux-amd64` lines -> releases of `go1.27.3.linux-amd64.tar.gz` / `go1.27.3.windows-amd64.zip` files (kind module-zip). */
export function parseList(text: string): Release[] {
  const files: ReleaseFile[] = [];
  for (const line of text.split('\n')) {
    const m = /^v0\.0\.1-(go.+)\.([a-z0-9]+)-([a-z0-9]+)$/.exec(line.trim());
    if (!m || !parseVersion(m[1] ?? '')) continue;
    const [, version = '', os = '', modArch = ''] = m;
    const arch = modArch === 'arm' && os !== 'windows' ? 'armv6l' : modArch;
    const ext = os === 'windows' ? 'zip' : 'tar.gz';
    files.push({ filename: `${version}.${os}-${arch}.${ext}`, os, arch, version, sha256: '', size: 0, kind: 'module-zip' });
  }
  return buildReleaseIndex(files);
}

/** The module version of a listed file: go1.27.3 linux armv6l -> v0.0.1-go1.27.3.linux-arm. */
export function moduleVersion(file: ReleaseFile): string {
  return `v0.0.1-${file.version}.${file.os}-${file.arch === 'armv6l' ? 'arm' : file.arch}`;
}

async function listedFile(releases: Release[], filename: string, location: string): Promise<ReleaseFile> {
  const file = filesByName(releases).get(filename);
  if (!file) throw new GofleetError('RELEASE_FILE_MISSING', `${location} lists no ${TOOLCHAIN_MODULE} version for ${filename}`);
  return file;
}

/** A verified repack, with the h1 the checksum database vouched for (null: GOSUMDB=off and the like). */
interface Prepared extends Repacked {
  h1: string | null;
}

interface PrepareJob {
  file: ReleaseFile;
  entries: ProxyEntry[];
  env: Record<string, string | undefined>;
  http: HttpOptions;
  options: GoProxySourceOptions;
}

/** The verified repack, also hard-linked as `<cacheDir>/<filename>` when that name is free, so that ensureArchive
 * finds it there (re-hashed) instead of copying ~70 MB; a stale file under that name is ensureArchive's to replace. */
async function prepareArchive(job: PrepareJob): Promise<Prepared> {
  const got = await repackedArchive(job);
  const dir = resolve(job.options.cacheDir ?? defaultCacheDir());
  await link(got.path, join(dir, job.file.filename)).catch(() => undefined);
  return got;
}

/** The cached repack of the vouched h1, else download, check the h1, repack into the cache; its path, SHA-256 and the vouched h1. */
async function repackedArchive(job: PrepareJob): Promise<Prepared> {
  const version = moduleVersion(job.file);
  const dir = resolve(job.options.cacheDir ?? defaultCacheDir());
  const expected = await vouchedHash(job, version);
  const hit = expected === null ? null : await findRepacked(dir, expected, job.file.filename);
  if (hit) return { ...hit, h1: expected };
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(join(dir, `.goproxy-${process.pid}-`));
  try {
    const zip = await downloadZip(job, version, join(work, 'module.zip'));
    const unpacked = await unpackModuleZip(zip.path, join(work, 'tree'), `${TOOLCHAIN_MODULE}@${version}`);
    if (expected !== null && unpacked.h1 !== expected) {
      throw new GofleetError(
        'MODULE_HASH_MISMATCH',
        `${TOOLCHAIN_MODULE}@${version} from ${displayUrl(zip.entry.url)}: the checksum database records ${expected}, the zip hashes to ${unpacked.h1}`,
      );
    }
    const packed = join(work, job.file.filename);
    await (job.file.filename.endsWith('.zip') ? packGoZip : packGoTree)(join(work, 'tree'), packed);
    return { ...(await storeRepacked(dir, unpacked.h1, job.file.filename, packed)), h1: expected };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The h1 the checksum database vouches for; null (with a warning) when verification is switched off for a file:// proxy. */
async function vouchedHash(job: PrepareJob, version: string): Promise<string | null> {
  const db = parseGoSumDb(job.env.GOSUMDB);
  const why = db.off ? 'GOSUMDB=off' : matchesPrivate(job.env.GONOSUMDB, TOOLCHAIN_MODULE) ? 'GONOSUMDB' : matchesPrivate(job.env.GOPRIVATE, TOOLCHAIN_MODULE) ? 'GOPRIVATE' : null;
  const [first] = job.entries;
  if (why) {
    if (job.entries.length !== 1 || !first || !/^file:/i.test(first.url)) {
      throw new GofleetError('SUMDB_REQUIRED', `${why} would skip the checksum database for ${TOOLCHAIN_MODULE}, which the go command (and gofleet) allows only for a single file:// GOPROXY`);
    }
    job.options.onWarning?.(`warning: checksum database verification skipped for ${TOOLCHAIN_MODULE}@${version} (${why}; file:// GOPROXY ${displayUrl(first.url)})`);
    return null;
  }
  // every proxy's passthrough in GOPROXY order, then the database itself unless all proxies are file://;
  // what any of them serves is checked against the signed note, so trying the next one costs no trust
  const passthrough = job.entries.map((e) => `${withTrailingSlash(e.url)}sumdb/${db.name}`);
  const bases = db.url ? [db.url] : [...passthrough, ...(job.entries.every((e) => /^file:/i.test(e.url)) ? [] : [`https://${db.name}`])];
  const fetch = async (path: string) => {
    let failure: unknown = null;
    for (const base of bases) {
      try {
        const body = await get(`${withTrailingSlash(base)}${path}`, job.http);
        if (body) return body;
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure) throw failure;
    throw new GofleetError('SUMDB_UNAVAILABLE', `${path}: not found at ${bases.map((b) => displayUrl(b)).join(' nor ')}`);
  };
  // the signed note, the record's inclusion in that tree (tiles), the record's h1 (compared with the zip's later)
  return (await verifyModule({ module: TOOLCHAIN_MODULE, version, fetch, key: db.key })).h1;
}

async function downloadZip(job: PrepareJob, version: string, tmp: string): Promise<{ path: string; entry: ProxyEntry }> {
  const rel = `${TOOLCHAIN_MODULE}/@v/${version}.zip`;
  for (const [i, entry] of job.entries.entries()) {
    const last = i === job.entries.length - 1;
    try {
      const url = `${withTrailingSlash(entry.url)}${rel}`;
      if (/^file:/i.test(url)) {
        const path = fileURLToPath(url);
        if (await stat(path).catch(() => null)) return { path, entry };
      } else {
        const res = await httpGet(url, job.http);
        if (res.status === 200) {
          await pipeline(res.body, createWriteStream(tmp, { flags: 'wx' }));
          return { path: tmp, entry };
        }
        res.body.resume();
        if (res.status !== 404 && res.status !== 410) throw new GofleetError('SOURCE_UNAVAILABLE', `${displayUrl(url)}: HTTP ${res.status}`);
      }
    } catch (err) {
      if (last || !entry.fallThroughOnError) throw err;
      await rm(tmp, { force: true });
    }
  }
  throw new GofleetError('RELEASE_FILE_MISSING', `no GOPROXY entry has ${rel}`);
}

/** The first proxy that has `rel` (`,`: next only on 404/410; `|`: next on any error). */
async function firstAnswer(entries: ProxyEntry[], http: HttpOptions, rel: string): Promise<{ body: Buffer; entry: ProxyEntry } | null> {
  for (const [i, entry] of entries.entries()) {
    try {
      const body = await get(`${withTrailingSlash(entry.url)}${rel}`, http);
      if (body) return { body, entry };
    } catch (err) {
      if (i === entries.length - 1 || !entry.fallThroughOnError) throw err;
    }
  }
  return null;
}

/** GET a small body from http(s) or file://; null for 404/410/ENOENT. */
async function get(url: string, http: HttpOptions): Promise<Buffer | null> {
  if (/^file:/i.test(url)) {
    return readFile(fileURLToPath(url)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
      throw new GofleetError('SOURCE_UNAVAILABLE', `cannot read ${url}: ${err.message}`, { cause: err });
    });
  }
  const res = await httpGet(url, http);
  if (res.status === 404 || res.status === 410) {
    res.body.resume();
    return null;
  }
  if (res.status < 200 || res.status >= 300) {
    res.body.resume();
    throw new GofleetError('SOURCE_UNAVAILABLE', `${displayUrl(url)}: HTTP ${res.status} ${res.statusText}`.trim());
  }
  const chunks: Buffer[] = [];
  for await (const chunk of res.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
