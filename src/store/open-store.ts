// Opening the run journal: a SQLite file in WAL mode (readers never block the writer, a crash of the
// controller loses nothing committed), private to its owner, migrated to the latest schema.

import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
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
  // read-only on a file that is not there yet: empty until a writer has created and migrated it, then the file
  let waiting = options.readOnly === true && !existsSync(path);
  let h = statements(options.readOnly ? openReadOnlyDatabase(path, BUSY_TIMEOUT_MS) : openDatabase(path));
  const current = (): Statements => {
    if (waiting && existsSync(path)) {
      const db = openReadOnlyDatabase(path, BUSY_TIMEOUT_MS);
      if (db.memory) db.close();
      else {
        h.db.close();
        h = statements(db);
        waiting = false;
      }
    }
    return h;
  };
  return {
    path,
    recorder: (meta, options) => createRecorder(current().db, meta, options),
    // SQLite answers synchronously; the interface is asynchronous for journals on a server
    listRuns: async (options = {}) => current().reader.listRuns(options.limit),
    getRun: async (id) => current().reader.getRun(id),
    unfinishedHosts: async (run) => current().reader.unfinishedHosts(run),
    hostStepLog: async (run, host) => current().reader.hostStepLog(run, host),
    runEvents: async (run) => current().reader.runEvents(run),
    markInterrupted: async (run, at = Date.now()) => current().mark.run({ run, status: 'interrupted', at: Math.round(at) }).changes > 0,
    markFailed: async (run, at = Date.now()) => current().mark.run({ run, status: 'failed', at: Math.round(at) }).changes > 0,
    claimRun: async (run, expect) => current().claim.run({ run, status: expect.status, pid: expect.pid, controller: hostname(), me: process.pid }).changes > 0,
    runAudit: async (run) =>
      (current().audit.all(run) as (Omit<RunAuditEntry, 'detail'> & { detail: string })[]).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> })),
    flush: async () => {},
    close: async () => void h.db.close(),
  };
}

type Statements = ReturnType<typeof statements>;

function statements(db: Database.Database) {
  return {
    db,
    reader: runReader(db),
    mark: db.prepare(JOURNAL_SQL.markRun),
    audit: db.prepare(`SELECT at, actor, source, action, wave, detail FROM audit WHERE run = ? ORDER BY seq`),
    // compare-and-set: of two resumes started together, exactly one finds the row as it read it
    claim: db.prepare(JOURNAL_SQL.claimRun),
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
