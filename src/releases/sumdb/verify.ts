// Verify a Go module's h1 hash against a checksum database (sum.golang.org): the signed tree note, the record's
// inclusion in that tree, and optionally consistency with a tree seen before. No network: `fetch(path)` gets
// `lookup/…` and `tile/…` paths relative to the database (or GOPROXY/sumdb/<name>/) URL.
import { GofleetError } from '../../errors.ts';
import { hashZip } from './dirhash.ts';
import { openNote, parseVerifierKey, sumdbError, type VerifierKey } from './note.ts';
import { parseLookup, parseRecordLines } from './record.ts';
import { checkRecord, checkTreeConsistency, parseTree, recordHash, type Fetch, type Tree } from './tree.ts';

export { type Fetch, type Tree } from './tree.ts';

/** The verifier key of sum.golang.org (cmd/go/internal/modfetch/key.go). */
export const SUM_GOLANG_ORG_KEY = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';

export interface VerifyModuleOptions {
  module: string;
  version: string;
  /** the downloaded module zip, hashed and compared with the database's h1 */
  zipPath?: string;
  /** an h1 already computed (the go command's .ziphash), compared with the database's h1 */
  h1?: string;
  fetch: Fetch;
  /** a verifier key string (`name+hash+key`) or a parsed key; default sum.golang.org */
  key?: string | VerifierKey;
  /** a signed tree this client saw before: the new one must be consistent with it */
  knownTree?: Tree;
}

export interface VerifiedModule {
  /** the h1 the database vouches for (and the zip or h1 given matched it) */
  h1: string;
  /** the database's h1 of the module's go.mod, when the record has one */
  goModH1: string | undefined;
  /** the signed tree the record was checked against: keep it as the next knownTree */
  tree: Tree;
}

export async function verifyModule(o: VerifyModuleOptions): Promise<VerifiedModule> {
  const key = typeof o.key === 'object' ? o.key : parseVerifierKey(o.key ?? SUM_GOLANG_ORG_KEY);
  const fetch = guardFetch(o.fetch, key.name);
  const path = `lookup/${escapeModulePath(o.module)}@${escapeModulePath(o.version)}`;
  const lookup = parseLookup((await fetch(path)).toString('utf8'));
  const tree = parseTree(openNote(lookup.treeNote, key));
  await checkRecord(tree, lookup.id, recordHash(lookup.data), fetch);
  if (o.knownTree) await checkTreeConsistency(o.knownTree, tree, fetch);
  const lines = parseRecordLines(lookup.data);
  const h1 = lines.find((l) => l.module === o.module && l.version === o.version)?.hash;
  if (!h1) throw sumdbError(`${key.name} record ${lookup.id} is not about ${o.module}@${o.version}`);
  const goModH1 = lines.find((l) => l.module === o.module && l.version === `${o.version}/go.mod`)?.hash;
  await compareDownload(o, h1, key.name);
  return { h1, goModH1, tree };
}

async function compareDownload(o: VerifyModuleOptions, h1: string, db: string): Promise<void> {
  const got = [o.h1 ? { what: 'the given h1', hash: o.h1 } : undefined,
    o.zipPath ? { what: o.zipPath, hash: await hashZip(o.zipPath) } : undefined];
  for (const g of got) {
    if (g && g.hash !== h1) {
      throw sumdbError(`${o.module}@${o.version}: ${g.what} hashes to ${g.hash} but ${db} vouches for ${h1}: the download is corrupt or forged`);
    }
  }
}

/** Failures to fetch become SUMDB_UNAVAILABLE (our own verification errors pass through). */
function guardFetch(fetch: Fetch, db: string): Fetch {
  return async (path) => {
    try {
      return await fetch(path);
    } catch (err) {
      if (err instanceof GofleetError && err.code === 'SUMDB_VERIFY_FAILED') throw err;
      throw new GofleetError('SUMDB_UNAVAILABLE', `checksum database ${db}: cannot fetch ${path}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
  };
}

/** Module path/version escaping (golang.org/x/mod/module EscapePath): upper-case letters become `!` + lower case. */
export function escapeModulePath(s: string): string {
  if (s.includes('!') || /[\s\\]/.test(s) || s.split('/').includes('..')) throw sumdbError(`invalid module path or version ${JSON.stringify(s)}`);
  return s.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}
