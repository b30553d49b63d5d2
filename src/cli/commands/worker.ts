// gofleet worker --state postgres://… [--concurrency N] [--site NAME] [--lease SECONDS] (issue 14): takes the
// per-host jobs that `upgrade|use|rollback --workers` coordinators enqueue, and runs each through the same code as
// the local engine (../worker-job.ts), reporting its steps into the shared journal. SIGTERM or Ctrl-C: no new job
// is taken; jobs in flight finish (a second Ctrl-C aborts them as it does for any run), then it exits 0.

import { hostname } from 'node:os';
import { GofleetError } from '../../errors.ts';
import { isSiteName } from '../../inventory/check-site.ts';
import { isPostgresUrl, openJournal } from '../../store/index.ts';
import { openDispatchOn } from '../dispatch-port.ts';
import { EXIT } from '../exit-code.ts';
import type { CliIo } from '../io.ts';
import { runWorkerJob, type WorkerJobDeps } from '../worker-job.ts';
import { priorWork } from '../worker-prior.ts';

export interface WorkerOptions {
  state: string;
  concurrency: number;
  site: string | null;
  leaseMs: number;
}

/** --state must name the shared PostgreSQL journal; --site a name an inventory could give. */
export function checkWorkerOptions(options: WorkerOptions): void {
  if (!isPostgresUrl(options.state)) {
    throw new GofleetError('WORKERS_NEED_POSTGRES', `gofleet worker: --state must be a postgres:// URL (the coordinators' journal and queue), got "${options.state}"`);
  }
  if (options.site !== null && !isSiteName(options.site)) {
    throw new GofleetError('BAD_OPTION', `--site "${options.site}": letters, digits, _ and - only, as the inventory's site: names`);
  }
}

export async function workerCommand(io: CliIo, options: WorkerOptions, runCli: WorkerJobDeps['runCli']): Promise<number> {
  checkWorkerOptions(options);
  // a lease transaction per job in hand, the renewals and the queue's fetch: --concurrency + 2 connections
  const store = await openJournal(options.state, { maxConnections: Math.max(10, options.concurrency + 2) });
  const stop = new AbortController();
  const onSignal = (): void => {
    if (stop.signal.aborted) return;
    io.err('worker: stopping: no new jobs; jobs in flight finish.\n');
    stop.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // each job's runtime listens for Ctrl-C too (a second one aborts the hosts in flight)
  process.setMaxListeners(Math.max(process.getMaxListeners(), options.concurrency * 2 + 10));
  try {
    const dispatch = await openDispatchOn(store);
    const name = `${hostname()}:${process.pid}`;
    io.err(`worker ${name}: taking ${options.site === null ? 'hosts without a site' : `hosts of site ${options.site}`}, ${options.concurrency} at once\n`);
    const deps: WorkerJobDeps = {
      runCli,
      state: options.state,
      journal: store,
      priorOf: async (run, host) => priorWork(await store.getRun(run), host),
      // the journal refused the job's writes (another worker took the host): what the host said is only here
      notJournaled: (job, result, writes) => {
        const said = result.error ? `: ${result.error.code}: ${result.error.message}` : '';
        io.err(`worker: run ${job.run}: ${job.host}: the lease was lost; this worker's result (not journaled): ${result.status}${said} (${writes} journal write(s) refused)\n`);
      },
    };
    try {
      await dispatch.work({
        site: options.site,
        concurrency: options.concurrency,
        worker: name,
        leaseMs: options.leaseMs,
        signal: stop.signal,
        runHost: async (job, lease) => {
          io.err(`worker: run ${job.run}: ${job.host}: started${lease.attempt > 1 ? ` (attempt ${lease.attempt}: recovering)` : ''}\n`);
          // the journal has the steps; the job completes only while this worker still holds the lease (completion
          // and every journal write are fenced by its token)
          return runWorkerJob(job, lease, deps);
        },
        onJobEnd: (o) => {
          const what = o.ok === 'skipped' ? 'already taken or done, skipped' : o.ok ? (o.result as { status?: string }).status ?? 'done' : `not completed: ${String((o.error as Error | undefined)?.message ?? o.error)}`;
          io.err(`worker: run ${o.run}: ${o.host}: ${what}\n`);
        },
      });
    } finally {
      await dispatch.stop();
    }
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await store.close();
  }
  return EXIT.ok;
}
