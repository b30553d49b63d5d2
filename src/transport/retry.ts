// Retry with capped exponential backoff and full jitter. The error's class decides: only errors whose
// policy says `retry` (unreachable, timeouts) are retried; auth and host-key failures never are.
import { asGofleetError, errorPolicy, GofleetError } from '../errors.ts';

export interface RetryOptions {
  /** retries after the first attempt (default 2) */
  retries?: number;
  /** first backoff ceiling in ms (default 500) */
  baseMs?: number;
  /** backoff ceiling cap in ms (default 5000) */
  capMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** in [0, 1) */
  random?: () => number;
  /** called before each attempt, 1-based */
  onAttempt?: (attempt: number) => void;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The delay before retry number `retry` (1-based): uniform in [0, min(cap, base * 2^(retry-1))]. */
export function backoffDelay(retry: number, o: { baseMs: number; capMs: number; random: () => number }): number {
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** (retry - 1));
  return Math.round(o.random() * ceiling);
}

export async function withRetry<T>(attempt: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const retries = o.retries ?? 2;
  const timing = { baseMs: o.baseMs ?? 500, capMs: o.capMs ?? 5000, random: o.random ?? Math.random };
  const sleep = o.sleep ?? defaultSleep;
  for (let n = 1; ; n++) {
    o.onAttempt?.(n);
    try {
      return await attempt();
    } catch (err) {
      const e = asGofleetError(err);
      if (!errorPolicy(e.code).retry || n > retries) {
        if (n === 1 || !errorPolicy(e.code).retry) throw e;
        throw new GofleetError(e.code, `${e.message} (after ${n} attempts)`, { host: e.host, cause: e, hint: e.hint });
      }
      await sleep(backoffDelay(n, timing));
    }
  }
}
