// Leases on host_jobs rows (issue 14). Taking one is a compare-and-set: a queued row, or a leased row whose lease
// ran out, becomes leased with a fresh token from host_job_tokens; anything else (done, or a live lease) is a
// duplicate delivery and is left alone. Renewal, completion and release all match the token, so once another
// worker has taken the host, nothing the earlier holder writes lands.

import type { ClientBase, Pool } from 'pg';
import { GofleetError } from '../errors.ts';
import { NOW_MS } from './schema.ts';
import type { HostJob, Lease } from './types.ts';

export interface Taken {
  job: HostJob;
  token: number;
  attempt: number;
}

/** The CAS that takes the lease on (run, host) for `worker`, on `client` (inside the caller's transaction). */
export async function takeLease(client: ClientBase, run: string, host: string, worker: string, leaseMs: number): Promise<Taken | undefined> {
  const got = await client.query<{ token: string; attempts: number; wave: number; site: string | null; payload: string }>(
    `UPDATE host_jobs SET state = 'leased', token = nextval('host_job_tokens'), worker = $3, lease_until = ${NOW_MS} + $4,
       attempts = CASE WHEN state = 'leased' THEN attempts + 1 ELSE attempts END
     WHERE run = $1 AND host = $2 AND (state = 'queued' OR (state = 'leased' AND lease_until < ${NOW_MS}))
     RETURNING token, attempts, wave, site, payload`,
    [run, host, worker, Math.ceil(leaseMs)],
  );
  const row = got.rows[0];
  if (!row) return undefined;
  return { job: { run, host, wave: row.wave, site: row.site, payload: JSON.parse(row.payload) }, token: Number(row.token), attempt: row.attempts };
}

const HELD = `run = $1 AND host = $2 AND token = $3 AND state = 'leased'`;

/** Extend the lease; false when it is no longer ours. */
export async function renewLease(pool: Pool, taken: Taken, leaseMs: number): Promise<boolean> {
  const r = await pool.query(`UPDATE host_jobs SET lease_until = ${NOW_MS} + $4 WHERE ${HELD}`,
    [taken.job.run, taken.job.host, taken.token, Math.ceil(leaseMs)]);
  return r.rowCount === 1;
}

/** done + result, only while the token still holds; LEASE_LOST otherwise. */
export async function completeLease(pool: Pool, taken: Taken, result: unknown): Promise<void> {
  const r = await pool.query(`UPDATE host_jobs SET state = 'done', result = $4, lease_until = NULL WHERE ${HELD}`,
    [taken.job.run, taken.job.host, taken.token, JSON.stringify(result ?? null)]);
  if (r.rowCount !== 1) throw leaseLost(taken);
}

/** Give the lease up now (runHost failed): the row expires at once and requeueExpired hands it to another worker. */
export async function releaseLease(pool: Pool, taken: Taken): Promise<void> {
  await pool.query(`UPDATE host_jobs SET lease_until = ${NOW_MS} - 1 WHERE ${HELD}`, [taken.job.run, taken.job.host, taken.token]);
}

export function leaseLost(taken: Taken): GofleetError {
  return new GofleetError('LEASE_LOST', `${taken.job.host}: the lease with token ${taken.token} is no longer held (run ${taken.job.run})`, { host: taken.job.host });
}

export interface HeldLease extends Lease {
  /** a renewal succeeded: the lease now lasts until `localEnd` (this process's clock, measured from before the renewal) */
  renewed(localEnd: number): void;
  markLost(): void;
}

/** The Lease handed to runHost; it believes itself held until its local end passes or a renewal fails. */
export function heldLease(taken: Taken, worker: string, localEnd: number, now: () => number = Date.now): HeldLease {
  const lost = new AbortController();
  let end = localEnd;
  const { run, host } = taken.job;
  return {
    token: taken.token,
    attempt: taken.attempt,
    worker,
    lost: lost.signal,
    assertHeld() {
      if (lost.signal.aborted || now() > end) throw leaseLost(taken);
    },
    async holds(client) {
      const r = await client.query(`SELECT 1 FROM host_jobs WHERE ${HELD} FOR SHARE`, [run, host, taken.token]);
      return r.rowCount === 1;
    },
    renewed(localEnd) {
      end = localEnd;
    },
    markLost() {
      if (!lost.signal.aborted) lost.abort(leaseLost(taken));
    },
  };
}
