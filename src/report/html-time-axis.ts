// The time axis the HTML timeline draws on: from the run's start to the last thing it recorded, with "nice"
// tick steps (1s, 5s, 30s, 1m, ...). Pure arithmetic; positions are percentages of the axis.

import { timeOf, type HtmlRun } from './html-input.ts';

export interface TimeAxis {
  start: number;
  end: number;
  /** end - start, at least 1 ms */
  span: number;
}

const NICE_STEPS_MS = [
  100, 200, 250, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];
const MAX_TICKS = 10;

/** The axis of a run: its start (or earliest step) to its end (or latest step or host end), in one pass. */
export function timeAxis(run: HtmlRun): TimeAxis {
  let start = timeOf(run.started) ?? Infinity;
  let end = timeOf(run.ended) ?? -Infinity;
  const see = (t: number | null): void => {
    if (t === null) return;
    if (t < start) start = t;
    if (t > end) end = t;
  };
  for (const h of run.hosts) {
    see(timeOf(h.started_at));
    see(timeOf(h.ended_at));
    for (const s of h.steps ?? []) {
      see(timeOf(s.started_at));
      see(timeOf(s.ended_at));
    }
  }
  if (!Number.isFinite(start)) start = Number.isFinite(end) ? end : 0;
  if (!Number.isFinite(end) || end < start) end = start;
  return { start, end, span: Math.max(1, end - start) };
}

/** A percentage of the axis for a time, clamped to 0..100, two decimals. */
export function pct(axis: TimeAxis, t: number): string {
  return fixed(((Math.min(Math.max(t, axis.start), axis.end) - axis.start) / axis.span) * 100);
}

/** Width in percent between two times (never negative). */
export function widthPct(axis: TimeAxis, from: number, to: number): string {
  return fixed((Math.max(0, Math.min(to, axis.end) - Math.max(from, axis.start)) / axis.span) * 100);
}

/** The smallest nice tick step that gives at most MAX_TICKS intervals. */
export function tickStep(spanMs: number): number {
  return NICE_STEPS_MS.find((s) => spanMs / s <= MAX_TICKS) ?? Math.ceil(spanMs / MAX_TICKS / 86_400_000) * 86_400_000;
}

/** Tick offsets from the axis start: 0, step, 2*step, ... up to the span. */
export function ticks(axis: TimeAxis): number[] {
  const step = tickStep(axis.span);
  const count = Math.floor(axis.span / step);
  return Array.from({ length: count + 1 }, (_, i) => i * step);
}

/** An offset on the axis as people read it: 0s, 250ms, 1.5s, 30s, 2m, 1m30s, 1h05m. */
export function offsetLabel(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1_000) return `${ms}ms`;
  if (ms < 60_000) return `${trim(ms / 1_000)}s`;
  if (ms < 3_600_000) {
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms - m * 60_000) / 1_000);
    return s ? `${m}m${String(s).padStart(2, '0')}s` : `${m}m`;
  }
  const h = Math.floor(ms / 3_600_000);
  const m = Math.round((ms - h * 3_600_000) / 60_000);
  return m ? `${h}h${String(m).padStart(2, '0')}m` : `${h}h`;
}

function fixed(n: number): string {
  return trim(Math.round(n * 100) / 100);
}

function trim(n: number): string {
  return String(Number(n.toFixed(2)));
}
