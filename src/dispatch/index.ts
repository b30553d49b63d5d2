// src/dispatch (issue 14): per-host jobs through pg-boss on the journal's PostgreSQL, owned by leases and fenced by
// tokens. `openDispatch(pool, { where })` migrates the 'dispatch' schema, starts pg-boss on the same pool and
// returns the coordinator's side (enqueueWave, requeueExpired, waveStatus, waitHosts) and the worker's (work).
// The pool is the caller's (the PostgreSQL journal's): give it room for `concurrency` + 2 connections per worker
// (a lease transaction per job in hand, renewals, the fetch). stop() stops pg-boss and leaves the pool open; abort
// every work() signal and await its promise first.

import type { Pool } from 'pg';
import { migratePg } from '../store/pg/pg-migrate.ts';
import { DISPATCH_LOCK, ensureQueue, installBoss, startBoss } from './boss.ts';
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

/** Migrate the dispatch tables and install pg-boss's schema, one process at a time (a session advisory lock). */
async function install(pool: Pool, where: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [DISPATCH_LOCK]);
    try {
      await migratePg(client, DISPATCH_COMPONENT, DISPATCH_MIGRATIONS, where);
      await installBoss(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [DISPATCH_LOCK]);
    }
  } finally {
    client.release();
  }
}

export async function openDispatch(pool: Pool, options: OpenDispatchOptions): Promise<Dispatch> {
  await install(pool, options.where);
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
