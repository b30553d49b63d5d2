// Opening the run journal for the commands that only read it (history, show, report): nothing is created,
// nothing is written, and a journal on a read-only filesystem can still be read.
// - A missing file is a journal with no runs (an empty in-memory one): `history --state TYPO` never leaves an
//   empty journal behind; `show`/`report` then say RUN_NOT_FOUND.
// - WAL mode needs the -shm file: on a read-only filesystem where it cannot be created, the file is read into
//   memory instead (its header switched to rollback mode, as SQLite cannot keep a WAL in memory).
// - A journal of an older schema is migrated in that in-memory copy, never on disk.

import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { GofleetError } from '../errors.ts';
import { MIGRATIONS, migrate, schemaVersion } from './migrations.ts';

export function openReadOnlyDatabase(path: string, busyTimeoutMs: number): Database.Database {
  try {
    if (!existsSync(path)) return inMemory(undefined, path);
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
      // the first read is where SQLite finds it cannot create the -shm file of a WAL journal
      const version = schemaVersion(db);
      if (version === MIGRATIONS.length) return db;
      if (version > MIGRATIONS.length) {
        throw new GofleetError('STATE_TOO_NEW', `${path}: the run journal is at schema version ${version}, but this gofleet knows only versions up to ${MIGRATIONS.length}`);
      }
      const copy = db.serialize();
      db.close();
      return inMemory(copy, path);
    } catch (err) {
      db?.close();
      if (err instanceof GofleetError || (err as { code?: string }).code !== 'SQLITE_CANTOPEN') throw err;
      return inMemory(readFileSync(path), path);
    }
  } catch (err) {
    if (err instanceof GofleetError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new GofleetError('STATE_UNAVAILABLE', `${path}: cannot read the run journal: ${message}`, { cause: err });
  }
}

/** A private in-memory copy of `image` (or an empty journal), migrated to the latest schema. */
function inMemory(image: Buffer | undefined, path: string): Database.Database {
  let db: Database.Database;
  if (image && image.length >= 100) {
    // bytes 18-19 of the header: 2 = WAL, 1 = rollback journal; an in-memory database cannot be in WAL mode
    image[18] = 1;
    image[19] = 1;
    db = new Database(image);
  } else {
    db = new Database(':memory:');
  }
  migrate(db, path);
  return db;
}
