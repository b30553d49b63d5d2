// The controller's verified archive cache (default ~/.cache/gofleet/archives).
//
// ensureArchive(source, file) returns a local path whose bytes hash to the expected SHA-256:
// - Expected checksum: checksum-authority.ts vouchFor decides, before any byte is downloaded: the source's own
//   index/.sha256 when it is its own authority, else the first of `options.independents` that answers (e.g. the
//   official JSON while the bytes come from a mirror; a mirror checksum that disagrees is refused, and a file the
//   index does not list fails with CHECKSUM_MISSING rather than trusting the mirror); `options.pinned` (--sha256)
//   must agree.
// - Download once: concurrent callers for the same file share one in-flight promise.
// - Stream to `.<file>.<pid>.<rand>.part` in the cache dir while hashing; rename to the final
//   name only on a match. A mismatch deletes the temp file and throws CHECKSUM_MISMATCH; a broken
//   or cut download deletes it and throws SOURCE_UNAVAILABLE. No partial file ever has the final name;
//   temp files of a killed process (its pid is in the name and gone) are removed on the next download.
// - A cached file is re-hashed before every reuse rather than trusted through a sidecar: hashing
//   ~100 MB costs well under a second once per run, and it also catches a torn write after a
//   crash (rename without fsync), disk corruption and tampering, which a stored .sha256 would not.
//   A cached file that no longer matches is deleted and downloaded again; when that download fails too, the
//   error says the cached copy was refused (never a silent use of it).
// - With `options.limit` (--cache-max, cache-evict.ts): a verified reuse touches the file's mtime (least
//   recently used = oldest mtime), every file handed out is held for the command, and after a download the
//   oldest other archives are evicted until the cache is under the limit.

import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GofleetError } from '../errors.ts';
import { enforceCacheLimit, type CacheLimit } from './cache-evict.ts';
import { vouchFor, type Vouch } from './checksum-authority.ts';
import { HashingTap, sha256File } from './hash-file.ts';
import type { ReleaseFile, ReleaseSource } from './types.ts';

export interface EnsureArchiveOptions {
  /** default ~/.cache/gofleet/archives */
  cacheDir?: string;
  /** independent indexes in order (official, then China) whose checksum wins over `source`'s; none: `source` is its own authority */
  independents?: readonly ReleaseSource[];
  /** --sha256 for this file */
  pinned?: string;
  /** the expected SHA-256, already vouched for (provider.ts): wins over the sources and the pin */
  sha256?: string;
  signal?: AbortSignal;
  /** bytes downloaded so far and the total when known (only while downloading) */
  onProgress?: (bytes: number, total: number | null) => void;
  /** the cache's size limit for this command (cache-evict.ts cacheLimit); none: the cache grows */
  limit?: CacheLimit;
}

export interface CachedArchive {
  path: string;
  filename: string;
  sha256: string;
  size: number;
  /** true when the cached copy was reused (no download) */
  reused: boolean;
  /** who vouched for the SHA-256, and warnings about it (e.g. checked only against a mirror's own .sha256) */
  authority: string;
  warnings: string[];
}

export function defaultCacheDir(): string {
  return join(homedir(), '.cache', 'gofleet', 'archives');
}

/** a verified copy, before who vouched is added */
type Verified = Omit<CachedArchive, 'authority' | 'warnings'>;

const inflight = new Map<string, Promise<Verified>>();

