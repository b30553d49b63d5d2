import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GofleetError } from '../errors.ts';
import { MIGRATIONS, migrate, schemaVersion } from './migrations.ts';
import { openStore } from './open-store.ts';

function scratchDb(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-migrate-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'gofleet.db');
}

const objects = (db: Database.Database, type: string): string[] =>
  (db.prepare(`SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`).all(type) as { name: string }[]).map(
    (r) => r.name,
  );

test('there are at least two migrations, so migrating forward is exercised', () => {
  assert.ok(MIGRATIONS.length >= 2);
});

test('a fresh database gets the latest schema', (t) => {
  const path = scratchDb(t);
  openStore(path).close();
  const db = new Database(path, { readonly: true });
  t.after(() => db.close());
  assert.equal(schemaVersion(db), MIGRATIONS.length);
  assert.deepEqual(objects(db, 'table'), ['audit', 'campaign_repos', 'campaigns', 'events', 'run_hosts', 'runs', 'serve_tokens', 'steps']);
  assert.deepEqual(objects(db, 'index'), ['audit_by_run', 'run_hosts_by_status', 'runs_by_started']);
  assert.deepEqual(objects(db, 'trigger'), ['audit_no_delete', 'audit_no_update', 'events_append_only']);
});

test('a database at version 1 migrates forward and keeps its runs', async (t) => {
  const path = scratchDb(t);
  const v1 = new Database(path);
  migrate(v1, path, MIGRATIONS.slice(0, 1));
  assert.equal(schemaVersion(v1), 1);
  v1.prepare(
    `INSERT INTO runs (id, started, user, argv, command, target, policy, status, controller, pid)
     VALUES ('old-run', 1000, 'ops', '["gofleet","upgrade"]', 'upgrade', 'go1.27.3', '{}', 'done', 'ctl', 1)`,
  ).run();
  v1.close();

  const store = openStore(path);
  t.after(() => store.close());
  assert.deepEqual(
    (await store.listRuns()).map((r) => [r.id, r.status, r.argv, r.cwd]),
    [['old-run', 'done', ['gofleet', 'upgrade'], null]],
    'a run from before migration 4 has no recorded working directory',
  );
  const db = new Database(path, { readonly: true });
  t.after(() => db.close());
  assert.equal(schemaVersion(db), MIGRATIONS.length);
  assert.ok(objects(db, 'index').includes('runs_by_started'));
});

test('a database from a newer gofleet is refused and left untouched', (t) => {
  const path = scratchDb(t);
  openStore(path).close();
  const db = new Database(path);
  db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  db.close();
  const before = readFileSync(path);
  assert.throws(
    () => openStore(path),
    (err: unknown) =>
      err instanceof GofleetError &&
      err.code === 'STATE_TOO_NEW' &&
      err.message.includes(`schema version ${MIGRATIONS.length + 1}`) &&
      err.message.includes(`up to ${MIGRATIONS.length}`),
  );
  assert.deepEqual(readFileSync(path), before);
});

test('a failing migration leaves nothing half-applied', (t) => {
  const path = scratchDb(t);
  const db = new Database(path);
  t.after(() => db.close());
  assert.throws(() => migrate(db, path, [...MIGRATIONS, 'CREATE TABLE half (a); SELECT no_such_column FROM runs;']), /no such column/);
  assert.equal(schemaVersion(db), 0);
  assert.deepEqual(objects(db, 'table'), []);
  migrate(db, path);
  assert.equal(schemaVersion(db), MIGRATIONS.length);
});

test('the event log is append-only', (t) => {
  const path = scratchDb(t);
  const store = openStore(path);
  store.recorder({ run: 'r', argv: [], command: 'facts', target: null, policy: {} })({ kind: 'wave-end', run: 'r', wave: 1, at: 5 });
  store.close();
  const db = new Database(path);
  t.after(() => db.close());
  assert.throws(() => db.prepare(`UPDATE events SET kind = 'forged'`).run(), /append-only/);
});

test('a database at version 4 gains the token and audit tables and keeps its runs', async (t) => {
  const path = scratchDb(t);
  const v4 = new Database(path);
  migrate(v4, path, MIGRATIONS.slice(0, 4));
  v4.prepare(
    `INSERT INTO runs (id, started, user, argv, command, target, policy, status, controller, pid, cwd)
     VALUES ('r4', 1000, 'ops', '[]', 'upgrade', 'go1.27.3', '{}', 'done', 'ctl', 1, '/srv')`,
  ).run();
  v4.close();
  const store = openStore(path);
  t.after(() => store.close());
  assert.deepEqual((await store.listRuns()).map((r) => [r.id, r.cwd]), [['r4', '/srv']]);
  const db = new Database(path);
  t.after(() => db.close());
  assert.ok(objects(db, 'table').includes('serve_tokens') && objects(db, 'table').includes('audit'));
  // a token row holds a hash of the right length, nothing else
  assert.throws(() => db.prepare(`INSERT INTO serve_tokens (name, sha256, created) VALUES ('ci', 'not-a-hash', 1)`).run(), /CHECK constraint/);
});

test('the audit trail is append-only: no update, no delete', (t) => {
  const path = scratchDb(t);
  openStore(path).close();
  const db = new Database(path);
  t.after(() => db.close());
  db.prepare(`INSERT INTO audit (at, actor, source, action, run, wave) VALUES (1, 'ops', '127.0.0.1', 'approve', 'r', 2)`).run();
  assert.throws(() => db.prepare(`UPDATE audit SET actor = 'someone else'`).run(), /append-only/);
  assert.throws(() => db.prepare(`DELETE FROM audit`).run(), /append-only/);
});
