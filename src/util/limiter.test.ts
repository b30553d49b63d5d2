import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLimiter } from './limiter.ts';

test('never runs more than the limit at once and keeps order of start', { timeout: 60_000 }, async () => {
  const limit = createLimiter(2);
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const tasks = [0, 1, 2, 3, 4].map((i) =>
    limit(async () => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return i * 10;
    }),
  );
  assert.deepEqual(await Promise.all(tasks), [0, 10, 20, 30, 40]);
  assert.equal(peak, 2);
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
});

test('a rejected task frees its slot', async () => {
  const limit = createLimiter(1);
  await assert.rejects(limit(() => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(await limit(async () => 'next'), 'next');
});

test('rejects a non-positive limit', () => {
  assert.throws(() => createLimiter(0), RangeError);
});