/** A verified local copy of `file` (see the file comment for the rules). */
export async function ensureArchive(source: ReleaseSource, file: ReleaseFile | string, options: EnsureArchiveOptions = {}): Promise<CachedArchive> {
  const filename = typeof file === 'string' ? file : file.filename;
  if (filename.includes('/') || filename.includes('\\') || filename.startsWith('.')) {
    throw new GofleetError('INTERNAL', `not a plain file name: ${filename}`);
  }
  const vouch: Vouch = options.sha256
    ? { sha256: options.sha256.toLowerCase(), authority: 'the provider', warnings: [] }
    : await expectedChecksum(source, file, options.independents, options.pinned);
  const expected = vouch.sha256;
  const dir = resolve(options.cacheDir ?? defaultCacheDir());
  const key = `${dir}\0${filename}\0${expected}`;
  let pending = inflight.get(key);
  if (!pending) {
    pending = fetchVerified({ source, filename, expected, dir, options }).finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  return { ...(await pending), authority: vouch.authority, warnings: vouch.warnings };
}

/** The SHA-256 a file must have, and who vouches for it (checksum-authority.ts). */
export async function expectedChecksum(source: ReleaseSource, file: ReleaseFile | string, independents: readonly ReleaseSource[] = [], pinned?: string): Promise<Vouch> {
  const filename = typeof file === 'string' ? file : file.filename;
  return vouchFor(filename, { served: source, independents, ...(pinned !== undefined ? { pinned } : {}) });
}

interface FetchJob {
  source: ReleaseSource;
  filename: string;
  expected: string;
  dir: string;
  options: EnsureArchiveOptions;
}

async function fetchVerified(job: FetchJob): Promise<Verified> {
  const finalPath = join(job.dir, job.filename);
  const { limit } = job.options;
  const existing = await stat(finalPath).catch(() => null);
  let refused = false;
  if (existing?.isFile()) {
    if ((await sha256File(finalPath)) === job.expected) {
      limit?.held.add(job.filename);
      const now = new Date();
      await utimes(finalPath, now, now).catch(() => {}); // recency for eviction; a read-only cache still works
      return { path: finalPath, filename: job.filename, sha256: job.expected, size: existing.size, reused: true };
    }
    await rm(finalPath, { force: true });
    refused = true;
  }
  await mkdir(job.dir, { recursive: true });
  await removeStaleParts(job.dir, job.filename);
  const tmp = join(job.dir, `.${job.filename}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    const size = await download(job, tmp).catch((err: unknown) => {
      throw refused ? cachedCopyRefused(err, job) : err;
    });
    await rename(tmp, finalPath);
    if (limit) {
      limit.held.add(job.filename);
      // the archive is good and in place: a cache that cannot be trimmed is said, never a failed download
      await enforceCacheLimit(job.dir, limit, { filename: job.filename, size }).catch((err: unknown) =>
        limit.onNote?.(`note: archive cache ${job.dir} could not be trimmed to its --cache-max: ${(err as Error).message}`),
      );
    }
    return { path: finalPath, filename: job.filename, sha256: job.expected, size, reused: false };
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The download that was to replace a cached copy failing its re-hash failed too: say both. */
function cachedCopyRefused(err: unknown, job: FetchJob): unknown {
  if (!(err instanceof GofleetError)) return err;
  const message = `the cached ${job.filename} no longer matched its SHA-256 ${job.expected} and was removed; ${err.message}`;
  return new GofleetError(err.code, message, { cause: err, hint: err.hint });
}

/** Temp files of this file left by a process that is gone (killed mid-download). */
async function removeStaleParts(dir: string, filename: string): Promise<void> {
  const prefix = `.${filename}.`;
  for (const name of await readdir(dir)) {
    const pid = name.startsWith(prefix) && name.endsWith('.part') ? Number(name.slice(prefix.length).split('.')[0]) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) await rm(join(dir, name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stream the file into `tmp` while hashing; throw unless it matches. Returns the size. */
async function download(job: FetchJob, tmp: string): Promise<number> {
  const { signal, onProgress } = job.options;
  // the temp file exists before any byte flows: a lazily opened write stream could create it after a failed
  // download's clean-up had already run (a source cut off at once), leaving a .part behind. Opened before the
  // source, so nothing awaits between the response and the pipeline that listens to it
  const handle = await open(tmp, 'wx', 0o644);
  let opened: Awaited<ReturnType<ReleaseSource['open']>>;
  try {
    opened = await job.source.open(job.filename, { signal });
  } catch (err) {
    await handle.close().catch(() => {});
    // aborted before the response came: an interruption too, not a source that failed
    if (signal?.aborted) throw new GofleetError('INTERRUPTED', `download of ${job.filename} was interrupted`, { cause: err });
    throw err;
  }
  const tap = new HashingTap(onProgress && ((bytes) => onProgress(bytes, opened.size)));
  try {
    await pipeline(opened.stream, tap, handle.createWriteStream(), signal ? { signal } : {});
  } catch (err) {
    await handle.close().catch(() => {});
    if (signal?.aborted) throw new GofleetError('INTERRUPTED', `download of ${opened.location} was interrupted`, { cause: err });
    if (err instanceof GofleetError) throw err;
    throw new GofleetError('SOURCE_UNAVAILABLE', `download of ${opened.location} failed: ${(err as Error).message}`, { cause: err });
  }
  const got = tap.digest();
  if (got !== job.expected) {
    throw new GofleetError(
      'CHECKSUM_MISMATCH',
      `${job.filename} from ${opened.location}: expected SHA-256 ${job.expected}, got ${got} (${tap.bytes} bytes)`,
    );
  }
  return tap.bytes;
}
