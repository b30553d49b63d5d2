// The dispatch (src/dispatch, issue 14) as the CLI uses it: the coordinator enqueues a wave's hosts and waits for
// them, a worker takes jobs under a lease. Opened on the PostgreSQL journal's own pool, and loaded only by
// `--workers` and `gofleet worker`, so a plain run never loads pg-boss.

import { GofleetError } from '../errors.ts';
import type { Dispatch } from '../dispatch/index.ts';
import type { Store } from '../store/index.ts';
import type { PgStore } from '../store/pg/pg-store.ts';

export type { Dispatch as DispatchPort, JobSpec } from '../dispatch/index.ts';

/** Session advisory lock key ("gofleetD") held while a process opens the dispatch. */
const OPENING_LOCK = 0x676f666c65657444n;

/**
 * The dispatch on the journal's own PostgreSQL pool. One process at a time opens it (a session advisory lock):
 * pg-boss creates a queue with DDL on its job table, and several workers started together on a fresh database
 * deadlocked there, and pg-boss installing its schema raced on pg_namespace (both seen in test/e2e/workers.test.ts).
 */
export async function openDispatchOn(store: Store): Promise<Dispatch> {
  const pg = store as Partial<PgStore>;
  if (!pg.pool || !pg.url) throw new GofleetError('WORKERS_NEED_POSTGRES', `${store.path}: the job queue lives beside a journal on PostgreSQL`);
  const { openDispatch } = await import('../dispatch/index.ts');
  const client = await pg.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [OPENING_LOCK.toString()]);
    try {
      return await openDispatch(pg.pool, { where: pg.url });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [OPENING_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}
