// The two journal back ends as the contract suite (store-contract.test.ts) sees them: a fresh, empty journal per
// test — a SQLite file in a temp dir, or a new database on one real PostgreSQL server per test file
// (test/harness/postgres.ts) — opened as the CLI opens it (openJournal), plus raw SQL for what a test must do
// behind the Store's back (pretend another controller, look at the stored text).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../../../test/harness/postgres.ts';
import { openJournal } from '../open-journal.ts';
import type { OpenStoreOptions } from '../open-store.ts';
import type { Store } from '../types.ts';

export interface Journal {
  /** what --state would say */
  spec: string;
  open(options?: OpenStoreOptions): Promise<Store>;
  /** raw SQL on the journal's database (the same text runs on both: no dialect features) */
  sql(text: string): Promise<Record<string, unknown>[]>;
  /** the journal's tables (what exists in the database, created by gofleet) */
  tables(): Promise<string[]>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** a fresh, empty journal; everything it opens is closed after the test */
  journal(t: { after(fn: () => unknown): void }): Promise<Journal>;
  stop(): Promise<void>;
}

export function sqliteBackend(): Backend {
  return {
    name: 'sqlite',
    async journal(t) {
      const dir = mkdtempSync(join(tmpdir(), 'gofleet-contract-'));
      const spec = join(dir, 'gofleet.db');
      const stores: Store[] = [];
      t.after(async () => {
        for (const s of stores) await s.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      });
      const withDb = <R>(fn: (db: Database.Database) => R): R => {
        const db = new Database(spec);
        try {
          return fn(db);
        } finally {
          db.close();
        }
      };
      return {
        spec,
        open: async (options) => {
          const s = await openJournal(spec, options);
          stores.push(s);
          return s;
        },
        sql: async (text) => withDb((db) => {
          const st = db.prepare(text);
          return st.reader ? (st.all() as Record<string, unknown>[]) : (st.run(), []);
        }),
        tables: async () => {
          try {
            return withDb((db) => (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name));
          } catch {
            return [];
          }
        },
      };
    },
    stop: async () => undefined,
  };
}

export function postgresBackend(): Backend {
  let server: Promise<PostgresServer> | undefined;
  let n = 0;
  return {
    name: 'postgres',
    async journal(t) {
      const pgServer = await (server ??= startPostgres());
      const database = `t_${process.pid}_${++n}`;
      const admin = await pgServer.psql(`CREATE DATABASE ${database} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en' LOCALE 'C'`, { via: 'socket', database: 'postgres' });
      if (admin.exitCode !== 0) throw new Error(admin.stderr);
      const spec = pgServer.url.replace(/\/[^/]*$/, `/${database}`);
      const raw = new pg.Pool({ connectionString: spec, max: 2 });
      const stores: Store[] = [];
      t.after(async () => {
        for (const s of stores) await s.close().catch(() => undefined);
        await raw.end();
      });
      return {
        spec,
        open: async (options) => {
          const s = await openJournal(spec, options);
          stores.push(s);
          return s;
        },
        sql: async (text) => (await raw.query(text)).rows as Record<string, unknown>[],
        tables: async () =>
          (await raw.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.name),
      };
    },
    stop: async () => {
      if (server) await (await server).stop();
    },
  };
}
