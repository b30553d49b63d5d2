// The h1: hash the Go checksum database vouches for (`/lookup/<module>@<version>`), with the signed
// tree note's Ed25519 signature checked against the database key.
// NOTE: this checks the signature over the tree head and the record's text, not yet the record's
// inclusion in that tree from the tiles; branch `sumdb` (src/releases/sumdb/, verifyModule) does the
// full check and replaces this once merged.

import { createHash, createPublicKey, verify } from 'node:crypto';
import { GofleetError } from '../errors.ts';

/** GET `path` (relative to the database root, e.g. `lookup/golang.org/toolchain@v0.0.1-…`); null when absent. */
export type SumDbFetch = (path: string) => Promise<Buffer | null>;

export interface LookupOptions {
  module: string;
  version: string;
  fetch: SumDbFetch;
  /** verifier key `name+hash+base64(0x01||pubkey)` */
  key: string;
}

const TREE_HEADER = 'go.sum database tree\n';

/** The zip's h1: from the database, signature checked. SUMDB_VERIFY_FAILED when anything does not hold. */
export async function lookupModuleHash(options: LookupOptions): Promise<string> {
  const { module, version } = options;
  const path = `lookup/${escapePath(module)}@${escapePath(version)}`;
  const body = await options.fetch(path);
  if (!body) throw new GofleetError('SUMDB_VERIFY_FAILED', `the checksum database has no record of ${module}@${version} (${path})`);
  const text = body.toString('utf8');
  const at = text.indexOf(TREE_HEADER);
  if (at < 0) throw new GofleetError('SUMDB_VERIFY_FAILED', `${path}: no signed tree note in the lookup answer`);
  verifyNote(text.slice(at), options.key, path);
  const want = `${module} ${version} `;
  const line = text.slice(0, at).split('\n').find((l) => l.startsWith(want) && l.slice(want.length).startsWith('h1:'));
  if (!line) throw new GofleetError('SUMDB_VERIFY_FAILED', `${path}: the record does not list ${module} ${version}`);
  return line.slice(want.length).trim();
}

/** Check one `— <name> <sig>` line of a signed note against `key`. */
export function verifyNote(note: string, key: string, where: string): void {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new GofleetError('SUMDB_VERIFY_FAILED', `${where}: the tree note is not signed`);
  const message = Buffer.from(note.slice(0, split + 1), 'utf8');
  const [name = '', hashHex = '', keyB64 = ''] = key.split('+');
  const keyBytes = Buffer.from(keyB64, 'base64');
  if (keyBytes.length !== 33 || keyBytes[0] !== 1) throw new GofleetError('SUMDB_VERIFY_FAILED', `the checksum database key ${key} is not an Ed25519 verifier key`);
  const pub = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: keyBytes.subarray(1).toString('base64url') }, format: 'jwk' });
  for (const line of note.slice(split + 2).split('\n')) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const sig = Buffer.from(m[2] ?? '', 'base64');
    if (sig.length !== 68 || sig.subarray(0, 4).toString('hex') !== hashHex) continue;
    if (verify(null, message, pub, sig.subarray(4))) return;
    throw new GofleetError('SUMDB_VERIFY_FAILED', `${where}: the tree note's signature by ${name} does not verify`);
  }
  throw new GofleetError('SUMDB_VERIFY_FAILED', `${where}: the tree note carries no signature by ${name}+${hashHex}`);
}

/** The key hash a verifier key names (first 4 bytes of SHA-256(name \n keybytes)), hex. */
export function keyHash(name: string, keyBytes: Buffer): string {
  return createHash('sha256').update(`${name}\n`).update(keyBytes).digest().subarray(0, 4).toString('hex');
}

/** Module path escaping: an upper-case letter becomes `!` + its lower case. */
function escapePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}
