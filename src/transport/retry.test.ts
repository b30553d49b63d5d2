import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../errors.ts';
import { backoffDelay, withRetry } from './retry.ts';

test('backoffDelay: exponential ceiling, capped, full jitter', () => {
  const o = { baseMs: 500, capMs: 5000 };
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, { ...o, random: () => 0.999999 })),
    [500, 1000, 2000, 4000, 5000, 5000]);
  assert.equal(backoffDelay(3, { ...o, random: () => 0 }), 0);
  assert.equal(backoffDelay(2, { ...o, random: () => 0.5 }), 500);
});

test('withRetry retries unreachable errors, then says how many attempts were made', async () => {
  const sleeps: number[] = [];
  let calls = 0;
  const err = await withRetry(async () => {
    calls++;
    throw new GofleetError('HOST_UNREACHABLE', 'refused', { host: 'h' });
  }, { retries: 2, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 }).catch((e: unknown) => e);
  assert.ok(err instanceof GofleetError);
  assert.equal(err.code, 'HOST_UNREACHABLE');
  assert.equal(err.host, 'h');
  assert.match(err.message, /refused \(after 3 attempts\)/);
  assert.equal(calls, 3);
  assert.deepEqual(sleeps, [250, 500]);
});

test('withRetry never retries auth or host-key failures', async () => {
  for (const code of ['AUTH_FAILED', 'HOST_KEY_CHANGED', 'HOST_KEY_UNKNOWN'] as const) {
    let calls = 0;
    await assert.rejects(withRetry(async () => {
      calls++;
      throw new GofleetError(code, 'no');
    }, { retries: 5, sleep: async () => undefined }), { code, message: 'no' });
    assert.equal(calls, 1, code);
  }
});

test('withRetry returns the first success', async () => {
  let calls = 0;
  const attempts: number[] = [];
  const v = await withRetry(async () => {
    if (++calls < 2) throw new GofleetError('CONNECT_TIMEOUT', 'slow');
    return 'ok';
  }, { sleep: async () => undefined, onAttempt: (n) => attempts.push(n) });
  assert.equal(v, 'ok');
  assert.deepEqual(attempts, [1, 2]);
});
