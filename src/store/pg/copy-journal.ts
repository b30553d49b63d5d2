// `gofleet state migrate`: every run of a SQLite journal (its hosts, steps, event log and audit trail) copied into
// the journal on PostgreSQL, in ONE transaction: all of it lands or none. The rows are copied as stored (the JSON
// text byte for byte, the times, the statuses); a run already on the server is skipped and counted, so running
// the copy again is harmless. The file is opened read-only and never written.

import type Database from 'better-sqlite3';
import type pg from 'pg';

export interface CopyCounts {
  runs: number;
  /** runs already in the target, left as they are */
  skipped: number;
  hosts: number;
  steps: number;
  events: number;
  audit: number;
}

type Row = Record<string, unknown>;

/** table → its columns, in the order both schemas have them ("user" quoted for PostgreSQL) */
const COPIED = {
  run_hosts: ['run', 'host', 'ord', 'status', 'from_version', 'to_version', 'error_code', 'error_message', 'error_hint', 'started', 'ended', 'warnings', 'extra'],
  steps: ['run', 'host', 'seq', 'step', 'status', 'started', 'ended', 'code', 'message'],
  events: ['run', 'seq', 'at', 'kind', 'payload'],
  audit: ['at', 'actor', 'source', 'action', 'run', 'wave', 'detail'],
} as const;
const RUN_COLUMNS = ['id', 'started', 'ended', 'user', 'argv', 'command', 'target', 'policy', 'status', 'counts', 'controller', 'pid', 'cwd'];

export async function copyJournal(from: Database.Database, to: pg.Pool): Promise<CopyCounts> {
  const counts: CopyCounts = { runs: 0, skipped: 0, hosts: 0, steps: 0, events: 0, audit: 0 };
  const runs = from.prepare(`SELECT ${RUN_COLUMNS.map((c) => `"${c}"`).join(', ')} FROM runs ORDER BY started, id`).all() as Row[];
  const client = await to.connect();
  try {
    await client.query('BEGIN');
    // two copies at once into one database wait for each other instead of both deciding a run is missing
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('gofleet-state-migrate'))`);
    for (const run of runs) {
      const inserted = await insertRows(client, 'runs', RUN_COLUMNS, [run], 'ON CONFLICT (id) DO NOTHING');
      if (inserted === 0) {
        counts.skipped++;
        continue;
      }
      counts.runs++;
      const of = (table: keyof typeof COPIED, order: string): Row[] =>
        from.prepare(`SELECT ${COPIED[table].join(', ')} FROM ${table} WHERE run = ? ORDER BY ${order}`).all(run.id) as Row[];
      counts.hosts += await insertRows(client, 'run_hosts', COPIED.run_hosts, of('run_hosts', 'ord, host'));
      counts.steps += await insertRows(client, 'steps', COPIED.steps, of('steps', 'host, seq'));
      counts.events += await insertRows(client, 'events', COPIED.events, of('events', 'seq'));
      // the audit trail's numbers are the target's own; its order is kept
      counts.audit += await insertRows(client, 'audit', COPIED.audit, of('audit', 'seq'));
    }
    await client.query('COMMIT');
    return counts;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** One multi-row INSERT per 500 rows; the number of rows inserted. */
async function insertRows(client: pg.ClientBase, table: string, columns: readonly string[], rows: Row[], suffix = ''): Promise<number> {
  let n = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const values: unknown[] = [];
    const tuples = chunk.map((r) => `(${columns.map((c) => `$${values.push(r[c] ?? null)}`).join(', ')})`);
    const got = await client.query(`INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')} ${suffix}`, values);
    n += got.rowCount ?? 0;
  }
  return n;
}
