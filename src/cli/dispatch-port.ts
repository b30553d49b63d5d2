// The dispatch API the CLI drives (issue 14, ISSUE14.md section 3: src/dispatch), as the CLI uses it: the
// coordinator enqueues a wave's hosts and waits for them, a worker takes jobs under a lease. Loaded only by
// `--workers` and `gofleet worker`, so a plain run never loads pg-boss.

import type { Store } from '../store/index.ts';
import type { JobOf, LeaseOf } from './worker-job.ts';

export interface JobSpec {
  host: string;
  site: string | null;
  payload: unknown;
}

export interface HostJobStatus {
  host: string;
  state: 'queued' | 'leased' | 'done' | 'absent';
  result: unknown;
}

export interface DispatchPort {
  enqueueWave(run: string, wave: number, jobs: readonly JobSpec[]): Promise<string[]>;
  waitHosts(run: string, hosts: readonly string[], options?: { signal?: AbortSignal; pollMs?: number; onDone?(host: string, result: unknown): void }): Promise<HostJobStatus[]>;
  work(options: {
    site: string | null;
    concurrency: number;
    worker: string;
    leaseMs: number;
    signal: AbortSignal;
    runHost(job: JobOf & { wave: number }, lease: LeaseOf & { assertHeld(): void }): Promise<unknown>;
    onJobEnd?(outcome: { host: string; run: string; ok: boolean | 'skipped'; result?: unknown; error?: unknown }): void;
  }): Promise<void>;
  stop(): Promise<void>;
}

// a variable, not a literal: type-checked against the port above rather than the module until it is merged
const DISPATCH_MODULE = '../dispatch/index.ts';

/** The dispatch on the journal's own PostgreSQL pool (a PgStore). */
export async function openDispatchOn(store: Store): Promise<DispatchPort> {
  const pg = store as Store & { pool?: unknown; url?: string };
  const mod = (await import(DISPATCH_MODULE)) as { openDispatch(pool: unknown, options: { where: string }): Promise<DispatchPort> };
  return mod.openDispatch(pg.pool, { where: pg.url ?? store.path });
}
