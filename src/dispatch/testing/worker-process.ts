// A worker in a process of its own, for the crash test (dispatch.test.ts): serves the no-site queue with one slot and
// a runHost that never returns, printing `leased <host> <token> <attempt>` once it holds a lease, so the test can
// kill -9 it mid-host.
//
//   node --import tsx src/dispatch/testing/worker-process.ts URL LEASE_MS

import pg from 'pg';
import { openDispatch } from '../index.ts';

const [url, leaseMs] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 4 });
const dispatch = await openDispatch(pool, { where: 'worker-process', supervise: false });
await dispatch.work({
  site: null,
  concurrency: 1,
  worker: `pid-${process.pid}`,
  leaseMs: Number(leaseMs),
  pollMs: 50,
  signal: new AbortController().signal,
  runHost: (job, lease) => {
    process.stdout.write(`leased ${job.host} ${lease.token} ${lease.attempt}\n`);
    return new Promise(() => undefined);
  },
});
