// Numbered migrations for the journal on PostgreSQL (issue 14), one list per component (the journal's own tables,
// the dispatch tables of src/dispatch), each at the version recorded in gofleet_schema. Two controllers opening a
// fresh database at once do not both migrate: the version is read and moved under a transaction-scoped advisory
// lock. A database newer than this build is refused: an old gofleet must not write it.

import type { ClientBase } from 'pg';
import { GofleetError } from '../../errors.ts';

/** Bring `component` to the latest of `migrations` (MIGRATIONS[i] takes it from version i to i + 1); the version it is at now. */
export async function migratePg(client: ClientBase, component: string, migrations: readonly string[], where: string): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`gofleet-schema:${component}`]);
    await client.query(`CREATE TABLE IF NOT EXISTS gofleet_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL)`);
    const got = await client.query<{ version: number }>(`SELECT version FROM gofleet_schema WHERE component = $1`, [component]);
    const current = got.rows[0]?.version ?? 0;
    if (current > migrations.length) {
      throw new GofleetError(
        'STATE_TOO_NEW',
        `${where}: the ${component} schema is at version ${current}, but this gofleet knows only versions up to ${migrations.length}`,
      );
    }
    for (let v = current; v < migrations.length; v++) await client.query(migrations[v] ?? '');
    await client.query(
      `INSERT INTO gofleet_schema (component, version) VALUES ($1, $2) ON CONFLICT (component) DO UPDATE SET version = excluded.version`,
      [component, migrations.length],
    );
    await client.query('COMMIT');
    return migrations.length;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
