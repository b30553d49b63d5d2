// Opening the run journal: a SQLite file in WAL mode (readers never block the writer, a crash of the
// controller loses nothing committed), private to its owner, migrated to the latest schema.

import { closeSync, mkdirSync, openSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GofleetError } from '../errors.ts';
import { JOURNAL_SQL } from './journal-sql.ts';
import { migrate } from './migrations.ts';
import { openReadOnlyDatabase } from './open-read-only.ts';
import { runReader } from './read-runs.ts';
import { createRecorder } from './record-events.ts';
import type { RunAuditEntry, Store } from './types.ts';

/** How long a writer waits for another gofleet process holding the write lock. */
export const BUSY_TIMEOUT_MS = 10_000;

export interface OpenStoreOptions {
  /** for the commands that only read (history, show, report): create and write nothing (open-read-only.ts) */
  readOnly?: boolean;
}

export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const db = options.readOnly ? openReadOnlyDatabase(path, BUSY_TIMEOUT_MS) : openDatabase(path);
  const reader = runReader(db);
  const mark = db.prepare(JOURNAL_SQL.markRun);
  const audit = db.prepare(`SELECT at, actor, source, action, wave, detail FROM audit WHERE run = ? ORDER BY seq`);
  // compare-and-set: of two resumes started together, exactly one finds the row as it read it
  const claim = db.prepare(JOURNAL_SQL.claimRun);
  return {
    path,
    recorder: (meta, options) => createRecorder(db, meta, options),
    // SQLite answers synchronously; the interface is asynchronous for journals on a server
    listRuns: async (options = {}) => reader.listRuns(options.limit),
    getRun: async (id) => reader.getRun(id),
    unfinishedHosts: async (run) => reader.unfinishedHosts(run),
    hostStepLog: async (run, host) => reader.hostStepLog(run, host),
    runEvents: async (run) => reader.runEvents(run),
    markInterrupted: async (run, at = Date.now()) => mark.run({ run, status: 'interrupted', at: Math.round(at) }).changes > 0,
    markFailed: async (run, at = Date.now()) => mark.run({ run, status: 'failed', at: Math.round(at) }).changes > 0,
    claimRun: async (run, expect) => claim.run({ run, status: expect.status, pid: expect.pid, controller: hostname(), me: process.pid }).changes > 0,
    runAudit: async (run) =>
      (audit.all(run) as (Omit<RunAuditEntry, 'detail'> & { detail: string })[]).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> })),
    flush: async () => {},
    close: async () => void db.close(),
  };
}

/** The journal file opened private, in WAL mode, migrated (also used by the campaign store). */
export function openDatabase(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // create the file 0600 before SQLite does (it would honour only the umask); -wal and -shm copy its mode
    closeSync(openSync(path, 'a', 0o600));
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof GofleetError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new GofleetError('STATE_UNAVAILABLE', `${path}: cannot open the run journal: ${message}`, { cause: err });
  }
}
