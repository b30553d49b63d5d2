// The run journal on PostgreSQL (issue 14): the same Store as the SQLite file, shared by a coordinator and its
// workers. A connection pool; the schema migrated on open (component 'journal', pg-schema.ts); reads as
// read-runs.ts answers them; the recorder a synchronous sink over an ordered write queue (pg-recorder.ts).
// Opened read-only (history, show, report) it creates and writes nothing: its sessions are read-only, and a
// database gofleet never wrote reads as a journal with no runs.

import { hostname } from 'node:os';
import pg from 'pg';
import { GofleetError } from '../../errors.ts';
import { JOURNAL_SQL } from '../journal-sql.ts';
import type { OpenStoreOptions } from '../open-store.ts';
import type { Store } from '../types.ts';
import { migratePg } from './pg-migrate.ts';
import { pgRunReader } from './pg-read-runs.ts';
import { createPgRecorder, writeQueue } from './pg-recorder.ts';
import { PG_JOURNAL_COMPONENT, PG_JOURNAL_MIGRATIONS } from './pg-schema.ts';
import { checkPgUrl, redactPgUrl } from './pg-url.ts';
import { positional, valuesFor } from './named-params.ts';

export interface PgStore extends Store {
  readonly pool: pg.Pool;
  /** the URL without credentials (user@host:port/database), for messages */
  readonly url: string;
}

export interface OpenPgStoreOptions extends OpenStoreOptions {
  /** connections in the pool (default 10) */
  maxConnections?: number;
}

const INT8_OID = 20;
const CONNECT_TIMEOUT_MS = 15_000;
/** ms times and counts are BIGINT: numbers, as SQLite hands them back (they stay far below 2^53) */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export async function openPgStore(url: string, options: OpenPgStoreOptions = {}): Promise<PgStore> {
  checkPgUrl(url);
  const shown = redactPgUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    // a server that does not answer is an error to report, not a command that hangs
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    types,
    application_name: 'gofleet',
    ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // an idle connection the server drops must not crash the process; the next query reports it
  pool.on('error', () => undefined);
  let exists = true;
  try {
    if (options.readOnly) exists = await journalVersion(pool, shown);
    else await prepareForWrites(pool, shown);
  } catch (err) {
    await pool.end().catch(() => undefined);
    if (err instanceof GofleetError) throw err;
    throw new GofleetError('STATE_UNAVAILABLE', `${shown}: cannot open the run journal on PostgreSQL: ${messageOf(err)}`, { cause: err });
  }
  // read-only on a database gofleet has not written yet: empty until a writer creates the journal
  const ready = async (): Promise<boolean> => (exists ||= await journalVersion(pool, shown));
  return pgStore(pool, shown, ready);
}

function pgStore(pool: pg.Pool, shown: string, exists: () => Promise<boolean>): PgStore {
  const reader = pgRunReader(pool, exists);
  const queue = writeQueue();
  let unhandled: Error | undefined;
  const update = async (statement: 'markRun' | 'claimRun', params: Record<string, unknown>): Promise<boolean> => {
    if (!(await exists())) return false;
    // a run's writes are ordered: what its recorders queued lands before the run is marked
    await queue.idle();
    const sql = positional(JOURNAL_SQL[statement]);
    return ((await pool.query(sql.text, valuesFor(sql.names, params))).rowCount ?? 0) > 0;
  };
  const flush = async (): Promise<void> => {
    await queue.idle();
    const err = unhandled;
    unhandled = undefined;
    if (err) throw err;
  };
  let closed: Promise<void> | undefined;
  return {
    path: shown,
    url: shown,
    pool,
    recorder: (meta, options) => createPgRecorder({ pool, queue, unhandled: (e) => void (unhandled ??= e) }, meta, options),
    listRuns: (options = {}) => reader.listRuns(options.limit),
    getRun: (id) => reader.getRun(id),
    unfinishedHosts: (run) => reader.unfinishedHosts(run),
    hostStepLog: (run, host) => reader.hostStepLog(run, host),
    runEvents: (run) => reader.runEvents(run),
    runAudit: (run) => reader.runAudit(run),
    markInterrupted: (run, at = Date.now()) => update('markRun', { run, status: 'interrupted', at: Math.round(at) }),
    markFailed: (run, at = Date.now()) => update('markRun', { run, status: 'failed', at: Math.round(at) }),
    claimRun: (run, expect) => update('claimRun', { run, status: expect.status, pid: expect.pid, controller: hostname(), me: process.pid }),
    flush,
    close: () =>
      (closed ??= (async () => {
        try {
          await flush();
        } finally {
          await pool.end();
        }
      })()),
  };
}

/** Writable (not a read-only standby) and migrated: a command that changes hosts learns it here, before any host. */
async function prepareForWrites(pool: pg.Pool, shown: string): Promise<void> {
  const client = await pool.connect();
  try {
    const ro = await client.query<{ transaction_read_only: string }>('SHOW transaction_read_only');
    if (ro.rows[0]?.transaction_read_only === 'on') {
      throw new GofleetError('STATE_UNAVAILABLE', `${shown}: the database is read-only (a hot standby?); the run journal needs the primary`);
    }
    // the common case (a worker opens the journal for every host job): already current, no lock, no transaction
    if ((await schemaVersion(client)) !== PG_JOURNAL_MIGRATIONS.length) await migratePg(client, PG_JOURNAL_COMPONENT, PG_JOURNAL_MIGRATIONS, shown);
  } finally {
    client.release();
  }
}

/** The journal's schema version (0: never migrated), without writing anything. */
async function schemaVersion(db: pg.Pool | pg.ClientBase): Promise<number> {
  const table = await db.query<{ t: string | null }>(`SELECT to_regclass('gofleet_schema')::text AS t`);
  if (!table.rows[0]?.t) return 0;
  const got = await db.query<{ version: number }>(`SELECT version FROM gofleet_schema WHERE component = $1`, [PG_JOURNAL_COMPONENT]);
  return got.rows[0]?.version ?? 0;
}

/** Read-only: whether the journal's tables are there (false: an empty database), refusing a newer schema. */
async function journalVersion(pool: pg.Pool, shown: string): Promise<boolean> {
  const version = await schemaVersion(pool);
  if (version > PG_JOURNAL_MIGRATIONS.length) {
    throw new GofleetError(
      'STATE_TOO_NEW',
      `${shown}: the ${PG_JOURNAL_COMPONENT} schema is at version ${version}, but this gofleet knows only versions up to ${PG_JOURNAL_MIGRATIONS.length}`,
    );
  }
  // an older schema cannot be migrated without writing: read it only once a writer has brought it up to date
  if (version > 0 && version < PG_JOURNAL_MIGRATIONS.length) {
    throw new GofleetError('STATE_UNAVAILABLE', `${shown}: the run journal is at schema version ${version}; run a command that writes it (or \`gofleet history --state\` with a newer gofleet) to migrate it first`);
  }
  return version > 0;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
