// A local directory laid out like go.dev/dl: archives under their official names, with checksums
// from `index.json` (go.dev JSON) and/or a `FILE.sha256` beside each archive.
// Only files actually present are listed (so `1.27` resolves to what the directory can deliver);
// sizes come from stat. A checksum in index.json wins over a .sha256 file; a file with neither is
// listed with sha256 '' and using it fails with CHECKSUM_MISSING.
// With a trust key (--trust-key) index.json must carry a valid index.json.sig before anything is read,
// and only the signed index counts: .sha256 files and files it does not list are ignored.

import type { KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GofleetError } from '../errors.ts';
import { parseFileName } from './file-name.ts';
import { verifyIndex } from './mirror-key.ts';
import { buildReleaseIndex, filesByName, parseReleaseIndex } from './release-index.ts';
import { checksumFromIndex, once, parseSha256File } from './source-common.ts';
import type { Release, ReleaseFile, ReleaseSource } from './types.ts';

export interface DirSourceOptions {
  /** --trust-key: index.json must be signed by this key */
  trustKey?: KeyObject;
}

export function openDirSource(dir: string, options: DirSourceOptions = {}): ReleaseSource {
  const root = resolve(dir);
  const releases = once(() => scanDir(root, options.trustKey));
  const pathOf = (filename: string) => join(root, filename);
  return {
    kind: 'dir',
    location: root,
    releases,
    checksum: async (filename) => checksumFromIndex(await releases(), filename, root),
    async open(filename) {
      const file = filesByName(await releases()).get(filename);
      if (!file) throw new GofleetError('RELEASE_FILE_MISSING', `${filename} is not in ${root}`);
      const path = pathOf(filename);
      const st = await stat(path).catch((err: unknown) => {
        throw new GofleetError('SOURCE_UNAVAILABLE', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
      });
      return { stream: createReadStream(path), size: st.size, location: path };
    },
    fileUrl: () => null,
  };
}

async function scanDir(root: string, trustKey: KeyObject | undefined): Promise<Release[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (err) {
    throw new GofleetError('SOURCE_UNAVAILABLE', `cannot read the source directory ${root}: ${(err as Error).message}`, { cause: err });
  }
  const indexed = names.includes('index.json') || trustKey ? await readIndex(root, trustKey) : new Map<string, ReleaseFile>();
  const present = new Set(trustKey ? [] : names);
  const files: ReleaseFile[] = [];
  for (const filename of names) {
    const parsed = parseFileName(filename);
    if (!parsed || (trustKey && !indexed.has(filename))) continue;
    const st = await stat(join(root, filename));
    if (!st.isFile()) continue;
    const fromIndex = indexed.get(filename)?.sha256 ?? '';
    const sha256 = fromIndex || (present.has(`${filename}.sha256`) ? await readSidecar(join(root, `${filename}.sha256`)) : '');
    files.push({ filename, ...parsed, sha256, size: st.size });
  }
  return buildReleaseIndex(files);
}

async function readIndex(root: string, trustKey: KeyObject | undefined): Promise<Map<string, ReleaseFile>> {
  const path = join(root, 'index.json');
  let doc: unknown;
  try {
    const bytes = await readFile(path);
    if (trustKey) verifyIndex(bytes, await readFile(`${path}.sig`, 'utf8').catch(() => null), trustKey, `${root}/`);
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    if (err instanceof GofleetError) throw err;
    if (trustKey && (err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GofleetError('SOURCE_SIGNATURE_MISSING', `${path} does not exist, and --trust-key requires a signed index.json`);
    }
    throw new GofleetError('SOURCE_UNAVAILABLE', `${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const releases = parseReleaseIndex(doc);
  if (!releases) throw new GofleetError('SOURCE_UNAVAILABLE', `${path} is not a go.dev release index (JSON array of releases)`);
  return filesByName(releases);
}

async function readSidecar(path: string): Promise<string> {
  const digest = parseSha256File(await readFile(path, 'utf8'));
  if (!digest) throw new GofleetError('SOURCE_UNAVAILABLE', `${path} does not hold a SHA-256 hex digest`);
  return digest;
}
