// pg-boss (the queue, issue 14) on the caller's pg.Pool: its own statements go through `poolDb`, a send or ack that
// must commit with our rows goes through `clientDb` on the client holding our transaction (pg-boss's `db` option).
// Settings: no cron (schedule off: no timekeeper queue, no clock-skew timer); maintenance (supervise) expires a job
// fetched by a worker that died before taking the lease, and pg-boss retries it — harmless, our leases decide.
// pg-boss's DDL (its install, a new queue) runs under DISPATCH_LOCK: on its own it races and deadlocks.

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
/** pg-boss's schema (its default): enqueue.ts looks a delivery up in its job table. */
export const BOSS_SCHEMA = 'pgboss';

export function poolDb(pool: Pool): PgBoss.Db {
  return { executeSql: (text, values) => pool.query(text, values) };
}

export function clientDb(client: ClientBase): PgBoss.Db {
  return { executeSql: (text, values) => client.query(text, values) };
}

function bossSettings(db: PgBoss.Db, options: BossOptions): PgBoss.ConstructorOptions {
  return {
    db,
    schema: BOSS_SCHEMA,
    schedule: false,
    supervise: options.supervise ?? false,
    migrate: true,
    expireInSeconds: DELIVERY_EXPIRE_SECONDS,
    retryLimit: DELIVERY_RETRIES,
    retryDelay: 0,
  };
}

/**
 * Install (or migrate) pg-boss's schema and the no-site queue on `client`, which must hold DISPATCH_LOCK: pg-boss's own
 * install is not safe against itself (six processes opening a fresh database at once: "duplicate key value violates
 * unique constraint pg_namespace_nspname_index"). A pg-boss bound to this client only, started and stopped here.
 */
export async function installBoss(client: ClientBase): Promise<void> {
  const boss = new PgBoss(bossSettings(clientDb(client), {}));
  await boss.start();
  await boss.createQueue(queueName(null), queueSettings(queueName(null)));
  await boss.stop({ graceful: false, close: false });
}

/** pg-boss on the pool, its schema installed already (installBoss). */
export async function startBoss(pool: Pool, options: BossOptions = {}): Promise<PgBoss> {
  const boss = new PgBoss(bossSettings(poolDb(pool), { supervise: options.supervise ?? true }));
  boss.on('error', (err) => options.onError?.(err));
  await boss.start();
  created.set(boss, new Set([queueName(null)]));
  return boss;
}

const created = new WeakMap<PgBoss, Set<string>>();

/**
 * Serialises pg-boss's DDL across processes (advisory lock key, hashed): its install, and queue creation — create_queue
 * attaches a partition to its job table and adds a foreign key to its queue table, and two at once deadlock.
 */
export const DISPATCH_LOCK = 'gofleet-dispatch:ddl';

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
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [DISPATCH_LOCK]);
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
