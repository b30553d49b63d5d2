// Putting hosts on the queue (issue 14): a host_jobs row and its pg-boss job are written in ONE transaction, so
// a job exists exactly when its row says queued. A host queued, leased by a live worker, or done is not sent again;
// a host whose lease ran out goes back to queued with one more attempt (its next worker recovers it).

import { randomUUID } from 'node:crypto';
import type { ClientBase } from 'pg';
import type PgBoss from 'pg-boss';
import { clientDb } from './boss.ts';
import { queueName } from './queues.ts';
import { NOW_MS } from './schema.ts';
import type { JobSpec } from './types.ts';

/** Send run/host on the site's queue inside the transaction on `client`, under the job id `id`. */
async function sendJob(boss: PgBoss, client: ClientBase, run: string, host: string, site: string | null, id: string): Promise<void> {
  const sent = await boss.send(queueName(site), { run, host }, { id, db: clientDb(client) });
  if (sent === null) throw new Error(`pg-boss did not take the job for ${host} (queue ${queueName(site)} missing?)`);
}

/** The rows and jobs of one wave, on `client` (inside a transaction the caller owns); the hosts sent. */
export async function enqueueOn(boss: PgBoss, client: ClientBase, run: string, wave: number, jobs: readonly JobSpec[]): Promise<string[]> {
  const sent: string[] = [];
  for (const job of jobs) {
    const payload = JSON.stringify(job.payload ?? null);
    const id = randomUUID();
    const row = await client.query(
      `INSERT INTO host_jobs (run, host, wave, site, state, payload, attempts, queued_at, job)
       VALUES ($1, $2, $3, $4, 'queued', $5, 1, ${NOW_MS}, $6)
       ON CONFLICT (run, host) DO UPDATE SET state = 'queued', attempts = host_jobs.attempts + 1, wave = excluded.wave,
         site = excluded.site, payload = excluded.payload, worker = NULL, lease_until = NULL,
         queued_at = excluded.queued_at, job = excluded.job
       WHERE host_jobs.state = 'leased' AND host_jobs.lease_until < ${NOW_MS}
       RETURNING host`,
      [run, job.host, wave, job.site, payload, id],
    );
    if (row.rowCount === 0) continue;
    await sendJob(boss, client, run, job.host, job.site, id);
    sent.push(job.host);
  }
  return sent;
}

/** Leased rows of `run` whose lease ran out: back to queued (attempts + 1) and sent again; the hosts. */
export async function requeueOn(boss: PgBoss, client: ClientBase, run: string): Promise<string[]> {
  const rows = await client.query<{ host: string; site: string | null; job: string }>(
    `UPDATE host_jobs SET state = 'queued', attempts = attempts + 1, worker = NULL, lease_until = NULL,
       queued_at = ${NOW_MS}, job = gen_random_uuid()::text
     WHERE run = $1 AND state = 'leased' AND lease_until < ${NOW_MS}
     RETURNING host, site, job`,
    [run],
  );
  for (const r of rows.rows) await sendJob(boss, client, run, r.host, r.site, r.job);
  return rows.rows.map((r) => r.host).sort();
}
