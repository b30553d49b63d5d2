// A worker (issue 14): fetch deliveries from the site's queue, take each host's lease (acking the delivery in the
// same transaction: from then on the lease, not the queue, says who owns the host), run it with the lease renewed
// every renewMs, then write done + result fenced by the token. A duplicate delivery (host done, or leased by a live
// worker) is acked and dropped. A runHost that throws gives the lease up at once, so another worker recovers it.

import type { Pool } from 'pg';
import type PgBoss from 'pg-boss';
import { GofleetError } from '../errors.ts';
import { clientDb, ensureQueue } from './boss.ts';
import { completeLease, heldLease, releaseLease, renewLease, takeLease, type HeldLease, type Taken } from './lease.ts';
import { isJobKey } from './queues.ts';
import { inTransaction } from './transaction.ts';
import type { JobOutcome, WorkOptions } from './types.ts';

const DEFAULT_POLL_MS = 500;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Take the lease for one delivery and ack it, in one transaction; undefined for a duplicate. */
async function accept(boss: PgBoss, pool: Pool, queue: string, delivery: PgBoss.Job<unknown>, o: WorkOptions): Promise<Taken | undefined> {
  return inTransaction(pool, async (client) => {
    const key = delivery.data;
    const taken = isJobKey(key) ? await takeLease(client, key.run, key.host, o.worker, o.leaseMs) : undefined;
    await boss.complete(queue, delivery.id, { db: clientDb(client) });
    return taken;
  });
}

/** Renew the lease every renewMs until `stop` aborts; a failed renewal marks it lost and ends the loop. */
async function keepRenewing(pool: Pool, taken: Taken, lease: HeldLease, o: WorkOptions, stop: AbortSignal): Promise<void> {
  const every = o.renewMs ?? o.leaseMs / 3;
  for (;;) {
    await sleep(every, stop);
    if (stop.aborted) return;
    const asked = Date.now();
    const ok = await renewLease(pool, taken, o.leaseMs).catch(() => undefined);
    if (ok === false) return lease.markLost();
    if (ok) lease.renewed(asked + o.leaseMs);
  }
}

/** One host under its lease, start to fenced end. */
async function runLeased(pool: Pool, taken: Taken, askedAt: number, o: WorkOptions): Promise<JobOutcome> {
  const { run, host } = taken.job;
  // held, as far as this process knows, for leaseMs from before the lease was asked for (never longer than the row says)
  const lease = heldLease(taken, o.worker, askedAt + o.leaseMs);
  const stopRenewing = new AbortController();
  const renewing = keepRenewing(pool, taken, lease, o, stopRenewing.signal);
  try {
    const result = await o.runHost(taken.job, lease);
    stopRenewing.abort();
    await renewing;
    await completeLease(pool, taken, result);
    return { run, host, ok: true, result };
  } catch (error) {
    stopRenewing.abort();
    await renewing;
    await releaseLease(pool, taken).catch(() => undefined);
    return { run, host, ok: false, error };
  }
}

async function handle(boss: PgBoss, pool: Pool, queue: string, delivery: PgBoss.Job<unknown>, o: WorkOptions): Promise<void> {
  const key = isJobKey(delivery.data) ? delivery.data : { run: '?', host: '?' };
  let outcome: JobOutcome;
  try {
    const askedAt = Date.now();
    const taken = await accept(boss, pool, queue, delivery, o);
    outcome = taken ? await runLeased(pool, taken, askedAt, o) : { ...key, ok: 'skipped' };
  } catch (error) {
    outcome = { ...key, ok: false, error };
  }
  o.onJobEnd?.(outcome);
}

/** Serve the site's queue until o.signal aborts, then wait for the hosts in hand. */
export async function work(boss: PgBoss, pool: Pool, o: WorkOptions): Promise<void> {
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1) throw new GofleetError('BAD_OPTION', `worker concurrency must be a whole number of 1 or more, not ${o.concurrency}`);
  if (!(o.leaseMs > 0)) throw new GofleetError('BAD_OPTION', `a lease must last more than 0 ms, not ${o.leaseMs}`);
  const queue = await ensureQueue(boss, pool, o.site);
  const running = new Set<Promise<void>>();
  while (!o.signal.aborted) {
    const free = o.concurrency - running.size;
    if (free <= 0) {
      await Promise.race(running);
      continue;
    }
    const deliveries = await boss.fetch<unknown>(queue, { batchSize: free });
    if (deliveries.length === 0) {
      await sleep(o.pollMs ?? DEFAULT_POLL_MS, o.signal);
      continue;
    }
    for (const d of deliveries) {
      const p = handle(boss, pool, queue, d, o).finally(() => running.delete(p));
      running.add(p);
    }
  }
  await Promise.allSettled(running);
}
