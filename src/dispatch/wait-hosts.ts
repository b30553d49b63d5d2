// The coordinator's view of a wave (issue 14): each host's row in host_jobs, and a wait until all are done that
// hands expired leases back to the queue while it waits (a worker that died mid-host is replaced by the next).
// Polling, no LISTEN: a wave waits on hosts whose runs take seconds to minutes.

import type { Pool } from 'pg';
import type { HostStatus } from './types.ts';

interface Row {
  host: string;
  state: HostStatus['state'];
  attempts: number;
  token: string | null;
  worker: string | null;
  lease_until: string | null;
  result: string | null;
}

export async function waveStatus(pool: Pool, run: string, hosts: readonly string[]): Promise<HostStatus[]> {
  const got = await pool.query<Row>(
    `SELECT host, state, attempts, token, worker, lease_until, result FROM host_jobs WHERE run = $1 AND host = ANY($2::text[])`,
    [run, [...hosts]],
  );
  const byHost = new Map(got.rows.map((r) => [r.host, r]));
  return hosts.map((host): HostStatus => {
    const r = byHost.get(host);
    if (!r) return { host, state: 'absent', attempts: 0, token: null, worker: null, leaseUntil: null, result: null };
    return {
      host,
      state: r.state,
      attempts: r.attempts,
      token: r.token === null ? null : Number(r.token),
      worker: r.worker,
      leaseUntil: r.lease_until === null ? null : Number(r.lease_until),
      result: r.result === null ? null : JSON.parse(r.result),
    };
  });
}

export interface WaitDeps {
  pool: Pool;
  requeueExpired(run: string): Promise<string[]>;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Which of `hosts` are done now, with their results. */
async function doneNow(pool: Pool, run: string, hosts: readonly string[]): Promise<{ host: string; result: string | null }[]> {
  const got = await pool.query<{ host: string; result: string | null }>(
    `SELECT host, result FROM host_jobs WHERE run = $1 AND host = ANY($2::text[]) AND state = 'done'`, [run, [...hosts]]);
  return got.rows;
}

/** Resolves with every host's status once all are done; rejects with the signal's reason when it aborts. */
export async function waitHosts(
  deps: WaitDeps,
  run: string,
  hosts: readonly string[],
  options: { signal?: AbortSignal; pollMs?: number; onDone?(host: string, result: unknown): void } = {},
): Promise<HostStatus[]> {
  let pending = [...new Set(hosts)];
  for (;;) {
    if (options.signal?.aborted) throw options.signal.reason;
    await deps.requeueExpired(run);
    // only the hosts not yet seen done are asked about: a poll costs less as the wave drains
    const done = await doneNow(deps.pool, run, pending);
    const seen = new Set(done.map((d) => d.host));
    pending = pending.filter((h) => !seen.has(h));
    for (const d of done) options.onDone?.(d.host, d.result === null ? null : JSON.parse(d.result));
    if (pending.length === 0) return waveStatus(deps.pool, run, hosts);
    await pause(options.pollMs ?? 250, options.signal);
  }
}
