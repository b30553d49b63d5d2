// `gofleet mirror sync`: copy the archives of some versions x platforms from a release source into a
// directory in the go.dev layout, which `--source DIR` (or a web server over DIR) then serves:
//   DIR/<official file name>        verified against the independent checksum (cache.ts ensureArchive)
//   DIR/<file>.sha256               bare hex digest
//   DIR/index.json                  the ?mode=json&include=all shape, every archive DIR holds
//   DIR/index.json.sig              with a sign key: Ed25519 signature of index.json's exact bytes (mirror-key.ts)
// Incremental: a file already in DIR with the expected SHA-256 is not downloaded again. Every file is written
// to a dot-temp name and renamed, so an interrupted sync leaves nothing partial under a final name; the
// signature is written after the index, so a sync cut between the two leaves an index that fails --trust-key
// (refused, never wrongly trusted) until the next sync.

import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { GofleetError } from '../errors.ts';
import { ensureArchive } from './cache.ts';
import { sha256File } from './hash-file.ts';
import { findFile } from './find-file.ts';
import { signIndex } from './mirror-key.ts';
import { buildReleaseIndex, filesByName, parseReleaseIndex } from './release-index.ts';
import type { ReleaseFile, ReleaseSource } from './types.ts';
import { resolveSpec } from './version-spec.ts';

export interface MirrorSyncOptions {
  source: ReleaseSource;
  /** independent indexes that vouch for `source`'s files, in order (checksum-authority.ts); none: `source` itself */
  independents?: readonly ReleaseSource[];
  /** --sha256 pins (cli/sha256-option.ts Sha256Pins): checkFiles runs on every selected file before any download */
  pins?: { forFile(filename: string): string | undefined; checkFiles(filenames: readonly string[]): string[] };
  /** a warning for the user (a pin no file uses; a file checked only against a mirror's own .sha256) */
  onWarning?: (message: string) => void;
  /** version specs: go1.27.3, 1.27 (newest patch), latest */
  versions: readonly string[];
  oses: readonly string[];
  arches: readonly string[];
  dir: string;
  /** PEM of an Ed25519 private key (gofleet mirror keygen), and its path for messages */
  signKey?: { pem: string; path: string };
  signal?: AbortSignal;
  /** one call per archive once it is in place */
  onFile?: (file: SyncedFile) => void;
}

export interface SyncedFile {
  filename: string;
  sha256: string;
  size: number;
  /** false: downloaded now; true: already in DIR and verified */
  reused: boolean;
}

export interface MirrorSyncResult {
  dir: string;
  files: SyncedFile[];
  /** why a requested version x platform was left out (the release has no archive for it) */
  skipped: string[];
  /** every file index.json lists (this sync's and earlier ones') */
  indexed: number;
  signed: boolean;
}

export async function syncMirror(options: MirrorSyncOptions): Promise<MirrorSyncResult> {
  const dir = resolve(options.dir);
  const { files: wanted, skipped } = await selectFiles(options);
  const files: SyncedFile[] = [];
  for (const warning of options.pins?.checkFiles(wanted.map((f) => f.filename)) ?? []) options.onWarning?.(warning);
  for (const file of wanted) {
    const pinned = options.pins?.forFile(file.filename);
    const got = await ensureArchive(options.source, file, {
      cacheDir: dir,
      ...(options.independents ? { independents: options.independents } : {}),
      ...(pinned !== undefined ? { pinned } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    for (const warning of got.warnings) options.onWarning?.(warning);
    await writeAtomic(join(dir, `${file.filename}.sha256`), `${got.sha256}\n`);
    const synced = { filename: file.filename, sha256: got.sha256, size: got.size, reused: got.reused };
    files.push(synced);
    options.onFile?.(synced);
  }
  const entries = await mergedIndex(dir, files.map((f) => ({ ...mustFind(wanted, f.filename), sha256: f.sha256, size: f.size })));
  const index = Buffer.from(JSON.stringify(buildReleaseIndex(entries), null, 1) + '\n');
  const sig = options.signKey ? signIndex(index, options.signKey.pem, `--sign-key ${options.signKey.path}`) : null;
  await writeAtomic(join(dir, 'index.json'), index);
  if (sig !== null) await writeAtomic(join(dir, 'index.json.sig'), sig);
  else await rm(join(dir, 'index.json.sig'), { force: true }); // a signature of an older index would only mislead
  return { dir, files, skipped, indexed: entries.length, signed: sig !== null };
}

/**
 * The archive of every version x os x arch, each once. A platform a release does not have (old releases lack
 * newer ports) is skipped and named in `skipped`; a version with none of the platforms, or an unknown version,
 * fails before any download (RELEASE_FILE_MISSING, VERSION_UNKNOWN).
 */
async function selectFiles(options: MirrorSyncOptions): Promise<{ files: ReleaseFile[]; skipped: string[] }> {
  const releases = await options.source.releases();
  const byName = new Map<string, ReleaseFile>();
  const skipped: string[] = [];
  for (const spec of options.versions) {
    const version = resolveSpec(spec, releases, { source: options.source.location });
    let missing: GofleetError | undefined;
    let found = 0;
    for (const os of options.oses) for (const arch of options.arches) {
      try {
        const file = findFile(releases, version, os, arch);
        byName.set(file.filename, file);
        found++;
      } catch (err) {
        if (!(err instanceof GofleetError) || err.code !== 'RELEASE_FILE_MISSING') throw err;
        missing = err;
        skipped.push(err.message);
      }
    }
    if (found === 0 && missing) throw missing;
  }
  return { files: [...byName.values()], skipped };
}

function mustFind(files: readonly ReleaseFile[], filename: string): ReleaseFile {
  const file = files.find((f) => f.filename === filename);
  if (!file) throw new GofleetError('INTERNAL', `${filename} was synced but not selected`);
  return file;
}

/**
 * This sync's files plus those an earlier index.json of DIR lists and DIR still holds with that SHA-256
 * (re-hashed: the new index is signed, so nothing is carried over on the old index's word). This sync wins.
 */
async function mergedIndex(dir: string, synced: readonly ReleaseFile[]): Promise<ReleaseFile[]> {
  const text = await readFile(join(dir, 'index.json'), 'utf8').catch(() => null);
  let earlier: ReleaseFile[] = [];
  try {
    earlier = text === null ? [] : [...filesByName(parseReleaseIndex(JSON.parse(text)) ?? []).values()];
  } catch {
    earlier = []; // an unreadable old index is rebuilt from this sync's files
  }
  const merged = new Map<string, ReleaseFile>();
  const fresh = new Set(synced.map((f) => f.filename));
  for (const f of earlier) {
    if (fresh.has(f.filename)) continue;
    const path = join(dir, f.filename);
    const st = await stat(path).catch(() => null);
    if (st?.isFile() && st.size === f.size && (await sha256File(path)) === f.sha256) merged.set(f.filename, f);
  }
  for (const f of synced) merged.set(f.filename, f);
  return [...merged.values()];
}

async function writeAtomic(path: string, data: string | Buffer): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data, { flag: 'wx', mode: 0o644 });
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}
