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
  await ensureQueue(boss, pool, null);
  return boss;
}

const created = new WeakMap<PgBoss, Set<string>>();

/** Serialises queue creation across processes: pg-boss's create_queue attaches a partition to its job table and adds
 * a foreign key to its queue table, and two of them at once deadlock (seen with six processes opening together). */
const CREATE_QUEUE_LOCK = 'gofleet-dispatch:create-queue';

function queueSettings(name: string): PgBoss.Queue {
  return { name, retryLimit: DELIVERY_RETRIES, retryDelay: 0, expireInSeconds: DELIVERY_EXPIRE_SECONDS };
}

/** Create the site's queue once (pg-boss 10 drops a delivery to a queue that does not exist); its name. */
export async function ensureQueue(boss: PgBoss, pool: Pool, site: string | null): Promise<string> {
  const name = queueName(site);
  const known = created.get(boss) ?? new Set<string>();
  created.set(boss, known);
  if (known.has(name) || (await boss.getQueue(name)) !== null) {
    known.add(name);
    return name;
  }
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [CREATE_QUEUE_LOCK]);
    // a pg-boss bound to this client only (never started: no timers, no connections of its own), so the queue is
    // created under the lock this transaction holds
    await new PgBoss({ db: clientDb(client) }).createQueue(name, queueSettings(name));
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  known.add(name);
  return name;
}
