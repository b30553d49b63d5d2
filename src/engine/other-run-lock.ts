// Another gofleet run holds a host's lock (two runs started on the same hosts): the run that meets it waits for
// the other run's host script to finish or roll back, then reads the host again, so a host the other run brought
// to the target is reported unchanged, not failed. The other run's lock is never touched; a lock whose holder is
// dead (stale) is not waited for: the host script takes it over.

import { GofleetError } from '../errors.ts';
import type { HostFacts } from '../platform/types.ts';
import { abortableSleep } from './abortable-sleep.ts';
import { DEFAULT_POLL_MS, type EngineContext } from './context.ts';
import type { HostRecorder } from './host-recorder.ts';
import { readFacts, type ProbedHost } from './probe-host.ts';

/** How often one host waits for other runs before its HOST_LOCKED stands (each wait is bounded too). */
export const MAX_LOCK_WAITS = 3;

/** The host's lock is held by a live process of another run. */
export function otherRunLock(facts: HostFacts, run: string): boolean {
  return facts.lock !== null && !facts.lock.stale && facts.lock.run !== run;
}

/**
 * Read the host's facts until no other run holds its lock (the first read is immediate: the lock met in a host
 * script may be gone already); returns the host with those facts. Up to --step-timeout (at least a minute), then
 * HOST_LOCKED; Ctrl-C stops the wait with nothing changed.
 */
export async function awaitOtherRun(host: ProbedHost, ctx: EngineContext, rec: HostRecorder): Promise<ProbedHost> {
  const name = host.spec.name;
  const deadline = ctx.now() + Math.max(ctx.stepTimeoutMs, 60_000);
  let holder: string | null = null;
  const facts = await rec.step(
    'lock',
    async () => {
      for (;;) {
        const facts = await readFacts(host, ctx);
        if (!otherRunLock(facts, ctx.run)) return facts;
        holder ??= facts.lock?.run ?? null;
        if (ctx.now() > deadline) {
          throw new GofleetError('HOST_LOCKED', `${name}: still locked by run ${facts.lock?.run} (pid ${facts.lock?.pid}) after waiting ${Math.round(Math.max(ctx.stepTimeoutMs, 60_000) / 1000)} s`, { host: name });
        }
        await abortableSleep(ctx.pollMs ?? DEFAULT_POLL_MS, ctx.signal);
        if (ctx.signal?.aborted) throw new GofleetError('INTERRUPTED', `${name}: stopped before changing anything (interrupted)`, { host: name });
      }
    },
    () => ({ message: holder ? `run ${holder} released the host` : 'the host lock is free' }),
  );
  rec.warnings.push(`another gofleet run${holder ? ` (${holder})` : ''} held the host lock; waited for it, then read the host again`);
  return { ...host, facts };
}
