// Maintenance windows: weekly (days + start time) or a 5-field cron expression, each in an IANA time
// zone and open for a duration of real (elapsed) time from each opening. Pure: every instant comes in
// as an argument. Opening times that DST skips or repeats follow zoned-time.ts (moved forward by the
// gap; the first of two).

import { cronMatchesDay, type CronSpec } from './cron.ts';
import { addDays, instantOf, wallTimeAt } from './zoned-time.ts';

interface WindowBase {
  /** IANA time zone the days and times are read in */
  tz: string;
  /** how long the window stays open after each opening (ms of real time) */
  durationMs: number;
}

export type MaintenanceWindow =
  | (WindowBase & { kind: 'weekly'; /** 0 = Sunday ... 6 = Saturday */ days: readonly number[]; hour: number; minute: number })
  | (WindowBase & { kind: 'cron'; cron: CronSpec; expression: string });

type CalendarDate = { year: number; month: number; day: number; weekday: number };

/** Openings (instants) whose wall-clock date is `date`, in order. */
function openingsOn(w: MaintenanceWindow, date: CalendarDate): number[] {
  if (w.kind === 'weekly') return w.days.includes(date.weekday) ? [instantOf(date, w.hour, w.minute, w.tz)] : [];
  if (!cronMatchesDay(w.cron, date)) return [];
  const out: number[] = [];
  for (const h of [...w.cron.hours].sort((a, b) => a - b)) {
    for (const m of [...w.cron.minutes].sort((a, b) => a - b)) out.push(instantOf(date, h, m, w.tz));
  }
  // two wall times in one DST gap land on one instant: keep it once
  return [...new Set(out)].sort((a, b) => a - b);
}

function localDate(instant: number, tz: string): CalendarDate {
  const w = wallTimeAt(instant, tz);
  return { year: w.year, month: w.month, day: w.day, weekday: w.weekday };
}

/** Openings in [from, to], in order. */
export function openingsBetween(w: MaintenanceWindow, from: number, to: number): number[] {
  const first = addDays(localDate(from, w.tz), -1);
  const out: number[] = [];
  for (let i = 0; ; i++) {
    const date = addDays(first, i);
    const dayOpenings = openingsOn(w, date);
    out.push(...dayOpenings.filter((t) => t >= from && t <= to));
    if (Date.UTC(date.year, date.month - 1, date.day) > to + 2 * 86_400_000) break;
  }
  return out;
}

/** The openings whose window contains `instant`. */
function openingsContaining(w: MaintenanceWindow, instant: number): number[] {
  return openingsBetween(w, instant - w.durationMs + 1, instant);
}

/** Is the window open at `instant` (an opening at or before it whose duration has not run out)? */
export function isOpen(w: MaintenanceWindow, instant: number): boolean {
  return openingsContaining(w, instant).length > 0;
}

/** When the window open at `instant` closes (the latest close of overlapping openings), or null when it is closed. */
export function closesAt(w: MaintenanceWindow, instant: number): number | null {
  const open = openingsContaining(w, instant);
  return open.length === 0 ? null : Math.max(...open) + w.durationMs;
}

/** How far ahead nextOpenings looks: a cron for 29 February waits up to 8 years. */
const SEARCH_DAYS = 366 * 9;

/** The next `n` openings at or after `from`, in order (fewer when the window never opens within nine years). */
export function nextOpenings(w: MaintenanceWindow, from: number, n: number): number[] {
  const out: number[] = [];
  const first = addDays(localDate(from, w.tz), -1);
  for (let i = 0; i < SEARCH_DAYS && out.length < n; i++) {
    for (const t of openingsOn(w, addDays(first, i))) if (t >= from && out.length < n) out.push(t);
  }
  return out;
}
