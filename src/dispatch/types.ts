// The shapes of src/dispatch (issue 14): per-host jobs a coordinator enqueues and workers take under a lease.
// The queue (pg-boss) only delivers "run R, host H"; what a job is, who holds it and how it ended live in the
// host_jobs table beside the journal, fenced by tokens from one SEQUENCE.

import type { ClientBase } from 'pg';

export type HostJobState = 'queued' | 'leased' | 'done';

/** One host of a wave, as the coordinator enqueues it. */
export interface JobSpec {
  host: string;
  /** the site whose workers may run it; null: workers started without --site */
  site: string | null;
  /** JSON-serialisable; stored as text in host_jobs.payload */
  payload: unknown;
}

/** A job as a worker's runHost receives it. */
export interface HostJob {
  run: string;
  host: string;
  wave: number;
  site: string | null;
  payload: unknown;
}

/** The lease a worker holds on one host while its runHost runs. */
export interface Lease {
  /** the fencing token: higher than every token handed out before for any host */
  readonly token: number;
  /** 1 for the first lease on this (run, host); more: an earlier worker started the host, so recover it */
  readonly attempt: number;
  readonly worker: string;
  /** aborts when a renewal finds the lease gone (another worker took the host) */
  readonly lost: AbortSignal;
  /** throws LEASE_LOST when the lease is known lost or has run past its end without a renewal */
  assertHeld(): void;
  /**
   * Inside the caller's own transaction on `client`: true while the lease is held, and the row is locked
   * (FOR SHARE) so no takeover commits before that transaction does — for journal writes fenced by the lease.
   */
  holds(client: ClientBase): Promise<boolean>;
}

export interface HostStatus {
  host: string;
  state: HostJobState | 'absent';
  attempts: number;
  token: number | null;
  worker: string | null;
  /** ms since the epoch, database clock */
  leaseUntil: number | null;
  result: unknown;
}

export type JobOutcome =
  | { host: string; run: string; ok: true; result: unknown }
  | { host: string; run: string; ok: false; error: unknown }
  /** the delivery was a duplicate (host done, or leased by a live worker): acked and dropped */
  | { host: string; run: string; ok: 'skipped' };

export interface WorkOptions {
  /** the site this worker serves; null: only jobs without a site */
  site: string | null;
  concurrency: number;
  /** a name for this worker, recorded in host_jobs.worker */
  worker: string;
  /** how long a lease lasts without renewal */
  leaseMs: number;
  /** stops taking jobs; jobs already taken run to their end */
  signal: AbortSignal;
  runHost(job: HostJob, lease: Lease): Promise<unknown>;
  /** how often an idle worker asks the queue again (default 500 ms) */
  pollMs?: number;
  /** how often the lease is renewed while runHost runs (default leaseMs / 3) */
  renewMs?: number;
  /** every job's end: its result, its error (LEASE_LOST when the completion was fenced off), or a skipped duplicate */
  onJobEnd?(outcome: JobOutcome): void;
}

export interface WaitOptions {
  signal?: AbortSignal;
  /** default 250 ms */
  pollMs?: number;
  /** once per host, when it is first seen done */
  onDone?(host: string, result: unknown): void;
}

export interface EnqueueOptions {
  /**
   * A client inside the caller's open transaction: the rows and the queue's jobs are written on it and commit
   * (or roll back) with the caller's own journal writes. Without it enqueueWave runs its own transaction.
   */
  client?: ClientBase;
}

export interface Dispatch {
  enqueueWave(run: string, wave: number, jobs: readonly JobSpec[], options?: EnqueueOptions): Promise<string[]>;
  requeueExpired(run: string): Promise<string[]>;
  waveStatus(run: string, hosts: readonly string[]): Promise<HostStatus[]>;
  waitHosts(run: string, hosts: readonly string[], options?: WaitOptions): Promise<HostStatus[]>;
  work(options: WorkOptions): Promise<void>;
  stop(): Promise<void>;
}
