// A worker's journal writes fenced by its lease, checked by PostgreSQL inside each write's own transaction (issue 14):
// once another worker has taken the host (the host_jobs row carries a newer token), nothing the earlier holder
// still has queued or emits lands in the journal, while the new holder's writes do. Real PostgreSQL (one server for
// the file, a fresh database per test), the dispatch's own lease CAS (src/dispatch/lease.ts) and the journal's
// recorder; the second test goes through the real command path of a worker's job (runWorkerJob -> runCli ->
// runtime -> pg-recorder).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import { postgresSkip, startPostgres, type PostgresServer } from '../../test/harness/postgres.ts';
import { freePort } from '../../test/harness/sshd.ts';
import { heldLease, takeLease } from '../dispatch/lease.ts';
import { DISPATCH_COMPONENT, DISPATCH_MIGRATIONS } from '../dispatch/schema.ts';
import type { EngineEvent, HostResult } from '../engine/events.ts';
import type { HostSpec } from '../inventory/types.ts';
import { migratePg } from '../store/pg/pg-migrate.ts';
import { openPgStore, type PgStore } from '../store/pg/pg-store.ts';
import type { WriteGuard } from '../store/index.ts';
import { runCli } from './program.ts';
import { runWorkerJob, type WorkerJobDeps } from './worker-job.ts';

const skip = postgresSkip();
if (skip) console.log(`# skipping the lease-fenced journal tests: ${skip}`);

const RUN = 'R-fence';

