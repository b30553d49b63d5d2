// What only the journal on PostgreSQL has to say when it is opened (the shared behaviour is store-contract.test.ts):
// a read-only server (a hot standby) is refused before any run starts, a newer schema is refused, a server that
// is not there is STATE_UNAVAILABLE; every message names the server as user@host:port/database.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../../errors.ts';
import { freePort } from '../../../test/harness/sshd.ts';
import { postgresSkip, startPostgres, type PostgresServer } from '../../../test/harness/postgres.ts';
import { openJournal } from '../open-journal.ts';
import { openPgStore, type PgStore } from './pg-store.ts';

const skip = postgresSkip();
if (skip) console.log(`# skipping the PostgreSQL journal opening tests: ${skip}`);

const refused = (code: string, message: RegExp) => (err: unknown): boolean => {
  assert.ok(err instanceof GofleetError, String(err));
  assert.equal(err.code, code, err.message);
  assert.match(err.message, message);
  return true;
};

describe('opening the journal on PostgreSQL', { skip }, () => {
  let pg: PostgresServer;
  let n = 0;
  const fresh = async (): Promise<{ url: string; name: string }> => {
    const name = `o_${++n}`;
    assert.equal((await pg.psql(`CREATE DATABASE ${name}`, { via: 'socket', database: 'postgres' })).exitCode, 0);
    return { url: pg.url.replace(/\/[^/]*$/, `/${name}`), name };
  };
  before(async () => {
    pg = await startPostgres();
  });
  after(() => pg?.stop());

  test('a read-only database (a hot standby) is refused for writing before anything is written; reading works', async () => {
    const { url, name } = await fresh();
    await (await openPgStore(url)).close();
    assert.equal((await pg.psql(`ALTER DATABASE ${name} SET default_transaction_read_only = on`, { database: name })).exitCode, 0);
    await assert.rejects(openPgStore(url), refused('STATE_UNAVAILABLE', new RegExp(`^postgres@127\\.0\\.0\\.1:${pg.port}/${name}: the database is read-only`)));
    const reader = await openPgStore(url, { readOnly: true });
    assert.deepEqual(await reader.listRuns(), []);
    await reader.close();
  });

  test('a journal schema newer than this gofleet is refused, for writing and for reading', async () => {
    const { url, name } = await fresh();
    await (await openPgStore(url)).close();
    assert.equal((await pg.psql(`UPDATE gofleet_schema SET version = 99 WHERE component = 'journal'`, { database: name })).exitCode, 0);
    await assert.rejects(openPgStore(url), refused('STATE_TOO_NEW', /version 99/));
    await assert.rejects(openPgStore(url, { readOnly: true }), refused('STATE_TOO_NEW', /version 99/));
  });

  test('a server that is not there is STATE_UNAVAILABLE, named without credentials', async () => {
    const port = await freePort();
    await assert.rejects(openPgStore(`postgres://ops@127.0.0.1:${port}/fleet`), refused('STATE_UNAVAILABLE', new RegExp(`^ops@127\\.0\\.0\\.1:${port}/fleet: cannot open the run journal on PostgreSQL`)));
  });

  test('openJournal sizes the pool as asked (a worker: its --concurrency + 2), else 10', { timeout: 60_000 }, async () => {
    const { url } = await fresh();
    const [sized, plain] = (await Promise.all([openJournal(url, { maxConnections: 34 }), openJournal(url)])) as PgStore[];
    assert.deepEqual([sized?.pool.options.max, plain?.pool.options.max], [34, 10]);
    await Promise.all([sized?.close(), plain?.close()]);
  });

  test('the pool hands BIGINT times back as numbers and the schema is migrated once', async () => {
    const { url, name } = await fresh();
    const [a, b] = await Promise.all([openPgStore(url), openPgStore(url)]);
    const row = (await a.pool.query<{ v: unknown }>(`SELECT 1777000000000::bigint AS v`)).rows[0];
    assert.equal(row?.v, 1_777_000_000_000);
    await Promise.all([a.close(), b.close()]);
    assert.equal((await pg.psql(`SELECT version FROM gofleet_schema WHERE component = 'journal'`, { database: name })).stdout.trim(), '1');
  });

  test('a server that goes away: each queued event fails through onError once, without a connection attempt each', async () => {
    const { url, name } = await fresh();
    const store = await openPgStore(url);
    const errors: Error[] = [];
    const sink = store.recorder({ run: 'r1', argv: [], command: 'upgrade', policy: {} }, { onError: (e) => errors.push(e) });
    sink({ kind: 'run-start', run: 'r1', command: 'upgrade', target: null, hosts: ['a'], at: 1 });
    await store.flush();
    const gone = await pg.psql(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false;
      SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${name}';`, { via: 'socket', database: 'postgres' });
    assert.equal(gone.exitCode, 0, gone.stderr);
    // the pool drops its terminated idle connection when it hears of it
    while (store.pool.idleCount > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    let connects = 0;
    const connect = store.pool.connect.bind(store.pool) as () => Promise<unknown>;
    Object.assign(store.pool, { connect: () => (connects++, connect()) });
    for (let i = 0; i < 20; i++) sink({ kind: 'host-step', run: 'r1', host: 'a', step: 'connect', status: i % 2 ? 'ok' : 'start', at: 2 + i });
    await store.flush();
    assert.equal(errors.length, 20);
    assert.match(errors[0]?.message ?? '', /not currently accepting connections/);
    assert.equal(connects, 1, 'one attempt for the whole queue');
    await store.close().catch(() => undefined);
  });
});
