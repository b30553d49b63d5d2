import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRateLimited, rateLimitDelay, retryAfterMs } from './rate-limit.ts';

const res = (status: number, headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers) });
const NOW = Date.parse('2026-01-01T00:00:00Z');

test('Retry-After in seconds or as an HTTP date', () => {
  assert.equal(retryAfterMs('7', NOW), 7000);
  assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', NOW), 30_000);
  assert.equal(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', NOW), 0);
  assert.equal(retryAfterMs(null, NOW), null);
  assert.equal(retryAfterMs('soon', NOW), null);
});

test('a 403 is a rate limit only with a rate-limit header or message; 429 always is', () => {
  assert.equal(isRateLimited(res(403)), false);
  assert.equal(isRateLimited(res(403), '{"message":"Resource not accessible by integration"}'), false);
  assert.equal(isRateLimited(res(403, { 'retry-after': '1' })), true);
  assert.equal(isRateLimited(res(403, { 'x-ratelimit-remaining': '0' })), true);
  assert.equal(isRateLimited(res(403, { 'x-ratelimit-remaining': '12' })), false);
  assert.equal(isRateLimited(res(403), '{"message":"You have exceeded a secondary rate limit."}'), true);
  assert.equal(isRateLimited(res(429)), true);
  assert.equal(isRateLimited(res(500, { 'retry-after': '1' })), false);
});

test('the delay: Retry-After first, then the primary reset (+1 s), else a minute doubling per attempt', () => {
  assert.equal(rateLimitDelay(res(403, { 'retry-after': '3', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 100) }), NOW, 1), 3000);
  assert.equal(rateLimitDelay(res(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 42) }), NOW, 1), 43_000);
  assert.equal(rateLimitDelay(res(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 - 5) }), NOW, 1), 1000);
  assert.equal(rateLimitDelay(res(429), NOW, 1), 60_000);
  assert.equal(rateLimitDelay(res(429), NOW, 3), 240_000);
  assert.equal(rateLimitDelay(res(403), NOW, 1, 'secondary rate limit'), 60_000);
  assert.equal(rateLimitDelay(res(403), NOW, 1, 'Bad credentials'), null);
  assert.equal(rateLimitDelay(res(404), NOW, 1), null);
});
