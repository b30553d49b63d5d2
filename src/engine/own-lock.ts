// This run's host script still holds its lock on a host (after a lost connection, or when `resume` finds the
// script of the interrupted run still going): wait for it to finish or roll back by itself, never touch it --
// unless the context is fenced (issue 14): then the host script decides by the lock's fencing token.

import type { GofleetError } from '../errors.ts';
import type { HostFacts } from '../platform/types.ts';

/**
 * The facts a fenced context (a worker of a dispatched run, EngineContext.fence) plans from: a live lock of its own
 * run is left to the host script, which judges it by the fencing tokens (a lower one is taken over, a higher one
 * refuses: LEASE_LOST, the same or none: HOST_LOCKED); the facts do not carry the token. Unfenced: the facts as read.
 */
export function factsForFencedPlan(facts: HostFacts, run: string, fenced: boolean): HostFacts {
  return fenced && facts.lock !== null && facts.lock.run === run ? { ...facts, lock: null } : facts;
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