describe("a worker's journal writes are fenced by its lease, in the write's own transaction", { skip, timeout: 120_000 }, () => {
  let server: PostgresServer;
  let n = 0;
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-worker-fence-'));
  const stores: PgStore[] = [];
  before(async () => {
    // run logs of a command on a postgres:// journal go to the local default state dir: this test's own
    process.env.XDG_STATE_HOME = dir;
    server = await startPostgres();
  });
  after(async () => {
    for (const s of stores) await s.close().catch(() => undefined);
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh database with the journal and the dispatch tables, host h1 of RUN queued. */
  const fresh = async (): Promise<PgStore> => {
    const name = `f_${++n}`;
    const made = await server.psql(`CREATE DATABASE ${name}`, { database: 'postgres' });
    assert.equal(made.exitCode, 0, made.stderr);
    const store = await openPgStore(server.url.replace(/\/[^/]*$/, `/${name}`));
    stores.push(store);
    await withClient(store.pool, async (c) => {
      await migratePg(c, DISPATCH_COMPONENT, DISPATCH_MIGRATIONS, name);
      await c.query(`INSERT INTO host_jobs (run, host, wave, state, payload, queued_at) VALUES ($1, 'h1', 1, 'queued', '{}', 0)`, [RUN]);
    });
    return store;
  };

  /** The lease on h1 for `worker`: a queued row, or (another worker taking the host over) one whose lease ran out. */
  const lease = async (store: PgStore, worker: string) => {
    const taken = await withClient(store.pool, async (c) => {
      await c.query(`UPDATE host_jobs SET lease_until = 0 WHERE run = $1 AND host = 'h1' AND state = 'leased'`, [RUN]);
      return takeLease(c, RUN, 'h1', worker, 60_000);
    });
    assert.ok(taken, `${worker} takes the lease`);
    return heldLease(taken, worker, Date.now() + 60_000);
  };

  const counted = (l: { holds: WriteGuard['holds'] }): WriteGuard & { count: number } => {
    const g = { count: 0, holds: (c: pg.ClientBase) => l.holds(c), refused: () => void g.count++ };
    return g;
  };

  test("after a takeover the old holder's writes are rolled back and counted; the new holder's land", async () => {
    const store = await fresh();
    const meta = { run: RUN, argv: ['use', 'go1.2.3'], command: 'use', policy: {} };
    const step = (message: string, at: number): EngineEvent => ({ kind: 'host-step', run: RUN, host: 'h1', step: 'connect', status: 'ok', message, at });
    const result = (status: HostResult['status'], at: number, ...messages: string[]): EngineEvent => ({
      kind: 'host-done', run: RUN, at,
      result: { name: 'h1', status, from: 'go1.2.2', to: 'go1.2.3', error: null, warnings: [], startedAt: 1, durationMs: 2, steps: messages.map((message) => ({ step: 'connect', status: 'ok', startedAt: 1, endedAt: 2, message })) },
    });

    const leaseA = await lease(store, 'A');
    const guardA = counted(leaseA);
    const recordA = store.recorder(meta, { hostsOnly: true, guard: guardA });
    recordA(step('A before the takeover', 10));
    await store.flush();

    // A pauses; its lease runs out and B takes the host: the row's token is B's now
    const leaseB = await lease(store, 'B');
    assert.ok(leaseB.token > leaseA.token);
    const guardB = counted(leaseB);
    const recordB = store.recorder(meta, { hostsOnly: true, guard: guardB });
    // A goes on, not knowing (its own clock still says held): its writes reach the server, which refuses them
    assert.doesNotThrow(() => leaseA.assertHeld());
    recordA(step('A after the takeover', 20));
    recordB(step('B', 30));
    recordA(result('switched', 40, 'A before the takeover', 'A after the takeover'));
    recordB(result('upgraded', 50, 'B'));
    await store.flush();

    assert.deepEqual([guardA.count, guardB.count], [2, 0], 'two writes of A refused, none of B');
    const events = await store.runEvents(RUN);
    assert.deepEqual(events.map((e) => [e.kind, e.payload.message ?? (e.payload.result as HostResult).status]), [['host-step', 'A before the takeover'], ['host-step', 'B'], ['host-done', 'upgraded']],
      'the event log holds no write of A after the takeover');
    const run = await store.getRun(RUN);
    assert.deepEqual(run?.hosts.map((h) => [h.name, h.status, h.steps.map((s) => s.message)]), [['h1', 'upgraded', ['B']]], "the host's result and steps are B's");
  });

  test("through a worker's job: the journal refuses the old holder's run of the host, the job ends LEASE_LOST, the new holder's run is journaled", async () => {
    const store = await fresh();
    const port = await freePort();
    const host: HostSpec = { name: 'h1', address: '127.0.0.1', port, transport: 'ssh', knownHosts: join(dir, 'known_hosts'), become: false, tags: [], groups: [], vars: {}, source: { file: 'fleet.yml' } };
    const job = { run: RUN, host: 'h1', payload: { argv: ['use', 'go1.2.3', '-i', join(dir, 'absent.yml'), '--connect-timeout', '2'], cwd: dir, host } };
    const seen: Record<string, EngineEvent[]> = { A: [], B: [] };
    const deps = (worker: 'A' | 'B', beforeRun: () => Promise<void>, said: string[]): WorkerJobDeps => ({
      state: store.url,
      journal: store,
      priorOf: async () => (await beforeRun(), { kind: 'run' }),
      runCli: (argv, io, resume, hooks) => runCli(argv, io, resume, { ...hooks, sink: (e) => (seen[worker]?.push(e), hooks.sink?.(e)) }),
      notJournaled: (_job, result, writes) => void said.push(`${result.status} ${writes}`),
    });

    const leaseA = await lease(store, 'A');
    let leaseB: Awaited<ReturnType<typeof lease>> | undefined;
    const saidA: string[] = [];
    // A took the job; before its command runs, B takes the host over (A was paused past its lease)
    await assert.rejects(
      runWorkerJob(job, leaseA, deps('A', async () => void (leaseB = await lease(store, 'B')), saidA)),
      (err: Error & { code?: string }) => err.code === 'LEASE_LOST' && /the journal refused \d+ write\(s\) of this worker/.test(err.message),
    );
    const hostEventsA = seen.A?.filter((e) => e.kind.startsWith('host-')).length ?? 0;
    assert.ok(hostEventsA >= 2, 'A did run the host (and emitted its steps and result)');
    // every host event of A and its run row (begin) were refused, and the worker was told what A's host said
    assert.deepEqual(saidA, [`unreachable ${hostEventsA + 1}`]);
    assert.equal(await store.getRun(RUN), null, 'nothing of A is in the journal');

    assert.ok(leaseB);
    const r = await runWorkerJob(job, leaseB, deps('B', async () => undefined, []));
    assert.equal(r.status, 'unreachable');
    const run = await store.getRun(RUN);
    assert.deepEqual(run?.hosts.map((h) => [h.name, h.status]), [['h1', 'unreachable']]);
    assert.equal((await store.runEvents(RUN)).length, seen.B?.filter((e) => e.kind.startsWith('host-')).length, "the event log holds B's host events, and only those");
  });
});

async function withClient<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    return await fn(c);
  } finally {
    c.release();
  }
}
