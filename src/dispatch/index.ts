// src/dispatch (issue 14): per-host jobs through pg-boss on the journal's PostgreSQL, owned by leases and fenced by
// tokens. `openDispatch(pool, { where })` migrates the 'dispatch' schema, starts pg-boss on the same pool and
// returns the coordinator's side (enqueueWave, requeueExpired, waveStatus, waitHosts) and the worker's (work).
// The pool is the caller's (the PostgreSQL journal's); stop() stops pg-boss and leaves the pool open.

import type { Pool } from 'pg';
import { migratePg } from '../store/pg/pg-migrate.ts';
import { ensureQueue, startBoss } from './boss.ts';
import { enqueueOn, requeueOn } from './enqueue.ts';
import { DISPATCH_COMPONENT, DISPATCH_MIGRATIONS } from './schema.ts';
import { inTransaction } from './transaction.ts';
import type { Dispatch } from './types.ts';
import { waitHosts, waveStatus } from './wait-hosts.ts';
import { work } from './work.ts';

export type * from './types.ts';
export { queueName, NO_SITE_QUEUE } from './queues.ts';

export interface OpenDispatchOptions {
  /** names the database in messages (a password-free URL) */
  where: string;
  /** run pg-boss maintenance here (default true) */
  supervise?: boolean;
  /** pg-boss's background errors (maintenance); ignored when absent */
  onError?(err: unknown): void;
}

export async function openDispatch(pool: Pool, options: OpenDispatchOptions): Promise<Dispatch> {
  const client = await pool.connect();
  try {
    await migratePg(client, DISPATCH_COMPONENT, DISPATCH_MIGRATIONS, options.where);
  } finally {
    client.release();
  }
  const boss = await startBoss(pool, { supervise: options.supervise, onError: options.onError });
  const requeueExpired = (run: string): Promise<string[]> => inTransaction(pool, (c) => requeueOn(boss, c, run));
  return {
    async enqueueWave(run, wave, jobs, enqueueOptions = {}) {
      for (const site of new Set(jobs.map((j) => j.site))) await ensureQueue(boss, pool, site);
      if (enqueueOptions.client) return enqueueOn(boss, enqueueOptions.client, run, wave, jobs);
      return inTransaction(pool, (c) => enqueueOn(boss, c, run, wave, jobs));
    },
    requeueExpired,
    waveStatus: (run, hosts) => waveStatus(pool, run, hosts),
    waitHosts: (run, hosts, waitOptions) => waitHosts({ pool, requeueExpired }, run, hosts, waitOptions),
    work: (workOptions) => work(boss, pool, workOptions),
    stop: () => boss.stop({ graceful: false, close: false }),
  };
}
