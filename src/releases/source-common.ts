// Small pieces every release source shares. Pure except `once`'s memo.

import { GofleetError } from '../errors.ts';
import { filesByName } from './release-index.ts';
import type { Release } from './types.ts';

/** Memoize an async function; a failure is not cached (the next call tries again). */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= fn().catch((err: unknown) => {
      pending = null;
      throw err;
    });
    return pending;
  };
}

const SHA256_RE = /^[0-9a-f]{64}$/;

/** The digest in a `FILE.sha256` body: bare hex, maybe followed by whitespace and a file name. Null if malformed. */
export function parseSha256File(text: string): string | null {
  const first = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return SHA256_RE.test(first) ? first : null;
}

/** The checksum a release index publishes for `filename`; CHECKSUM_MISSING when it has none. */
export function checksumFromIndex(releases: readonly Release[], filename: string, location: string): string {
  const file = filesByName(releases).get(filename);
  if (!file) throw new GofleetError('CHECKSUM_MISSING', `${location} does not list ${filename}, so it publishes no checksum for it`);
  if (!SHA256_RE.test(file.sha256)) throw new GofleetError('CHECKSUM_MISSING', `${location} publishes no SHA-256 for ${filename}`);
  return file.sha256;
}

/** `base` with exactly one trailing slash, so `new URL(file, base)` appends. */
export function withTrailingSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}
