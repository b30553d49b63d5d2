// The goproxy: source's repacked archives, kept by the h1: of the module zip they were made from (the hash the
// checksum database vouched for), so a hit is only ever the repack of the same verified module zip:
//   <cacheDir>/goproxy/<h1 as hex>/<filename>          the official-layout archive (module-zip.ts)
//   <cacheDir>/goproxy/<h1 as hex>/<filename>.sha256   its SHA-256, written after it (its presence commits the pair)
// On reuse the archive is re-hashed and must equal the recorded SHA-256, else both are removed (and the caller
// repacks). A different h1 for the same file name is another directory: it is repacked, never confused.
// Both files are written under temp names and renamed.

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GofleetError } from '../errors.ts';
import { sha256File } from './hash-file.ts';

export interface Repacked {
  path: string;
  sha256: string;
}

/** `<cacheDir>/goproxy/<hex>` for an `h1:<base64 SHA-256>` hash. */
export function repackDir(cacheDir: string, h1: string): string {
  if (!/^h1:[A-Za-z0-9+/]{43}=$/.test(h1)) throw new GofleetError('INTERNAL', `not an h1: hash: ${JSON.stringify(h1)}`);
  return join(cacheDir, 'goproxy', Buffer.from(h1.slice(3), 'base64').toString('hex'));
}

/** The cached repack of the module zip hashing to `h1`, re-verified; null when absent or no longer matching. */
export async function findRepacked(cacheDir: string, h1: string, filename: string): Promise<Repacked | null> {
  const path = join(repackDir(cacheDir, h1), filename);
  const recorded = (await readFile(`${path}.sha256`, 'utf8').catch(() => '')).trim();
  if (!/^[0-9a-f]{64}$/.test(recorded)) return null;
  const actual = await sha256File(path).catch(() => null);
  if (actual === recorded) return { path, sha256: recorded };
  await rm(`${path}.sha256`, { force: true });
  await rm(path, { force: true });
  return null;
}

/** Move the freshly packed `packedPath` into the cache under `h1`; its path there and SHA-256. */
export async function storeRepacked(cacheDir: string, h1: string, filename: string, packedPath: string): Promise<Repacked> {
  const dir = repackDir(cacheDir, h1);
  await mkdir(dir, { recursive: true });
  const path = join(dir, filename);
  const sha256 = await sha256File(packedPath);
  const tmp = `${path}.sha256.${process.pid}.${randomBytes(4).toString('hex')}.part`;
  await rm(`${path}.sha256`, { force: true });
  await rename(packedPath, path);
  await writeFile(tmp, `${sha256}\n`, { flag: 'wx' });
  await rename(tmp, `${path}.sha256`);
  return { path, sha256 };
}
