// Putting hosts on the queue (issue 14): the wave's host_jobs rows and their pg-boss deliveries are written in ONE
// transaction (two statements, whatever the wave's size), so a delivery exists exactly when its row says queued.
// A host queued, leased by a live worker, or done is not sent again; a host whose lease ran out goes back to
// queued with one more attempt (its next worker recovers it).

import type { ClientBase } from 'pg';
import type PgBoss from 'pg-boss';
import { BOSS_SCHEMA, clientDb } from './boss.ts';
import { NO_SITE_QUEUE, queueName } from './queues.ts';
import { NOW_MS } from './schema.ts';
import type { JobSpec } from './types.ts';

interface SentRow {
  host: string;
  site: string | null;
  job: string;
}

/** One delivery per row, inside the transaction on `client`, under the job id the row records. */
async function deliver(boss: PgBoss, client: ClientBase, run: string, rows: readonly SentRow[]): Promise<void> {
  if (rows.length === 0) return;
  await boss.insert(rows.map((r) => ({ id: r.job, name: queueName(r.site), data: { run, host: r.host } })), { db: clientDb(client) });
}

/** The first spec of each host (a host listed twice is one job). */
function distinct(jobs: readonly JobSpec[]): JobSpec[] {
  const seen = new Set<string>();
  return jobs.filter((j) => !seen.has(j.host) && seen.add(j.host));
}

/** The rows and deliveries of one wave, on `client` (inside a transaction the caller owns); the hosts sent. */
export async function enqueueOn(boss: PgBoss, client: ClientBase, run: string, wave: number, jobs: readonly JobSpec[]): Promise<string[]> {
  const specs = distinct(jobs);
  const payloads = specs.map((j) => JSON.stringify(j.payload ?? null));
  const rows = await client.query<SentRow>(
    `INSERT INTO host_jobs (run, host, wave, site, state, payload, attempts, queued_at, job)
     SELECT $1, t.host, $2, t.site, 'queued', t.payload, 1, ${NOW_MS}, gen_random_uuid()::text
       FROM unnest($3::text[], $4::text[], $5::text[]) AS t(host, site, payload)
     ON CONFLICT (run, host) DO UPDATE SET state = 'queued', attempts = host_jobs.attempts + 1, wave = excluded.wave,
       site = excluded.site, payload = excluded.payload, worker = NULL, lease_until = NULL,
       queued_at = excluded.queued_at, job = excluded.job
     WHERE host_jobs.state = 'leased' AND host_jobs.lease_until < ${NOW_MS}
     RETURNING host, site, job`,
    [run, wave, specs.map((j) => j.host), specs.map((j) => j.site), payloads],
  );
  await deliver(boss, client, run, rows.rows);
  const sent = new Set(rows.rows.map((r) => r.host));
  return specs.map((j) => j.host).filter((h) => sent.has(h));
}

/** A queued row is only asked about its delivery once it has waited this long (a cheap poll for fresh waves). */
export const LOST_DELIVERY_AFTER_MS = 30_000;

/**
 * Leased rows of `run` whose lease ran out go back to queued (attempts + 1) and are sent again; queued rows whose
 * delivery is gone (pg-boss gave up its retries, or it sat fetched past its expiry by a worker that died before
 * taking the lease, and nobody runs pg-boss maintenance) are sent again as they are. The hosts sent.
 */
export async function requeueOn(boss: PgBoss, client: ClientBase, run: string): Promise<string[]> {
  const expired = await client.query<SentRow>(
    `UPDATE host_jobs SET state = 'queued', attempts = attempts + 1, worker = NULL, lease_until = NULL,
       queued_at = ${NOW_MS}, job = gen_random_uuid()::text
     WHERE run = $1 AND state = 'leased' AND lease_until < ${NOW_MS}
     RETURNING host, site, job`,
    [run],
  );
  // pg-boss's own table (its schema 'pgboss'): a delivery is live while waiting, or fetched and not yet expired
  const lost = await client.query<SentRow>(
    `UPDATE host_jobs h SET queued_at = ${NOW_MS}, job = gen_random_uuid()::text
     WHERE h.run = $1 AND h.state = 'queued' AND h.queued_at < ${NOW_MS} - $3
       AND NOT EXISTS (SELECT 1 FROM ${BOSS_SCHEMA}.job j
         WHERE j.name = $2 || COALESCE('.site.' || h.site, '') AND j.id = h.job::uuid
           AND (j.state < 'active' OR (j.state = 'active' AND j.started_on + j.expire_in > now())))
     RETURNING host, site, job`,
    [run, NO_SITE_QUEUE, LOST_DELIVERY_AFTER_MS],
  );
  const rows = [...expired.rows, ...lost.rows];
  await deliver(boss, client, run, rows);
  return rows.map((r) => r.host).sort();
}
