// gofleet state migrate: a real SQLite journal written by the recorder (and serve's audit trail) copied into a
// real PostgreSQL server; what the PostgreSQL journal reads back is what the file reads back.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresSkip, startPostgres, type PostgresServer } from '../../../test/harness/postgres.ts';
import { openJournal, openServeStore, openStore, type Store } from '../../store/index.ts';
import { syntheticRun, T0 } from '../../store/testdata/synthetic-run.ts';
import { runCli } from '../program.ts';

const skip = postgresSkip();
if (skip) console.log(`# skipping state migrate: ${skip}`);

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), stdoutTty: false, stderrTty: false, stdout: () => out.join(''), stderr: () => err.join('') };
}

async function everything(store: Store) {
  const runs = await store.listRuns();
  return Promise.all(runs.map(async (r) => ({ run: await store.getRun(r.id), events: await store.runEvents(r.id), audit: await store.runAudit(r.id) })));
}

describe('state migrate', { skip }, () => {
  let server: PostgresServer;
  let dir: string;
  let file: string;
  let n = 0;
  const freshDb = async (): Promise<string> => {
    const name = `m_${++n}`;
    const r = await server.psql(`CREATE DATABASE ${name}`, { via: 'socket', database: 'postgres' });
    assert.equal(r.exitCode, 0, r.stderr);
    return server.url.replace(/\/[^/]*$/, `/${name}`);
  };
  before(async () => {
    server = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'gofleet-migrate-'));
    file = join(dir, 'gofleet.db');
    const store = openStore(file);
    for (const [i, id] of ['20261125-091502-aaaa', '20261126-091502-bbbb'].entries()) {
      const sink = store.recorder({ run: id, user: 'ops', argv: ['gofleet', 'upgrade', '--to', '1.27'], command: 'upgrade', target: 'go1.27.3', policy: { parallel: 3 } });
      const { events } = syntheticRun(id, undefined, T0 + i * 86_400_000);
      // the second run was cut short: resumable from the server after the copy
      for (const e of i === 0 ? events : events.slice(0, 9)) sink(e);
    }
    await store.close();
    const serve = openServeStore(file);
    serve.appendAudit({ at: T0 + 5, actor: 'alice', source: '127.0.0.1', action: 'approve', run: '20261125-091502-aaaa', wave: 2, detail: { hosts: ['build-01'] } });
    serve.appendAudit({ at: T0 + 6, actor: 'local', source: 'cli', action: 'token-create', detail: { name: 'ci' } });
    serve.close();
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('copies every run, host, step, event and audit entry; the PostgreSQL journal reads back what the file does', async () => {
    const url = await freshDb();
    const mtime = statSync(file).mtimeMs;
    const io = capture();
    assert.equal(await runCli(['state', 'migrate', '--from', file, '--to', url], io), 0, io.stderr());
    assert.match(io.stdout(), /^copied 2 run\(s\) from .* to postgres@127\.0\.0\.1:\d+\/m_\d+: 6 host\(s\), 22 step\(s\), 52 event\(s\), 1 audit entry\n$/);
    assert.equal(statSync(file).mtimeMs, mtime, 'the file is not written');
    const source = await openJournal(file, { readOnly: true });
    const target = await openJournal(url, { readOnly: true });
    try {
      const want = await everything(source);
      assert.equal(want.length, 2);
      assert.deepEqual(await everything(target), want);
      assert.deepEqual((await target.unfinishedHosts('20261126-091502-bbbb')).map((h) => h.name), ['build-01', 'build-02', 'win-01']);
    } finally {
      await source.close();
      await target.close();
    }
  });

  test('is idempotent: a second copy skips the runs already there and changes nothing', async () => {
    const url = await freshDb();
    assert.equal(await runCli(['state', 'migrate', '--from', file, '--to', url], capture()), 0);
    const io = capture();
    assert.equal(await runCli(['state', 'migrate', '--from', file, '--to', url, '--json'], io), 0, io.stderr());
    const doc = JSON.parse(io.stdout()) as Record<string, unknown>;
    assert.deepEqual({ ...doc, to: undefined }, { from: file, to: undefined, runs: 0, skipped: 2, hosts: 0, steps: 0, events: 0, audit: 0 });
    const rows = await server.psql(`SELECT (SELECT count(*) FROM runs) || ' ' || (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM audit)`, { database: url.split('/').at(-1) });
    assert.equal(rows.stdout.trim(), '2 52 1');
  });

  test('all or nothing: a copy that fails half-way leaves the server without any of it', async () => {
    const url = await freshDb();
    // the journal exists on the server, and a run there collides with a copied row further down (an event of
    // the second run) only after the first run was inserted
    const store = await openJournal(url);
    await store.close();
    const name = url.split('/').at(-1);
    const boom = await server.psql(`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.run = '20261126-091502-bbbb' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER boom BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION boom();`, { database: name });
    assert.equal(boom.exitCode, 0, boom.stderr);
    const io = capture();
    assert.notEqual(await runCli(['state', 'migrate', '--from', file, '--to', url], io), 0);
    assert.match(io.stderr(), /boom/);
    assert.equal((await server.psql(`SELECT count(*) FROM runs`, { database: name })).stdout.trim(), '0');
  });

  test('refuses a --to that is not a URL, a --from that is not there, and a password in the URL', async () => {
    for (const [args, code] of [
      [['--from', file, '--to', join(dir, 'other.db')], 'BAD_OPTION'],
      [['--from', join(dir, 'missing.db'), '--to', server.url], 'STATE_UNAVAILABLE'],
      [['--from', file, '--to', server.url.replace('postgres@', 'postgres:hunter2@')], 'STATE_URL_PASSWORD'],
    ] as const) {
      const io = capture();
      assert.notEqual(await runCli(['state', 'migrate', ...args], io), 0);
      assert.match(io.stderr(), new RegExp(`error ${code}`));
      assert.doesNotMatch(io.stderr(), /hunter2/);
    }
  });
});
