// This run's host script still holds its lock on a host (after a lost connection, or when `resume` finds the
// script of the interrupted run still going): wait for it to finish or roll back by itself, never touch it --
// unless the context is fenced (issue 14): then the host script decides by the lock's fencing token.

import type { GofleetError } from '../errors.ts';
import type { HostFacts } from '../platform/types.ts';

/** What a context makes of the host's lock when it is its own run's (ownLock). */
export interface OwnLockView {
  /** the facts to plan and judge the host from */
  facts: HostFacts;
  /** a holder of this run is alive and must be waited for (it finishes or rolls back by itself) */
  wait: boolean;
}

/**
 * The one rule for a lock of this context's own run found on the host. Unfenced: a live one is its holder's:
 * `wait` (resume waits for it; the planner, given the facts as read, finds the host HOST_LOCKED). Fenced (a worker
 * of a dispatched run, EngineContext.fence): never waited for, it is left to the host script, which judges it by
 * the fencing tokens (a lower one is taken over, a higher one refuses: LEASE_LOST, the same or none: HOST_LOCKED);
 * the facts drop it (they do not carry the token), so the planner does not block on it.
 */
export function ownLock(facts: HostFacts, run: string, fenced: boolean): OwnLockView {
  if (!fenced) return { facts, wait: ownLiveLock(facts, run) };
  return { facts: facts.lock !== null && facts.lock.run === run ? { ...facts, lock: null } : facts, wait: false };
}

/** The host's lock is this run's and its holder is alive. */
export function ownLiveLock(facts: HostFacts, run: string): boolean {
  return facts.lock !== null && facts.lock.run === run && !facts.lock.stale;
}

export interface AwaitRelease {
  run: string;
  /** give up after this time (ctx.now() clock) */
  deadline: number;
  now(): number;
  pollMs: number;
  /** wait one poll before the first read (the caller has just read the facts itself) */
  waitFirst: boolean;
  /** the error thrown at the deadline, from the facts last read */
  timedOut(facts: HostFacts): GofleetError;
}

/** Read the facts until this run's lock is gone; returns the first facts without it. */
export async function awaitOwnLockRelease(read: () => Promise<HostFacts>, o: AwaitRelease): Promise<HostFacts> {
  for (let first = true; ; first = false) {
    if (!first || o.waitFirst) await new Promise((r) => setTimeout(r, o.pollMs));
    const facts = await read();
    if (!ownLiveLock(facts, o.run)) return facts;
    if (o.now() > o.deadline) throw o.timedOut(facts);
  }
}
