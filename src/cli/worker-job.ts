// One host job on a worker (issue 14): the coordinator's command line run in-process for that one host, through
// the same code path as the local engine (runCli → createRuntime → runFleet → the per-host operation). The job
// names its host (a HostSpec with secret references only; the worker resolves them from its own environment), the
// run it belongs to, and the lease's fencing token, which the host lock records. A host an earlier worker had
// started (its steps are in the journal) runs as a resume of that host: engine/resume-host.ts re-probes it and
// recovers its outcome, never switching it again blindly.

import { isAbsolute } from 'node:path';
import { GofleetError, asGofleetError } from '../errors.ts';
import type { HostResult } from '../engine/events.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { Store } from '../store/index.ts';
import type { CliIo } from './io.ts';
import { absoluteArgv, absoluteHost } from './job-paths.ts';
import type { RunHooks, RuntimeResume } from './runtime.ts';
import type { PriorWork } from './worker-prior.ts';

/**
 * What the coordinator puts in each host's job. Its local paths are absolute (job-paths.ts): the worker runs it
 * from whatever directory it is in, and never changes directory.
 */
export interface WorkerPayload {
  /** the coordinator's command line, cleaned for a worker (workers-fleet.ts workerArgv), its paths absolute */
  argv: string[];
  host: HostSpec;
}

/** The job and lease fields a host run needs (src/dispatch HostJob and Lease). */
export interface JobOf {
  run: string;
  host: string;
  payload: unknown;
}
export interface LeaseOf {
  readonly token: number;
  readonly attempt: number;
  readonly lost: AbortSignal;
  /** throws LEASE_LOST once the lease is no longer held (lost, or past its local end) */
  assertHeld?(): void;
}

export interface WorkerJobDeps {
  /** runCli, in-process */
  runCli(argv: string[], io: CliIo, resume: RuntimeResume | undefined, hooks: RunHooks): Promise<number>;
  /** what the journal holds of this host in this run so far (worker-prior.ts) */
  priorOf(run: string, host: string): Promise<PriorWork>;
  /** the worker's own --state (the journal and queue it was started with) */
  state: string;
  /** the worker's open journal on that --state, lent to each job (RunHooks.journal) */
  journal?: Store;
  /** where the job's command writes; a worker keeps it to report a command that could not run */
  io?: CliIo;
  now?: () => number;
}

/**
 * Check the payload a queue delivered: WORKER_JOB_FAILED when it is not one the coordinator writes. A job from an
 * earlier coordinator carries its directory (`cwd`) and relative paths: they are made absolute against it here, as
 * that coordinator meant them, rather than by changing this process's directory.
 */
export function parsePayload(job: JobOf): WorkerPayload {
  const p = job.payload as (Partial<WorkerPayload> & { cwd?: unknown }) | null;
  const ok =
    typeof p === 'object' && p !== null && Array.isArray(p.argv) && p.argv.every((a) => typeof a === 'string') &&
    (p.cwd === undefined || (typeof p.cwd === 'string' && isAbsolute(p.cwd))) &&
    typeof p.host === 'object' && p.host !== null && p.host.name === job.host;
  if (!ok) throw new GofleetError('WORKER_JOB_FAILED', `run ${job.run}, host ${job.host}: the job's payload is not a gofleet host job`, { host: job.host });
  const { argv, host } = p as WorkerPayload;
  return typeof p.cwd === 'string' ? { argv: absoluteArgv(argv, p.cwd), host: absoluteHost(host, p.cwd) } : { argv, host };
}

/** The command line a worker runs for one host: the coordinator's, narrowed to the host, unattended, on its journal. */
export function jobArgv(payload: WorkerPayload, state: string): string[] {
  return [...payload.argv, '--limit', payload.host.name, '--yes', '--state', state];
}

/** Run one host job; resolves to the host's result (a command that could not run: the host failed, untouched). */
export async function runWorkerJob(job: JobOf, lease: LeaseOf, deps: WorkerJobDeps): Promise<HostResult> {
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const payload = parsePayload(job);
  let result: HostResult | undefined;
  let said = '';
  const io: CliIo = deps.io ?? { out: () => undefined, err: (t) => void (said += t), stdoutTty: false, stderrTty: false };
  const hooks: RunHooks = {
    hosts: [payload.host],
    run: job.run,
    journalHostsOnly: true,
    fence: { token: lease.token },
    // a lost lease acts as a first Ctrl-C: the host is not started if it has not been
    signal: lease.lost,
    ...(deps.journal ? { journal: fencedJournal(deps.journal, lease) } : {}),
    sink: (e) => {
      if (e.kind === 'host-done' && e.result.name === job.host) result = stripWave(e.result);
    },
  };
  let code: number;
  try {
    const prior = await deps.priorOf(job.run, job.host);
    if (prior.kind === 'final') return prior.result;
    code = await deps.runCli(jobArgv(payload, deps.state), io, prior.kind === 'resume' ? prior.resume : undefined, hooks);
  } catch (err) {
    said += asGofleetError(err).message;
    code = -1;
  }
  if (result) return handBackUnstarted(result);
  const why = lastErrorLine(said) ?? `the command ended with exit code ${code} before the host was started`;
  const error = { code: 'WORKER_JOB_FAILED' as const, message: `${job.host}: not started on this worker: ${why}`, hint: new GofleetError('WORKER_JOB_FAILED', '').hint ?? '' };
  return { name: job.host, status: 'failed', from: null, to: null, error, warnings: [], startedAt, durationMs: now() - startedAt, steps: [] };
}

/**
 * A host this worker did not start because it was stopping (Ctrl-C) or lost the lease: the job is given back
 * (a throw releases the lease) for another worker, instead of completing the host as skipped.
 */
function handBackUnstarted(result: HostResult): HostResult {
  if (result.status !== 'skipped' || result.error?.code !== 'INTERRUPTED') return result;
  throw new GofleetError('INTERRUPTED', `${result.name}: not started on this worker (it is stopping, or lost the lease); the job goes back to the queue`, { host: result.name });
}

/**
 * The worker's journal as this job sees it: once the lease is no longer held, the job's events are dropped, so a
 * worker that was paused past its lease (the host now another worker's) never overwrites that worker's steps and
 * result for the host. What it did is in its own output (commands/worker.ts).
 */
function fencedJournal(store: Store, lease: LeaseOf): Store {
  const held = (): boolean => {
    try {
      lease.assertHeld?.();
      return !lease.lost.aborted;
    } catch {
      return false;
    }
  };
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (key === 'recorder') {
        return (...args: Parameters<Store['recorder']>) => {
          const sink = target.recorder(...args);
          return (e: Parameters<typeof sink>[0]) => (held() ? sink(e) : undefined);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The worker's runFleet adds its own wave (1); the coordinator's is the one that counts. */
function stripWave(r: HostResult): HostResult {
  const { wave: _wave, ...rest } = r as HostResult & { wave?: number };
  return rest;
}

/** The `gofleet: error CODE: message` line a command printed, without the prefix. */
function lastErrorLine(text: string): string | undefined {
  const lines = text.split('\n').filter((l) => l.startsWith('gofleet: error '));
  return lines.at(-1)?.replace(/^gofleet: error /, '');
}
