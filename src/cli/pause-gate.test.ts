import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostSpec } from '../inventory/types.ts';
import type { UpcomingWave } from '../engine/wave-gate.ts';
import { GofleetError } from '../errors.ts';
import { abortableSleep, countdownLine, pauseGate, pauseMode, pauseQuestion, type GateIo } from './pause-gate.ts';

const wave = (n: number, of: number, size: number): UpcomingWave => ({ wave: n, waves: of, hosts: Array.from({ length: size }, (_, i) => ({ name: `h${i}` }) as HostSpec) });

/** A fake terminal: a clock that sleep advances, the questions asked, what was written. */
function fakeIo(answers: ('yes' | 'no' | 'interrupted')[] = [], tty = false, signal?: AbortSignal, onSleep?: (ms: number) => void): GateIo & { asked: string[]; out: string[]; slept: number[] } {
  let clock = 0;
  const asked: string[] = [];
  const out: string[] = [];
  const slept: number[] = [];
  return {
    asked, out, slept, tty,
    ...(signal ? { signal } : {}),
    ask: async (q) => (asked.push(q), answers.shift() ?? 'no'),
    write: (t) => void out.push(t),
    now: () => clock,
    sleep: async (ms) => {
      slept.push(ms);
      onSleep?.(ms);
      clock += ms;
    },
  };
}

test('pauseMode: off without --pause; --yes answers it; a terminal asks; no terminal and no --yes is refused (BAD_OPTION)', () => {
  assert.equal(pauseMode({ pause: false, yes: false }, false), 'off');
  assert.equal(pauseMode({ pause: false, pauseAfterMs: 5000, yes: false }, false), 'off');
  assert.equal(pauseMode({ pause: true, yes: true }, false), 'answered-by-yes');
  assert.equal(pauseMode({ pause: true, yes: true }, true), 'answered-by-yes');
  assert.equal(pauseMode({ pause: true, yes: false }, true), 'ask');
  assert.throws(() => pauseMode({ pause: true, yes: false }, false), (e: unknown) => e instanceof GofleetError && e.code === 'BAD_OPTION' && /no terminal/.test(e.message) && /--pause-after/.test(e.hint));
});

test('the question and the countdown line', () => {
  assert.equal(pauseQuestion(wave(2, 3, 4)), 'wave 2 of 3: 4 hosts — continue?');
  assert.equal(pauseQuestion(wave(3, 3, 1)), 'wave 3 of 3: 1 host — continue?');
  assert.equal(countdownLine(wave(2, 3, 4), 65_000), 'wave 2 of 3 (4 hosts) starts in 1m05s · Ctrl-C stops the rollout');
  assert.equal(countdownLine(wave(2, 2, 1), 4_001), 'wave 2 of 2 (1 host) starts in 5s · Ctrl-C stops the rollout');
  assert.match(countdownLine(wave(2, 2, 1), 3_600_000), /starts in 1h00m00s/);
});

test('nothing to do between waves: no hook at all', () => {
  assert.equal(pauseGate('off', undefined, fakeIo()).beforeWave, undefined);
  assert.equal(pauseGate('answered-by-yes', 0, fakeIo()).beforeWave, undefined);
});

test('--pause: yes goes on, no stops (and says so), Ctrl-C at the question stops too', { timeout: 5_000 }, async () => {
  const io = { ...fakeIo(['yes', 'no']), run: 'r7' };
  const gate = pauseGate('ask', undefined, io);
  assert.equal(await gate.beforeWave?.(wave(2, 3, 2)), 'continue');
  assert.equal(gate.stopped(), false);
  assert.equal(await gate.beforeWave?.(wave(3, 3, 5)), 'stop');
  assert.equal(gate.stopped(), true);
  assert.deepEqual(io.asked, ['wave 2 of 3: 2 hosts — continue?', 'wave 3 of 3: 5 hosts — continue?']);
  assert.equal(io.out.join(''), 'stopping: wave 3 and later are not started; `gofleet resume r7` continues from there.\n');
  const ctrlC = pauseGate('ask', undefined, fakeIo(['interrupted']));
  assert.equal(await ctrlC.beforeWave?.(wave(2, 2, 1)), 'stop');
  assert.equal(ctrlC.stopped(), true);
});

test('--pause-after without a terminal: one line, one wait of the whole duration, no question', { timeout: 5_000 }, async () => {
  const io = fakeIo([], false);
  const gate = pauseGate('off', 30_000, io);
  assert.equal(await gate.beforeWave?.(wave(2, 2, 3)), 'continue');
  assert.deepEqual(io.slept, [30_000]);
  assert.deepEqual(io.out, ['pausing: wave 2 of 2 (3 hosts) starts in 30s · Ctrl-C stops the rollout\n']);
  assert.deepEqual(io.asked, []);
});

test('--pause-after on a terminal: the countdown is redrawn each second, then cleared; --pause asks after the wait', { timeout: 5_000 }, async () => {
  const io = fakeIo(['yes'], true);
  const gate = pauseGate('ask', 2_500, io);
  assert.equal(await gate.beforeWave?.(wave(2, 2, 1)), 'continue');
  assert.deepEqual(io.slept, [500, 1000, 1000]);
  assert.deepEqual(io.out.map((t) => t.replace('\r\x1b[2K', '<clr>')), [
    '<clr>wave 2 of 2 (1 host) starts in 3s · Ctrl-C stops the rollout',
    '<clr>wave 2 of 2 (1 host) starts in 2s · Ctrl-C stops the rollout',
    '<clr>wave 2 of 2 (1 host) starts in 1s · Ctrl-C stops the rollout',
    '<clr>',
  ]);
  assert.deepEqual(io.asked, ['wave 2 of 2: 1 host — continue?']);
});

test('Ctrl-C during the wait ends it early and stops without asking (the engine reports the hosts as interrupted)', { timeout: 5_000 }, async () => {
  const ctl = new AbortController();
  const io = fakeIo(['yes'], true, ctl.signal, () => ctl.abort());
  const gate = pauseGate('ask', 60_000, io);
  assert.equal(await gate.beforeWave?.(wave(2, 2, 1)), 'stop');
  assert.equal(io.slept.length, 1);
  assert.deepEqual(io.asked, []);
  assert.equal(gate.stopped(), false, 'not a "no": the run is interrupted');
});

test('abortableSleep: resolves on time, at once when already aborted, and early on abort', { timeout: 5_000 }, async () => {
  await abortableSleep(1);
  const ctl = new AbortController();
  ctl.abort();
  await abortableSleep(3_600_000, ctl.signal);
  const later = new AbortController();
  const waiting = abortableSleep(3_600_000, later.signal);
  later.abort();
  await waiting;
});
