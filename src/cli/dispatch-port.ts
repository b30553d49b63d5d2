// The dispatch (src/dispatch, issue 14) as the CLI uses it: the coordinator enqueues a wave's hosts and waits for
// them, a worker takes jobs under a lease. Opened on the PostgreSQL journal's own pool, and loaded only by
// `--workers` and `gofleet worker`, so a plain run never loads pg-boss.

import { GofleetError } from '../errors.ts';
import type { Dispatch } from '../dispatch/index.ts';
import type { Store } from '../store/index.ts';
import type { PgStore } from '../store/pg/pg-store.ts';

export type { Dispatch as DispatchPort, JobSpec } from '../dispatch/index.ts';

/** The dispatch on the journal's own PostgreSQL pool (src/dispatch installs pg-boss and creates queues under its own
 *  session lock, so workers started together on a fresh database do not race). */
export async function openDispatchOn(store: Store): Promise<Dispatch> {
  const pg = store as Partial<PgStore>;
  if (!pg.pool || !pg.url) throw new GofleetError('WORKERS_NEED_POSTGRES', `${store.path}: the job queue lives beside a journal on PostgreSQL`);
  const { openDispatch } = await import('../dispatch/index.ts');
  return openDispatch(pg.pool, { where: pg.url });
}
