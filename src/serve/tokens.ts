// Dashboard API tokens (`gofleet serve token create|list|revoke`): 32 random bytes, base64url, shown once at
// creation; the journal keeps only their SHA-256 (store/serve-store.ts), so a copied journal grants nothing.
// Verifying hashes what is presented and compares it with every stored hash in constant time (timingSafeEqual),
// without stopping at the first match. Creating and revoking a token are written to the audit trail.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GofleetError } from '../errors.ts';
import type { ServeStore, StoredToken } from '../store/index.ts';

/** Token names appear in the audit trail and in logs: short, plain, never "local" (no token at all). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const LOCAL_ACTOR = 'local';

/** 43 base64url characters: what a token looks like, so a mangled paste is refused before any hashing. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function checkTokenName(name: string): void {
  if (!NAME.test(name) || name === LOCAL_ACTOR) {
    throw new GofleetError('BAD_OPTION', `token name "${name}": use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit (and not "${LOCAL_ACTOR}")`);
  }
}

export interface Who {
  /** the OS user running the CLI */
  actor: string;
  at: number;
}

/** A new token for `name`: the token is returned once and never stored. */
export function createToken(store: ServeStore, name: string, who: Who, random: (n: number) => Buffer = randomBytes): string {
  checkTokenName(name);
  const token = random(32).toString('base64url');
  if (!store.addToken({ name, sha256: tokenHash(token), created: who.at })) {
    throw new GofleetError('TOKEN_EXISTS', `a token named "${name}" exists already`);
  }
  store.appendAudit({ at: who.at, actor: who.actor, source: 'cli', action: 'token-create', detail: { name } });
  return token;
}

export function revokeToken(store: ServeStore, name: string, who: Who): void {
  if (!store.removeToken(name)) throw new GofleetError('TOKEN_NOT_FOUND', `no token named "${name}"`);
  store.appendAudit({ at: who.at, actor: who.actor, source: 'cli', action: 'token-revoke', detail: { name } });
}

export function listTokens(store: ServeStore): Omit<StoredToken, 'sha256'>[] {
  return store.listTokens().map(({ name, created }) => ({ name, created }));
}

/** The name of the token `presented` is, or null. Reads the store each time: a revoked token stops at once. */
export function verifyToken(store: Pick<ServeStore, 'listTokens'>, presented: string): string | null {
  if (!TOKEN_SHAPE.test(presented)) return null;
  const digest = Buffer.from(tokenHash(presented), 'hex');
  let found: string | null = null;
  for (const t of store.listTokens()) {
    const stored = Buffer.from(t.sha256, 'hex');
    if (stored.length === digest.length && timingSafeEqual(stored, digest) && found === null) found = t.name;
  }
  return found;
}
