import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../../errors.ts';
import { createForgeFetch, type ForgeWait } from './forge-fetch.ts';
import { createWriteThrottle, type ForgeClock } from './write-throttle.ts';

/** A clock whose sleep only moves time forward, recording every wait. */
function fakeClock(start = 1_000_000): ForgeClock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return { sleeps, now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) };
}

/** A fetch answering from a script of responses, recording method and url. */
function scripted(answers: (() => Response)[], fallback = () => new Response('{}', { status: 200 })) {
  const calls: { method: string; url: string; body: unknown }[] = [];
  const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    calls.push({ method: init?.method ?? 'GET', url, body: init?.body });
    return (answers.shift() ?? fallback)();
  };
  return { fetch, calls };
}

test('the write throttle lets N writes through per rolling window, then waits for the oldest to age out', async () => {
  const clock = fakeClock(0);
  const t = createWriteThrottle(3, clock, 60_000);
  for (let i = 0; i < 3; i++) await t.acquire();
  assert.deepEqual(clock.sleeps, []);
  await t.acquire();
  assert.deepEqual(clock.sleeps, [60_000]);
  await t.acquire();
  await t.acquire();
  assert.deepEqual(clock.sleeps, [60_000]);
  await t.acquire();
  assert.deepEqual(clock.sleeps, [60_000, 60_000]);
});

test('only POST, PATCH and PUT are throttled: 80 a minute across the campaign', async () => {
  const clock = fakeClock();
  const { fetch, calls } = scripted([]);
  const waits: ForgeWait[] = [];
  const f = createForgeFetch({ fetch, clock, onWait: (w) => waits.push(w) });
  for (let i = 0; i < 100; i++) await f('http://forge/x', { method: 'GET' });
  assert.deepEqual(clock.sleeps, []);
  for (let i = 0; i < 80; i++) await f('http://forge/x', { method: i % 2 ? 'POST' : 'patch' });
  assert.deepEqual(clock.sleeps, []);
  await f('http://forge/x', { method: 'PUT' });
  assert.equal(clock.sleeps.length, 1);
  assert.ok(clock.sleeps[0]! > 0 && clock.sleeps[0]! <= 60_000);
  assert.deepEqual(waits.map((w) => [w.reason, w.method]), [['throttle', 'PUT']]);
  assert.equal(calls.length, 181);
});

test('403 with Retry-After is retried after that wait, with the same request', async () => {
  const clock = fakeClock();
  const { fetch, calls } = scripted([() => new Response('{"message":"slow down"}', { status: 403, headers: { 'retry-after': '2' } })]);
  const f = createForgeFetch({ fetch, clock });
  const res = await f('http://forge/repos/a/b/pulls', { method: 'POST', body: '{"title":"t"}' });
  assert.equal(res.status, 200);
  assert.deepEqual(clock.sleeps, [2000]);
  assert.deepEqual(calls.map((c) => [c.method, c.body]), [['POST', '{"title":"t"}'], ['POST', '{"title":"t"}']]);
});

test('x-ratelimit-remaining: 0 waits until x-ratelimit-reset; 429 without headers backs off from a minute', async () => {
  const clock = fakeClock(1_000_000);
  const reset = String(1_000_000 / 1000 + 30);
  const { fetch } = scripted([
    () => new Response('', { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } }),
    () => new Response('', { status: 429 }),
    () => new Response('', { status: 429 }),
  ]);
  const res = await createForgeFetch({ fetch, clock })('http://forge/x');
  assert.equal(res.status, 200);
  assert.deepEqual(clock.sleeps, [31_000, 120_000, 240_000]);
});

test('a plain 403 (no rate-limit sign) is handed back at once, not retried', async () => {
  const clock = fakeClock();
  const { fetch, calls } = scripted([() => new Response('{"message":"Bad credentials"}', { status: 403 })]);
  const res = await createForgeFetch({ fetch, clock })('http://forge/x', { method: 'POST' });
  assert.equal(res.status, 403);
  assert.equal(await res.text(), '{"message":"Bad credentials"}');
  assert.equal(calls.length, 1);
  assert.deepEqual(clock.sleeps, []);
});

test('attempts are bounded, and a wait beyond the cap is not waited for: FORGE_RATE_LIMITED', async () => {
  const clock = fakeClock();
  const limited = () => new Response('', { status: 429, headers: { 'retry-after': '1' } });
  const { fetch, calls } = scripted([], limited);
  await assert.rejects(createForgeFetch({ fetch, clock, maxAttempts: 3 })('http://forge/api/v4/projects/x?private_token=nope'), (e: unknown) =>
    e instanceof GofleetError && e.code === 'FORGE_RATE_LIMITED' && /after 3 attempts/.test(e.message) && !e.message.includes('nope'));
  assert.equal(calls.length, 3);
  assert.deepEqual(clock.sleeps, [1000, 1000]);

  const far = scripted([() => new Response('', { status: 403, headers: { 'retry-after': '3600' } })]);
  const clock2 = fakeClock();
  await assert.rejects(createForgeFetch({ fetch: far.fetch, clock: clock2, maxWaitMs: 60_000 })('http://forge/x'), /asks to wait 3600 s/);
  assert.deepEqual(clock2.sleeps, []);
});
