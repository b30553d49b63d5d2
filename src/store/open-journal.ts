// Which journal a --state value (or $GOFLEET_STATE) names: a postgres:// or postgresql:// URL opens the shared
// journal on PostgreSQL (store/pg, issue 14), anything else is the path of a SQLite file (open-store.ts).

import { openStore, type OpenStoreOptions } from './open-store.ts';
import { checkPgUrl, redactPgUrl } from './pg/pg-url.ts';
import type { Store } from './types.ts';

export function isPostgresUrl(spec: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(spec);
}

/** Refuse at once what --state must never be (a URL holding a password: STATE_URL_PASSWORD), before anything
 * else the command does. */
export function checkJournalSpec(spec: string): void {
  if (isPostgresUrl(spec)) checkPgUrl(spec);
}

/** How messages name the journal: the file's path, or the URL as user@host:port/database (never a password). */
export function journalName(spec: string): string {
  return isPostgresUrl(spec) ? redactPgUrl(spec) : spec;
}

/** `maxConnections`: the pool's size on PostgreSQL (a worker needs its --concurrency + 2); ignored for a file */
export async function openJournal(spec: string, options: OpenStoreOptions & { maxConnections?: number } = {}): Promise<Store> {
  if (!isPostgresUrl(spec)) return openStore(spec, { ...(options.readOnly !== undefined ? { readOnly: options.readOnly } : {}) });
  // loaded only when asked for: a SQLite user never loads the PostgreSQL driver
  const { openPgStore } = await import('./pg/pg-store.ts');
  return openPgStore(spec, options);
}
