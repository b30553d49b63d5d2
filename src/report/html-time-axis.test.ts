import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HtmlRun } from './html-input.ts';
import { offsetLabel, pct, ticks, tickStep, timeAxis, widthPct } from './html-time-axis.ts';

const T = Date.UTC(2026, 10, 25, 9, 15, 2);
const iso = (s: number): string => new Date(T + s * 1000).toISOString();

test('the axis runs from the run start to its end, or to the latest thing recorded', () => {
  const base: HtmlRun = { run: 'r', target: null, started: iso(0), ended: iso(10), hosts: [] };
  assert.deepEqual(timeAxis(base), { start: T, end: T + 10_000, span: 10_000 });
  const late: HtmlRun = {
    ...base,
    ended: null,
    hosts: [{ name: 'a', status: 'staging', error: null, started_at: iso(1), steps: [{ step: 'stage', status: 'running', started_at: iso(-2), ended_at: null }, { step: 'x', status: 'ok', started_at: iso(3), ended_at: iso(42) }] }],
  };
  assert.deepEqual(timeAxis(late), { start: T - 2_000, end: T + 42_000, span: 44_000 });
});

test('an axis with nothing on it is one millisecond long, never zero or NaN', () => {
  assert.deepEqual(timeAxis({ run: 'r', target: null, hosts: [] }), { start: 0, end: 0, span: 1 });
  assert.deepEqual(timeAxis({ run: 'r', target: null, started: iso(0), ended: 'garbage', hosts: [] }), { start: T, end: T, span: 1 });
});

test('positions are percentages of the axis, clamped and rounded', () => {
  const axis = { start: 1000, end: 5000, span: 4000 };
  assert.equal(pct(axis, 1000), '0');
  assert.equal(pct(axis, 2000), '25');
  assert.equal(pct(axis, 1333), '8.33');
  assert.equal(pct(axis, -50), '0');
  assert.equal(pct(axis, 9999), '100');
  assert.equal(widthPct(axis, 2000, 3000), '25');
  assert.equal(widthPct(axis, 4000, 9000), '25');
  assert.equal(widthPct(axis, 3000, 2000), '0');
});

test('tick steps are nice numbers and give at most ten intervals', () => {
  const cases: [number, number][] = [
    [1, 100], [900, 100], [1_001, 200], [4_000, 500], [10_000, 1_000], [69_000, 10_000], [202_000, 30_000],
    [3_600_000, 600_000], [86_400_000, 10_800_000], [30 * 86_400_000, 3 * 86_400_000],
  ];
  for (const [span, step] of cases) {
    assert.equal(tickStep(span), step, `span ${span}`);
    assert.ok(span / tickStep(span) <= 10);
  }
  assert.deepEqual(ticks({ start: 0, end: 69_000, span: 69_000 }), [0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
});

test('offsets read the way people say them', () => {
  const cases: [number, string][] = [
    [0, '0s'], [250, '250ms'], [1_500, '1.5s'], [30_000, '30s'], [60_000, '1m'], [90_000, '1m30s'], [125_000, '2m05s'],
    [3_600_000, '1h'], [3_900_000, '1h05m'],
  ];
  for (const [ms, label] of cases) assert.equal(offsetLabel(ms), label);
});
