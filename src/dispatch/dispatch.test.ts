// src/dispatch against a real PostgreSQL server (one per file, a fresh database per test): the enqueue commits or
// rolls back with the caller's transaction, duplicate deliveries are harmless, one lease per host at a time, an
// expired lease can no longer complete (LEASE_LOST), a requeue hands out a higher token and the next attempt, and
// a site's worker only ever sees its site's hosts.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { postgresSkip, startPostgres, type PostgresServer } from '../../test/harness/postgres.ts';
import { GofleetError } from '../errors.ts';
import { openDispatch, type Dispatch, type HostJob, type JobOutcome, type Lease, type WorkOptions } from './index.ts';
import { takeLease } from './lease.ts';

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`still not: ${what}`);
}

/** A promise and its resolve, for a runHost that blocks until the test lets it go. */
function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

describe('dispatch on PostgreSQL', { skip: postgresSkip(), timeout: 120_000 }, () => {
  let server: PostgresServer;
  let n = 0;
  let db = '';
  let dbUrl = '';
  let pool: pg.Pool;
  let dispatch: Dispatch;
  const stops: AbortController[] = [];
  const working: Promise<void>[] = [];

  before(async () => {
    server = await startPostgres();
  });
  after(() => server?.stop());

  beforeEach(async () => {
    db = `t_${++n}`;
    const made = await server.psql(`CREATE DATABASE ${db}`, { database: 'postgres' });
    assert.equal(made.exitCode, 0, made.stderr);
    dbUrl = server.url.replace(/\/gofleet$/, `/${db}`);
    pool = new pg.Pool({ connectionString: dbUrl, max: 12 });
    dispatch = await openDispatch(pool, { where: db });
  });

  afterEach(async () => {
    for (const s of stops.splice(0)) s.abort();
    await Promise.all(working.splice(0));
    await dispatch.stop();
    await pool.end();
    // pool.end() resolves before the sockets have closed: wait for the server to see them go, so stopping it
    // later does not terminate a session mid-close
    await until('the test database has no sessions', async () =>
      (await server.psql(`SELECT count(*) FROM pg_stat_activity WHERE datname = '${db}'`, { database: 'postgres' })).stdout === '0\n');
  });

  /** Start a worker; the test's afterEach stops it. */
  function startWorker(o: Partial<WorkOptions> & Pick<WorkOptions, 'runHost'>): void {
    const stop = new AbortController();
    stops.push(stop);
    working.push(dispatch.work({ site: null, concurrency: 1, worker: 'w', leaseMs: 30_000, pollMs: 50, ...o, signal: stop.signal }));
  }

  const count = async (sql: string, values: unknown[] = []): Promise<number> => Number((await pool.query(sql, values)).rows[0].count);
  const deliveries = (): Promise<number> => count(`SELECT count(*) FROM pgboss.job WHERE name LIKE 'gofleet-hosts%'`);

  test('enqueue: rows and deliveries commit with the caller\'s transaction, or neither does', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const sent = await dispatch.enqueueWave('r1', 1, [{ host: 'a', site: null, payload: { n: 1 } }, { host: 'b', site: 'x', payload: {} }], { client });
      assert.deepEqual(sent, ['a', 'b']);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    assert.equal(await count(`SELECT count(*) FROM host_jobs`), 0);
    assert.equal(await deliveries(), 0, 'a rolled-back transaction sends no job');

    // its own transaction: the queue refusing a delivery after the rows were written takes the rows back
    await pool.query(`CREATE FUNCTION refuse_b() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.data->>'host' = 'b' THEN RAISE EXCEPTION 'queue refuses b'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_b BEFORE INSERT ON pgboss.job FOR EACH ROW EXECUTE FUNCTION refuse_b()`);
    await assert.rejects(dispatch.enqueueWave('r1', 1, [{ host: 'a', site: null, payload: {} }, { host: 'b', site: null, payload: {} }]), /queue refuses b/);
    assert.equal(await count(`SELECT count(*) FROM host_jobs`), 0);
    assert.equal(await deliveries(), 0);
    await pool.query(`DROP TRIGGER refuse_b ON pgboss.job`);

    assert.deepEqual(await dispatch.enqueueWave('r1', 1, [{ host: 'a', site: null, payload: { n: 1 } }, { host: 'b', site: 'x', payload: {} }]), ['a', 'b']);
    assert.equal(await deliveries(), 2);
    assert.deepEqual((await dispatch.waveStatus('r1', ['a', 'b', 'c'])).map((s) => [s.host, s.state, s.attempts]),
      [['a', 'queued', 1], ['b', 'queued', 1], ['c', 'absent', 0]]);
    // queued already: not sent again
    assert.deepEqual(await dispatch.enqueueWave('r1', 1, [{ host: 'a', site: null, payload: {} }]), []);
    assert.equal(await deliveries(), 2);
  });

  test('a duplicate delivery is acked and dropped: the host runs once; a done host is not enqueued again', async () => {
    await dispatch.enqueueWave('r1', 1, [{ host: 'a', site: null, payload: { v: 'go1.27' } }]);
    await pool.query(`INSERT INTO pgboss.job (name, data) SELECT name, data FROM pgboss.job`); // at-least-once: a second copy
    assert.equal(await deliveries(), 2);
    const runs: HostJob[] = [];
    const outcomes: JobOutcome[] = [];
    startWorker({ concurrency: 2, runHost: async (job) => (runs.push(job), 'ok'), onJobEnd: (o) => outcomes.push(o) });
    await until('both deliveries handled', () => outcomes.length === 2);
    assert.deepEqual(runs, [{ run: 'r1', host: 'a', wave: 1, site: null, payload: { v: 'go1.27' } }]);
    assert.deepEqual(outcomes.map((o) => o.ok).sort(), ['skipped', true].sort());
    assert.deepEqual((await dispatch.waveStatus('r1', ['a'])).map((s) => [s.state, s.result]), [['done', 'ok']]);
    assert.deepEqual(await dispatch.enqueueWave('r1', 2, [{ host: 'a', site: null, payload: {} }]), []);
  });

  test('two workers never both hold one host: the lease CAS admits one, and every host runs exactly once', async () => {
    await dispatch.enqueueWave('cas', 1, [{ host: 'h', site: null, payload: {} }]);
    const clients = await Promise.all([pool.connect(), pool.connect()]);
    try {
      const got = await Promise.all(clients.map((c, i) => takeLease(c, 'cas', 'h', `w${i}`, 30_000)));
      assert.equal(got.filter(Boolean).length, 1);
    } finally {
      for (const c of clients) c.release();
    }

    const hosts = Array.from({ length: 16 }, (_, i) => `h${i}`);
    await dispatch.enqueueWave('r1', 1, hosts.map((host) => ({ host, site: null, payload: {} })));
    await pool.query(`INSERT INTO pgboss.job (name, data) SELECT name, data FROM pgboss.job WHERE data->>'run' = 'r1'`);
    const holding = new Map<string, string>();
    const ran: string[] = [];
    const overlaps: string[] = [];
    const runHost = (worker: string) => async (job: HostJob): Promise<string> => {
      if (holding.has(job.host)) overlaps.push(`${job.host}: ${holding.get(job.host)} and ${worker}`);
      holding.set(job.host, worker);
      ran.push(job.host);
      await new Promise((resolve) => setImmediate(resolve));
      holding.delete(job.host);
      return worker;
    };
    startWorker({ worker: 'A', concurrency: 4, runHost: runHost('A') });
    startWorker({ worker: 'B', concurrency: 4, runHost: runHost('B') });
    const reported: string[] = [];
    const status = await dispatch.waitHosts('r1', hosts, { pollMs: 50, onDone: (host, result) => reported.push(`${host}:${String(result)}`) });
    assert.deepEqual(overlaps, []);
    assert.deepEqual(reported.map((r) => r.split(':')[0]).sort(), [...hosts].sort(), 'onDone once per host');
    assert.ok(reported.every((r) => /:(A|B)$/.test(r)));
    assert.deepEqual(ran.sort(), [...hosts].sort());
    assert.ok(status.every((s) => s.state === 'done' && s.attempts === 1));
  });

  test('an expired lease cannot complete: the requeued host goes to the next worker with a higher token and attempt 2', async () => {
    await dispatch.enqueueWave('r1', 1, [{ host: 'a', site: null, payload: {} }]);
    const held = gate<Lease>();
    const release = gate();
    let assertAfter: unknown;
    const outcomes: JobOutcome[] = [];
    // worker A is "paused": no renewal reaches the database while its runHost blocks
    startWorker({
      worker: 'A', leaseMs: 200, renewMs: 3_600_000, onJobEnd: (o) => outcomes.push(o),
      runHost: async (_job, lease) => {
        held.open(lease);
        await release.promise;
        try {
          lease.assertHeld();
        } catch (err) {
          assertAfter = err;
        }
        return 'from A';
      },
    });
    const leaseA = await held.promise;
    assert.equal(leaseA.attempt, 1);
    await until('A\'s lease expired and requeued', async () => (await dispatch.requeueExpired('r1')).includes('a'));
    assert.deepEqual((await dispatch.waveStatus('r1', ['a'])).map((s) => [s.state, s.attempts]), [['queued', 2]]);

    let leaseB: Lease | undefined;
    startWorker({ worker: 'B', runHost: async (_job, lease) => ((leaseB = lease), 'from B') });
    const [done] = await dispatch.waitHosts('r1', ['a'], { pollMs: 50 });
    assert.equal(leaseB?.attempt, 2);
    assert.ok((leaseB?.token ?? 0) > leaseA.token, 'the next worker holds a higher token');
    assert.deepEqual([done?.result, done?.worker, done?.token], ['from B', 'B', leaseB?.token]);

    // a journal write fenced by the lease: inside the writer's transaction, only the current holder holds
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      assert.deepEqual([await leaseA.holds(client), await leaseB?.holds(client)], [false, false], 'B completed: nobody holds it now');
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }

    release.open();
    await until('A finished', () => outcomes.length === 1);
    assert.equal((assertAfter as GofleetError | undefined)?.code, 'LEASE_LOST');
    const a = outcomes[0];
    assert.ok(a && a.ok === false && a.error instanceof GofleetError && a.error.code === 'LEASE_LOST', `A's completion is refused: ${JSON.stringify(a)}`);
    assert.match(a.error.hint, /another worker holds this host now/i);
    assert.deepEqual((await dispatch.waveStatus('r1', ['a'])).map((s) => [s.result, s.token]), [['from B', leaseB?.token]]);
  });

  test('a renewal that finds the lease taken fires lease.lost, and the late result is refused', async () => {
    await dispatch.enqueueWave('r1', 1, [{ host: 'a', site: null, payload: {} }]);
    const outcomes: JobOutcome[] = [];
    const started = gate<Lease>();
    startWorker({
      worker: 'A', leaseMs: 300, onJobEnd: (o) => outcomes.push(o),
      runHost: async (_job, lease) => {
        started.open(lease);
        await new Promise((resolve) => lease.lost.addEventListener('abort', resolve, { once: true }));
        return 'late';
      },
    });
    const lease = await started.promise;
    const client = await pool.connect();
    try {
      assert.equal(await lease.holds(client), true);
    } finally {
      client.release();
    }
    await pool.query(`UPDATE host_jobs SET token = nextval('host_job_tokens') WHERE run = 'r1' AND host = 'a'`); // someone else took it
    await until('A noticed', () => outcomes.length === 1);
    const [o] = outcomes;
    assert.ok(o && o.ok === false && (o.error as GofleetError).code === 'LEASE_LOST');
    assert.deepEqual((await dispatch.waveStatus('r1', ['a'])).map((s) => [s.state, s.result]), [['leased', null]]);
  });

  test('a worker killed with -9 mid-host: its lease runs out, the coordinator requeues, the next worker recovers it', async () => {
    await dispatch.enqueueWave('r1', 1, [{ host: 'a', site: null, payload: {} }]);
    const child = spawn(process.execPath, ['--import', 'tsx', new URL('./testing/worker-process.ts', import.meta.url).pathname, dbUrl, '400'],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
        });
        child.once('exit', (c) => reject(new Error(`worker exited (${c}) before it took the host: ${out}`)));
      });
      assert.match(line, /^leased a \d+ 1$/);
      const [, , childToken] = line.split(' ');
      child.kill('SIGKILL');
      await exited;
      let lease: Lease | undefined;
      startWorker({ worker: 'B', runHost: async (_job, l) => ((lease = l), 'recovered by B') });
      const [done] = await dispatch.waitHosts('r1', ['a'], { pollMs: 50 });
      assert.deepEqual([done?.result, done?.worker, lease?.attempt], ['recovered by B', 'B', 2]);
      assert.ok((lease?.token ?? 0) > Number(childToken));
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('several processes opening a fresh database and creating site queues at once: no install race, no deadlock', async () => {
    // a database nobody opened yet (the dispatch schema and pg-boss's are installed by whoever comes first), and each
    // opener with its own pool, as separate processes would have; pg-boss creates a queue with DDL on its job table
    const fresh = `${db}_fresh`;
    const made = await server.psql(`CREATE DATABASE ${fresh}`, { database: 'postgres' });
    assert.equal(made.exitCode, 0, made.stderr);
    const pools = Array.from({ length: 6 }, () => new pg.Pool({ connectionString: dbUrl.replace(/[^/]+$/, fresh), max: 4 }));
    const count = async (sql: string): Promise<number> => Number((await pools[0]?.query(sql))?.rows[0].count);
    const deliveries = (): Promise<number> => count(`SELECT count(*) FROM pgboss.job WHERE name LIKE 'gofleet-hosts%'`);
    try {
      const opened = await Promise.all(pools.map((p) => openDispatch(p, { where: fresh, supervise: false })));
      const sites = ['s1', 's2', 's3', 's4', 's5', 's6'];
      await Promise.all(opened.map((d, i) => d.enqueueWave(`r${i}`, 1, sites.map((site) => ({ host: `h-${site}`, site, payload: {} })))));
      await Promise.all(opened.map((d) => d.stop()));
      assert.equal(await count(`SELECT count(*) FROM host_jobs`), 36);
      assert.equal(await deliveries(), 36);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  test('a queued host whose delivery is gone is sent again by requeueExpired; one with a live delivery is not', async () => {
    await dispatch.enqueueWave('r1', 1, [{ host: 'a', site: 'x', payload: {} }, { host: 'b', site: null, payload: {} }]);
    await pool.query(`DELETE FROM pgboss.job WHERE data->>'host' = 'a'`); // lost: e.g. retries used up by dying workers
    await pool.query(`UPDATE host_jobs SET queued_at = queued_at - 60000`);
    assert.deepEqual(await dispatch.requeueExpired('r1'), ['a']);
    assert.equal(await deliveries(), 2);
    assert.deepEqual(await dispatch.requeueExpired('r1'), [], 'sent once');
    let attempt = 0;
    startWorker({ site: 'x', runHost: async (_job, lease) => ((attempt = lease.attempt), 'ok') });
    await dispatch.waitHosts('r1', ['a'], { pollMs: 50 });
    assert.equal(attempt, 1, 'no worker had started it');
  });

  test('site routing: a site\'s worker takes only its site\'s hosts, a worker without a site only hosts without one', async () => {
    await dispatch.enqueueWave('r1', 1, [
      { host: 'in-a', site: 'a', payload: {} },
      { host: 'in-b', site: 'b', payload: {} },
      { host: 'none', site: null, payload: {} },
      { host: 'in-a2', site: 'a', payload: {} },
    ]);
    const ranBy: string[] = [];
    startWorker({ worker: 'site-a', site: 'a', concurrency: 2, runHost: async (job) => (ranBy.push(`${job.host}@site-a`), 'a') });
    startWorker({ worker: 'no-site', site: null, concurrency: 2, runHost: async (job) => (ranBy.push(`${job.host}@no-site`), 'none') });
    await dispatch.waitHosts('r1', ['in-a', 'in-a2', 'none'], { pollMs: 50 });
    assert.deepEqual(ranBy.sort(), ['in-a2@site-a', 'in-a@site-a', 'none@no-site']);
    assert.deepEqual((await dispatch.waveStatus('r1', ['in-b'])).map((s) => s.state), ['queued']);
    assert.equal(await count(`SELECT count(*) FROM pgboss.job WHERE name = 'gofleet-hosts.site.b' AND state = 'created'`), 1);
  });

  test('work refuses a concurrency below 1 or a lease of no length', async () => {
    const signal = new AbortController().signal;
    const base = { site: null, worker: 'w', signal, runHost: async () => null };
    await assert.rejects(dispatch.work({ ...base, concurrency: 0, leaseMs: 1000 }), { code: 'BAD_OPTION' });
    await assert.rejects(dispatch.work({ ...base, concurrency: 1, leaseMs: 0 }), { code: 'BAD_OPTION' });
  });

  test('a runHost that throws gives the lease up: requeued at once, the next worker recovers it as attempt 2', async () => {
    await dispatch.enqueueWave('r1', 1, [{ host: 'a', site: null, payload: {} }]);
    const attempts: number[] = [];
    const outcomes: JobOutcome[] = [];
    startWorker({
      leaseMs: 3_600_000, onJobEnd: (o) => outcomes.push(o),
      runHost: async (_job, lease) => {
        attempts.push(lease.attempt);
        if (lease.attempt === 1) throw new Error('connection reset');
        return 'recovered';
      },
    });
    await until('the first attempt ended', () => outcomes.length === 1);
    assert.match(String((outcomes[0] as { error?: unknown }).error), /connection reset/);
    assert.deepEqual(await dispatch.requeueExpired('r1'), ['a'], 'given up, not left to run out its hour');
    const [done] = await dispatch.waitHosts('r1', ['a'], { pollMs: 50 });
    assert.deepEqual(attempts, [1, 2]);
    assert.equal(done?.result, 'recovered');
  });
});
