// A --workers coordinator holds one connection pool on PostgreSQL (issue 14): the dispatch is opened on the journal
// the runtime opened, not on a second journal of its own, and closing the coordinator's fleet leaves that journal
// to the runtime (its dispose writes the run's last events, then closes it). Real PostgreSQL, real dispatch.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresSkip, startPostgres, type PostgresServer } from '../../test/harness/postgres.ts';
import { openJournal, type Store } from '../store/index.ts';
import { openDispatchOn } from './dispatch-port.ts';
import type { Runtime } from './runtime.ts';
import { workersFleet } from './workers-fleet.ts';

const skip = postgresSkip();
if (skip) console.log(`# skipping the --workers pool test: ${skip}`);

describe('a --workers coordinator on PostgreSQL', { skip, timeout: 120_000 }, () => {
  let server: PostgresServer;
  before(async () => {
    server = await startPostgres();
  });
  after(() => server?.stop());

  test("opens its dispatch on the runtime's journal (one pool) and closes only the dispatch", async () => {
    const made = await server.psql('CREATE DATABASE coord', { database: 'postgres' });
    assert.equal(made.exitCode, 0, made.stderr);
    const url = server.url.replace(/\/[^/]*$/, '/coord');
    const opened: Store[] = [];
    const rt = {
      options: { state: url, journal: true },
      hosts: [],
      argv: ['use', 'go1.2.3', '--workers'],
      openJournal: async () => {
        const store = await openJournal(url);
        opened.push(store);
        return store;
      },
    } as unknown as Pick<Runtime, 'options' | 'hosts' | 'argv' | 'openJournal'>;
    const given: Store[] = [];
    const fleet = await workersFleet(rt, { openDispatch: (store) => (given.push(store), openDispatchOn(store)) });
    try {
      assert.equal(opened.length, 1, 'the runtime opened the journal once');
      assert.equal(given.length, 1);
      assert.equal(given[0], opened[0], "the dispatch is on the runtime's journal, not on a second one");
    } finally {
      await fleet.close();
    }
    // the journal is still the runtime's to use (its dispose closes it)
    assert.deepEqual(await opened[0]?.listRuns(), []);
    await opened[0]?.close();
  });
});
