// Dispatch benchmark (issue 14): what the queue and the leases cost per host, without any host work. Enqueue N jobs
// (one wave, one transaction), drain them with W in-process workers (no-op runHost), and report wall time and the
// per-job overhead (enqueue, then fetch + lease + fenced completion). A real PostgreSQL server from the test
// harness, a fresh one per run.
//
//   node --import tsx bench/dispatch.bench.ts --jobs 1000 --workers 1,2,4 --concurrency 8
//
// Figures go to stdout as a markdown table. This is not a test: nothing here asserts a timing. The workers share
// one process (and one pool), so this measures the database and the dispatch code, not process fan-out.

import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDispatch, type Dispatch } from '../src/dispatch/index.ts';
import { startPostgres } from '../test/harness/postgres.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '1,2,4' },
    concurrency: { type: 'string', default: '8' },
  },
});

interface Figures {
  jobs: number;
  workers: number;
  enqueueMs: number;
  drainMs: number;
}

/** Enqueue `jobs` hosts and drain them with `workers` workers of `concurrency` slots each. */
export async function benchDispatch(dispatch: Dispatch, run: string, jobs: number, workers: number, concurrency: number): Promise<Figures> {
  const hosts = Array.from({ length: jobs }, (_, i) => `h${i}`);
  const t0 = performance.now();
  await dispatch.enqueueWave(run, 1, hosts.map((host) => ({ host, site: null, payload: { host } })));
  const t1 = performance.now();
  const stop = new AbortController();
  const working = Array.from({ length: workers }, (_, i) =>
    dispatch.work({ site: null, concurrency, worker: `w${i}`, leaseMs: 60_000, pollMs: 20, signal: stop.signal, runHost: async () => null }));
  await dispatch.waitHosts(run, hosts, { pollMs: 20 });
  const t2 = performance.now();
  stop.abort();
  await Promise.all(working);
  return { jobs, workers, enqueueMs: t1 - t0, drainMs: t2 - t1 };
}

async function main(): Promise<void> {
  const jobs = Number(values.jobs);
  const concurrency = Number(values.concurrency);
  // drain µs/job is wall time over all slots (1 / throughput); ms/job a slot is what one job costs the slot running it
  console.log(`| jobs | workers x slots | enqueue ms | enqueue µs/job | drain ms | drain µs/job | ms/job a slot | jobs/s |`);
  console.log(`|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const workers of values.workers.split(',').map(Number)) {
    const server = await startPostgres({ settings: { max_connections: '200' } });
    const pool = new pg.Pool({ connectionString: server.url, max: workers * concurrency + 4 });
    pool.on('error', () => undefined); // a session still closing when the server stops is no finding
    const dispatch = await openDispatch(pool, { where: 'bench', supervise: false });
    try {
      const f = await benchDispatch(dispatch, `bench-${workers}`, jobs, workers, concurrency);
      const us = (ms: number): string => ((ms * 1000) / f.jobs).toFixed(0);
      console.log(`| ${f.jobs} | ${f.workers} x ${concurrency} | ${f.enqueueMs.toFixed(0)} | ${us(f.enqueueMs)} | ${f.drainMs.toFixed(0)} | ${us(f.drainMs)} | ${((f.drainMs * workers * concurrency) / f.jobs).toFixed(1)} | ${((f.jobs * 1000) / f.drainMs).toFixed(0)} |`);
    } finally {
      await dispatch.stop();
      await pool.end();
      await server.stop();
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
