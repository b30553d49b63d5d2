// pg-boss (the queue, issue 14) on the caller's pg.Pool: its own statements go through `poolDb`, a send or ack that
// must commit with our rows goes through `clientDb` on the client holding our transaction (pg-boss's `db` option).
// Settings: no cron (schedule off: no timekeeper queue, no clock-skew timer); maintenance (supervise) expires a job
// fetched by a worker that died before taking the lease, and pg-boss retries it — harmless, our leases decide.

import type { ClientBase, Pool } from 'pg';
import PgBoss from 'pg-boss';
import { queueName } from './queues.ts';

export interface BossOptions {
  /** run pg-boss maintenance in this process (expiry of abandoned deliveries, archiving); default true */
  supervise?: boolean;
  onError?(err: unknown): void;
}

/** How long a delivery may sit fetched before pg-boss hands it out again; a lease is taken within ms of a fetch. */
export const DELIVERY_EXPIRE_SECONDS = 120;
/** Deliveries lost before a lease was taken are retried this often; duplicates are skipped by the lease. */
export const DELIVERY_RETRIES = 10;

export function poolDb(pool: Pool): PgBoss.Db {
  return { executeSql: (text, values) => pool.query(text, values) };
}

export function clientDb(client: ClientBase): PgBoss.Db {
  return { executeSql: (text, values) => client.query(text, values) };
}

export async function startBoss(pool: Pool, options: BossOptions = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    db: poolDb(pool),
    schedule: false,
    supervise: options.supervise ?? true,
    migrate: true,
    expireInSeconds: DELIVERY_EXPIRE_SECONDS,
    retryLimit: DELIVERY_RETRIES,
    retryDelay: 0,
  });
  boss.on('error', (err) => options.onError?.(err));
  await boss.start();
  await ensureQueue(boss, null);
  return boss;
}

const created = new WeakMap<PgBoss, Set<string>>();

/** Create the site's queue once per process (pg-boss 10 drops a send to a queue that does not exist). */
export async function ensureQueue(boss: PgBoss, site: string | null): Promise<string> {
  const name = queueName(site);
  const known = created.get(boss) ?? new Set<string>();
  created.set(boss, known);
  if (!known.has(name)) {
    await boss.createQueue(name, { name, retryLimit: DELIVERY_RETRIES, retryDelay: 0, expireInSeconds: DELIVERY_EXPIRE_SECONDS });
    known.add(name);
  }
  return name;
}
