// The journal as an event subscriber on SQLite: every engine event is written as it happens, each in its own
// small IMMEDIATE transaction (the event-log line plus the rows it changes, journal-event.ts), so a controller
// killed with -9 loses at most the event in flight, and readers never see half an event.

import type { Database, Statement } from 'better-sqlite3';
import type { EngineEvent, EventSink } from '../engine/events.ts';
import { GofleetError } from '../errors.ts';
import { beginRun, journalEvent, journals, runRowOf, type JournalWrites } from './journal-event.ts';
import { JOURNAL_SQL, type JournalStatement } from './journal-sql.ts';
import type { RecorderOptions, RunMeta } from './types.ts';

export function createRecorder(db: Database, meta: RunMeta, options: RecorderOptions = {}): EventSink {
  // a worker's lease fence is checked by the server inside each write (pg/pg-recorder.ts); a SQLite file has no
  // leases to check, and a fence silently not checked would be none (workers need the journal on PostgreSQL)
  if (options.guard) throw new GofleetError('WORKERS_NEED_POSTGRES', `${db.name}: a journal write fenced by a worker's lease needs the journal on PostgreSQL`);
  const drive = sqliteDriver(db);
  const row = runRowOf(meta);
  // a real committed write before any host is contacted: a journal that opens but cannot be written (full
  // disk, read-only, corrupt pages) is found here, not after hosts have changed
  if (options.begin) drive(beginRun(row, Date.now()));
  const write = db.transaction((e: EngineEvent) => drive(journalEvent(row, e)));
  return (event) => {
    if (!journals(event, meta.run, options)) return;
    try {
      write.immediate(event);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      if (options.onError) options.onError(e);
      else throw e;
    }
  };
}

/** Runs journal-event.ts's statements on `db`, synchronously (inside the caller's transaction, if any). */
export function sqliteDriver(db: Database): (writes: JournalWrites) => void {
  const prepared = new Map<JournalStatement, Statement>();
  const statement = (name: JournalStatement): Statement => {
    let s = prepared.get(name);
    if (!s) prepared.set(name, (s = db.prepare(JOURNAL_SQL[name])));
    return s;
  };
  return (writes) => {
    let step = writes.next();
    while (!step.done) {
      const { statement: name, mode, params } = step.value;
      const s = statement(name);
      const result = mode === 'get' ? s.get(params) : mode === 'all' ? s.all(params) : s.run(params).changes;
      step = writes.next(result);
    }
  };
}
