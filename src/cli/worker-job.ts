// One host job on a worker (issue 14): the coordinator's command line run in-process for that one host, through
// the same code path as the local engine (runCli → createRuntime → runFleet → the per-host operation). The job
// names its host (a HostSpec with secret references only; the worker resolves them from its own environment), the
// run it belongs to, and the lease's fencing token, which the host lock records. A host an earlier worker had
// started (its steps are in the journal) runs as a resume of that host: engine/resume-host.ts re-probes it and
// recovers its outcome, never switching it again blindly. The job's journal writes are fenced by its lease: the
// server checks, inside each write's own transaction, that the lease's row still carries this job's token
// (RunHooks.journalGuard), so a worker paused past its lease never overwrites the steps and result of the worker
// that took the host over; the job then ends LEASE_LOST and what its host said is only in the worker's output.

import { isAbsolute } from 'node:path';
import { GofleetError, asGofleetError } from '../errors.ts';
import type { HostResult } from '../engine/events.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { ClientBase } from 'pg';
import type { Store, WriteGuard } from '../store/index.ts';
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
  /** inside a journal write's transaction: whether the lease is still held, its row locked until the write commits
   * (src/dispatch Lease.holds); without it the job's writes are not fenced (a journal that is not shared) */
  holds?(client: ClientBase): Promise<boolean>;
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
  /** the journal refused `writes` of the job's writes (another worker holds the host now): `result` is this worker's
   * alone, journaled nowhere; the job then throws LEASE_LOST */
  notJournaled?(job: JobOf, result: HostResult, writes: number): void;
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

/**
 * Run one host job; resolves to the host's result (a command that could not run: the host failed, untouched). Throws
 * LEASE_LOST when the journal refused any of the job's writes: the host is another worker's now.
 */
export async function runWorkerJob(job: JobOf, lease: LeaseOf, deps: WorkerJobDeps): Promise<HostResult> {
  let refused = 0;
  const holds = lease.holds?.bind(lease);
  const guard: WriteGuard | undefined = holds ? { holds, refused: () => void refused++ } : undefined;
  const { result, ran } = await runJob(job, lease, deps, guard);
  if (refused > 0) {
    deps.notJournaled?.(job, result, refused);
    throw new GofleetError('LEASE_LOST', `${job.host}: the lease with token ${lease.token} is no longer held: the journal refused ${refused} write(s) of this worker (run ${job.run})`, { host: job.host });
  }
  return ran ? handBackUnstarted(result) : result;
}

/** The host's result, and whether it is the one the command reported (else: the journal's, or the command's failure). */
async function runJob(job: JobOf, lease: LeaseOf, deps: WorkerJobDeps, guard: WriteGuard | undefined): Promise<{ result: HostResult; ran: boolean }> {
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
    ...(deps.journal ? { journal: deps.journal } : {}),
    ...(guard ? { journalGuard: guard } : {}),
    sink: (e) => {
      if (e.kind === 'host-done' && e.result.name === job.host) result = stripWave(e.result);
    },
  };
  let code: number;
  try {
    const prior = await deps.priorOf(job.run, job.host);
    if (prior.kind === 'final') return { result: prior.result, ran: false };
    code = await deps.runCli(jobArgv(payload, deps.state), io, prior.kind === 'resume' ? prior.resume : undefined, hooks);
  } catch (err) {
    said += asGofleetError(err).message;
    code = -1;
  }
  if (result) return { result, ran: true };
  const why = lastErrorLine(said) ?? `the command ended with exit code ${code} before the host was started`;
  const error = { code: 'WORKER_JOB_FAILED' as const, message: `${job.host}: not started on this worker: ${why}`, hint: new GofleetError('WORKER_JOB_FAILED', '').hint ?? '' };
  return { result: { name: job.host, status: 'failed', from: null, to: null, error, warnings: [], startedAt, durationMs: now() - startedAt, steps: [] }, ran: false };
}

/**
 * A host this worker did not start because it was stopping (Ctrl-C) or lost the lease: the job is given back
 * (a throw releases the lease) for another worker, instead of completing the host as skipped.
 */
function handBackUnstarted(result: HostResult): HostResult {
  if (result.status !== 'skipped' || result.error?.code !== 'INTERRUPTED') return result;
  throw new GofleetError('INTERRUPTED', `${result.name}: not started on this worker (it is stopping, or lost the lease); the job goes back to the queue`, { host: result.name });
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
