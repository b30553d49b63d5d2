// The journal as an event subscriber on PostgreSQL. The engine's sink is synchronous, a server is not: each event
// is put on an ordered write queue and written in a transaction of its own (the statements of journal-event.ts,
// as on SQLite), so a controller killed with -9 loses only events not yet committed and readers never see half
// an event. Writers of one run (a coordinator and its workers) are serialized by a transaction-scoped advisory
// lock on the run, so the event log's and each host's step numbers stay gap-free and unique. A recorder with a
// guard (a worker's lease, types.ts WriteGuard) checks it inside each transaction, after the run's lock: refused,
// the event is rolled back and counted by the guard, not reported as a failure.
//
// Lock order: the run's advisory lock, then whatever the guard locks (the lease's host_jobs row, FOR SHARE). Only
// one transaction per run is past the advisory lock, so the only journal transaction holding a row of that run is
// one that waits for nothing but rows; the dispatch's own transactions (take, renew, complete, requeue) never take
// the advisory lock, so no cycle can form between the two.

import type pg from 'pg';
import type { EngineEvent, EventSink } from '../../engine/events.ts';
import { beginRun, journalEvent, journals, runRowOf, type JournalWrites } from '../journal-event.ts';
import { JOURNAL_SQL } from '../journal-sql.ts';
import type { RecorderOptions, RunMeta, WriteGuard } from '../types.ts';
import { positional, valuesFor } from './named-params.ts';

/** An ordered queue of async writes; `idle()` resolves once everything queued so far has settled. */
export interface WriteQueue {
  push(write: () => Promise<void>, fail: (err: unknown) => void): void;
  idle(): Promise<void>;
}

/** A write that could not even connect: the server is down or unreachable. */
export class ServerUnreachable extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/**
 * When a write cannot connect, the writes queued behind it fail at once with the same error instead of each
 * waiting for its own connection timeout (a run's end would otherwise hang for minutes on a server that went
 * away); a write queued after that tries the server again.
 */
export function writeQueue(): WriteQueue {
  let tail: Promise<void> = Promise.resolve();
  let queued = 0;
  let down: { through: number; reason: unknown } | undefined;
  return {
    push(write, fail) {
      const n = ++queued;
      tail = tail.then(async () => {
        try {
          if (down && n <= down.through) throw down.reason;
          await write();
        } catch (err) {
          if (err instanceof ServerUnreachable) down = { through: queued, reason: err.reason };
          try {
            fail(err instanceof ServerUnreachable ? err.reason : err);
          } catch {
            // a caller's error handler must not stop the queue
          }
        }
      });
    },
    idle: () => tail,
  };
}

export interface PgRecorderDeps {
  pool: pg.Pool;
  queue: WriteQueue;
  /** where a failed write goes when the recorder was given no onError (flush() then rejects with it) */
  unhandled: (err: Error) => void;
}

export function createPgRecorder(deps: PgRecorderDeps, meta: RunMeta, options: RecorderOptions = {}): EventSink {
  const row = runRowOf(meta);
  const fail = (err: unknown): void => {
    const e = err instanceof Error ? err : new Error(String(err));
    if (options.onError) options.onError(e);
    else deps.unhandled(e);
  };
  const enqueue = (writes: () => JournalWrites): void => deps.queue.push(() => inTransaction(deps.pool, meta.run, writes, options.guard), fail);
  // the run's row goes first; openPgStore has already proved the database writable (a read-only standby is
  // refused there), so a failure here is reported through onError before the engine gets far
  if (options.begin) {
    const at = Date.now();
    enqueue(() => beginRun(row, at));
  }
  return (event: EngineEvent) => {
    if (!journals(event, meta.run, options)) return;
    // the engine may reuse or change its objects after emitting: the queue keeps a copy of what it saw
    const e = copyOf(event);
    enqueue(() => journalEvent(row, e));
  };
}

/** Runs journal-event.ts's statements on one pooled connection, in one transaction, under the run's lock (and the guard's). */
async function inTransaction(pool: pg.Pool, run: string, writes: () => JournalWrites, guard?: WriteGuard): Promise<void> {
  const client = await pool.connect().catch((err: unknown) => {
    throw new ServerUnreachable(err);
  });
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`gofleet-run:${run}`]);
    if (guard && !(await guard.holds(client))) {
      await client.query('ROLLBACK');
      guard.refused();
      return;
    }
    await drive(client, writes());
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw connectionLost(err) ? new ServerUnreachable(err) : err;
  } finally {
    client.release();
  }
}

/** The connection broke under the transaction (server shut down or crashed, network gone): not the SQL's fault. */
function connectionLost(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (typeof code === 'string' && (/^(57P0[123]|08\d\d\d)$/.test(code) || ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code))) ||
    /Connection terminated/i.test(err instanceof Error ? err.message : '');
}

export async function drive(client: pg.ClientBase, writes: JournalWrites): Promise<void> {
  let step = writes.next();
  while (!step.done) {
    const { statement, mode, params } = step.value;
    const sql = positional(JOURNAL_SQL[statement]);
    const got = await client.query(sql.text, valuesFor(sql.names, params));
    step = writes.next(mode === 'get' ? got.rows[0] : mode === 'all' ? got.rows : (got.rowCount ?? 0));
  }
}

function copyOf(event: EngineEvent): EngineEvent {
  try {
    return structuredClone(event);
  } catch {
    return event; // not cloneable (a function somewhere): journaled as it is when its turn comes
  }
}
