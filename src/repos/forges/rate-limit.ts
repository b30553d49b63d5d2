// How long to wait before retrying a forge request that was rate limited, from the response alone. Pure.
// GitHub (docs "Rate limits for the REST API"): honour `retry-after`; when `x-ratelimit-remaining` is 0, wait
// until `x-ratelimit-reset` (epoch seconds); a secondary limit without either header: wait at least a
// minute, then back off exponentially. GitLab answers 429 with `Retry-After`.

export interface LimitedResponse {
  status: number;
  headers: { get(name: string): string | null };
}

const MINUTE = 60_000;

/** `Retry-After`: delta seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** true for a 403/429 that is a rate limit (not an authorization failure). */
export function isRateLimited(res: LimitedResponse, bodyText = ''): boolean {
  if (res.status === 429) return true;
  if (res.status !== 403) return false;
  return res.headers.get('retry-after') !== null || res.headers.get('x-ratelimit-remaining') === '0' || /rate limit/i.test(bodyText);
}

/**
 * Milliseconds to wait before attempt `attempt + 1` (attempt counts from 1), or null when the response is not
 * a rate limit. `bodyText` tells GitHub's secondary-limit 403 ("You have exceeded a secondary rate limit").
 */
export function rateLimitDelay(res: LimitedResponse, now: number, attempt: number, bodyText = ''): number | null {
  if (!isRateLimited(res, bodyText)) return null;
  const after = retryAfterMs(res.headers.get('retry-after'), now);
  if (after !== null) return after;
  const reset = Number(res.headers.get('x-ratelimit-reset'));
  if (res.headers.get('x-ratelimit-remaining') === '0' && Number.isFinite(reset) && reset > 0) {
    // one second of margin: the reset instant is rounded down to a second
    return Math.max(0, reset * 1000 - now) + 1000;
  }
  return MINUTE * 2 ** Math.max(0, attempt - 1);
}
