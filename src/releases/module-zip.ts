// A golang.org/toolchain module zip -> the tree an official archive holds, and its h1: hash.
// The zip's entries all sit under `golang.org/toolchain@v0.0.1-goX.Y.Z.OS-ARCH/`; that prefix becomes `go/`.
// Every nested go.mod is stored as `_go.mod` (a module zip cannot hold one) and is renamed back; zips keep
// no modes, so bin/* and pkg/tool/*/* get exec bits (as cmd/go does after a toolchain download). What the
// module lacks against the official archive (api/, doc/, misc/, test/) stays missing: the go command
// does not need it. The h1: hash (sumdb/dirhash.ts hash1) is taken while extracting, over every entry's full name.
// The tree is then packed as the official archive of its OS: a .tar.gz (packGoTree), or for windows-* the
// .zip a go.dev Windows download is (packGoZip: top directory go/, files only, deterministic, zip-writer.ts).

import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import yauzl from 'yauzl';
import { GofleetError } from '../errors.ts';
import { hash1, type HashedFile } from './sumdb/dirhash.ts';
import { writeZip, type ZipInput } from './zip-writer.ts';

export interface UnpackedModule {
  /** `h1:` + base64 SHA-256 of the dirhash summary */
  h1: string;
  files: number;
}

/** Extract `zipPath` into `<destDir>/go/`, refusing any entry outside `<prefix>/`; returns the zip's h1. */
export async function unpackModuleZip(zipPath: string, destDir: string, prefix: string): Promise<UnpackedModule> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, strictFileNames: true }).catch((err: unknown) => {
    throw new GofleetError('CHECKSUM_MISMATCH', `${zipPath} is not a readable zip: ${(err as Error).message}`, { cause: err });
  });
  const files: HashedFile[] = [];
  try {
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      const name = entry.fileName;
      if (name.endsWith('/')) continue;
      const rel = relativeName(name, prefix, zipPath);
      const target = join(destDir, 'go', rel.replace(/(^|\/)_go\.mod$/, '$1go.mod'));
      await mkdir(dirname(target), { recursive: true });
      const hash = createHash('sha256');
      const tap = new Transform({ transform: (chunk: Buffer, _e, done) => (hash.update(chunk), done(null, chunk)) });
      await pipeline(await zip.openReadStreamPromise(entry), tap, createWriteStream(target, { flags: 'wx' }));
      await chmod(target, isExecutable(rel) ? 0o755 : 0o644);
      files.push({ name: Buffer.from(name, 'utf8'), sha256: hash.digest('hex') });
    }
  } catch (err) {
    if (err instanceof GofleetError) throw err;
    throw new GofleetError('CHECKSUM_MISMATCH', `${zipPath} could not be unpacked: ${(err as Error).message}`, { cause: err });
  } finally {
    zip.close();
  }
  return { h1: hash1(files), files: files.length };
}

/** `<destDir>/go` -> a gzipped tar with the top directory go/, like an official archive. */
export async function packGoTree(destDir: string, outPath: string): Promise<void> {
  await tar.c({ gzip: true, cwd: destDir, file: outPath, portable: true, mtime: new Date(0) }, ['go']);
}

/** `<destDir>/go` -> a zip with the top directory go/, like an official Windows archive; same tree, same bytes. */
export async function packGoZip(destDir: string, outPath: string): Promise<void> {
  await writeZip(outPath, await listFiles(destDir, 'go'));
}

/** Every regular file under `<root>/<rel>`, named by its `/`-separated path from root (no symlinks: unpack makes none). */
async function listFiles(root: string, rel: string): Promise<ZipInput[]> {
  const out: ZipInput[] = [];
  for (const d of await readdir(join(root, rel), { withFileTypes: true })) {
    const name = posix.join(rel, d.name);
    if (d.isDirectory()) out.push(...(await listFiles(root, name)));
    else if (d.isFile()) out.push({ name, path: join(root, name) });
  }
  return out;
}

function relativeName(name: string, prefix: string, zipPath: string): string {
  const rel = name.startsWith(`${prefix}/`) ? name.slice(prefix.length + 1) : '';
  if (rel === '' || name.includes('\n') || rel.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new GofleetError('CHECKSUM_MISMATCH', `${zipPath}: entry ${JSON.stringify(name)} is not under ${prefix}/`);
  }
  return rel;
}

function isExecutable(rel: string): boolean {
  return /^bin\/[^/]+$/.test(rel) || /^pkg\/tool\/[^/]+\/[^/]+$/.test(rel);
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (e: yauzl.Entry) => (cleanup(), resolve(e));
    const onEnd = () => (cleanup(), resolve(null));
    const onError = (err: Error) => (cleanup(), reject(err));
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}
