// The one fetch every forge request goes through (Octokit's `request.fetch` and the GitLab client):
// content-creating methods (POST, PATCH, PUT) pass the campaign's write throttle, and 403/429 rate limits are
// retried after the wait the forge asks for, a bounded number of times. Node's fetch ignores HTTPS_PROXY.

import { GofleetError } from '../../errors.ts';
import { rateLimitDelay } from './rate-limit.ts';
import { createWriteThrottle, systemClock, type ForgeClock } from './write-throttle.ts';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface ForgeWait {
  reason: 'throttle' | 'rate-limit';
  ms: number;
  method: string;
  url: string;
}

export interface ForgeFetchOptions {
  fetch?: FetchLike;
  clock?: ForgeClock;
  /** content-creating requests per rolling minute (default 80, GitHub's secondary limit) */
  writesPerMinute?: number;
  /** attempts per request, the first included (default 4) */
  maxAttempts?: number;
  /** a single wait longer than this is not waited for: the request fails FORGE_RATE_LIMITED (default 15 min) */
  maxWaitMs?: number;
  onWait?: (w: ForgeWait) => void;
}

const WRITES = new Set(['POST', 'PATCH', 'PUT']);

function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/** The path of a URL without its query (messages never carry tokens in query strings). */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

export function createForgeFetch(o: ForgeFetchOptions = {}): FetchLike {
  const base: FetchLike = o.fetch ?? ((url, init) => fetch(url, init));
  const clock = o.clock ?? systemClock;
  const maxAttempts = o.maxAttempts ?? 4;
  const maxWaitMs = o.maxWaitMs ?? 15 * 60_000;
  const throttle = createWriteThrottle(o.writesPerMinute ?? 80, clock);
  return async (input, init = {}) => {
    const url = urlOf(input);
    const method = (init.method ?? 'GET').toUpperCase();
    for (let attempt = 1; ; attempt++) {
      if (WRITES.has(method)) {
        const before = clock.now();
        await throttle.acquire();
        const waited = clock.now() - before;
        if (waited > 0) o.onWait?.({ reason: 'throttle', ms: waited, method, url });
      }
      const res = await base(url, init);
      if (res.status !== 403 && res.status !== 429) return res;
      const body = res.status === 403 ? await res.clone().text().catch(() => '') : '';
      const delay = rateLimitDelay(res, clock.now(), attempt, body);
      if (delay === null) return res;
      if (attempt >= maxAttempts || delay > maxWaitMs) {
        await res.body?.cancel().catch(() => undefined);
        const why = delay > maxWaitMs ? `the forge asks to wait ${Math.ceil(delay / 1000)} s` : `still limited after ${attempt} attempts`;
        throw new GofleetError('FORGE_RATE_LIMITED', `${method} ${pathOf(url)}: rate limited (${res.status}); ${why}`);
      }
      await res.body?.cancel().catch(() => undefined);
      o.onWait?.({ reason: 'rate-limit', ms: delay, method, url });
      await clock.sleep(delay);
    }
  };
}
