// gofleet state migrate --from FILE --to URL: copy a SQLite run journal into the journal on PostgreSQL (issue 14),
// so the history, reports and resumable runs of one controller's file move to the shared journal. One
// transaction; runs already there are skipped, so it can be run again; the file is read, never written.

import { existsSync } from 'node:fs';
import { GofleetError } from '../../errors.ts';
import { isPostgresUrl, journalName, openJournal } from '../../store/index.ts';
import { openReadOnlyDatabase } from '../../store/open-read-only.ts';
import type { PgStore } from '../../store/pg/pg-store.ts';
import { BUSY_TIMEOUT_MS } from '../../store/open-store.ts';
import { EXIT } from '../exit-code.ts';
import { printJson, type CliIo } from '../io.ts';

export interface StateMigrateOptions {
  from: string;
  to: string;
  json: boolean;
}

export async function stateMigrateCommand(options: StateMigrateOptions, io: CliIo): Promise<number> {
  if (!isPostgresUrl(options.to)) {
    throw new GofleetError('BAD_OPTION', `--to ${options.to}: not a postgres:// (or postgresql://) URL`);
  }
  if (isPostgresUrl(options.from) || !existsSync(options.from)) {
    throw new GofleetError('STATE_UNAVAILABLE', `--from ${journalName(options.from)}: no journal file there`, {
      hint: 'Give the SQLite journal to copy: --from FILE (the default journal is ~/.local/state/gofleet/gofleet.db).',
    });
  }
  const source = openReadOnlyDatabase(options.from, BUSY_TIMEOUT_MS);
  try {
    // the journal on the server is migrated on open, as for any command that writes it
    const target = await openJournal(options.to);
    try {
      const { copyJournal } = await import('../../store/pg/copy-journal.ts');
      const { pool } = target as PgStore;
      const counts = await copyJournal(source, pool);
      if (options.json) printJson(io, { from: options.from, to: target.path, ...counts });
      else {
        io.out(`copied ${counts.runs} run(s) from ${options.from} to ${target.path}: ${counts.hosts} host(s), ${counts.steps} step(s), ${counts.events} event(s), ${counts.audit} audit entr${counts.audit === 1 ? 'y' : 'ies'}\n`);
        if (counts.skipped > 0) io.out(`skipped ${counts.skipped} run(s) already in ${target.path}\n`);
      }
      return EXIT.ok;
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}
