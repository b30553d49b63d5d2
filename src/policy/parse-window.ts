// `window:` of an assignment: `{ days: [sat, sun], start: "02:00", duration: 4h, tz: Europe/Berlin }` or
// `{ cron: "0 2 * * 6", duration: 4h, tz: Europe/Berlin }`. A zone is required: a fleet spans zones, and a
// silent UTC would open windows at the wrong hour.

import { CronError, DAY_NAMES, parseCron } from './cron.ts';
import { parsePolicyDuration } from './duration.ts';
import { child, invalid, mapOf, stringOf, textOf, type Field } from './policy-fields.ts';
import type { MaintenanceWindow } from './window.ts';
import { isTimeZone } from './zoned-time.ts';

const KEYS = ['days', 'start', 'cron', 'duration', 'tz'];
/** A window longer than a week would never close on a weekly schedule. */
const MAX_DURATION_MS = 7 * 86_400_000;

export function parseWindow(f: Field): MaintenanceWindow {
  const map = mapOf(f, 'window', KEYS);
  if ((map.cron === undefined) === (map.days === undefined)) {
    throw invalid(f, 'a window is either weekly (days + start) or a cron expression (cron), not both or neither',
      'E.g. window: { days: [sat, sun], start: "02:00", duration: 4h, tz: Europe/Berlin } or window: { cron: "0 2 * * 6", duration: 4h, tz: UTC }.');
  }
  const tz = stringOf(child(f, 'tz'), 'tz');
  if (!isTimeZone(tz)) throw invalid(child(f, 'tz'), `unknown time zone ${JSON.stringify(tz)}`, 'Give an IANA time zone name such as Europe/Berlin, America/New_York or UTC.');
  const durationMs = parsePolicyDuration(textOf(child(f, 'duration'), 'duration'));
  if (durationMs === null || durationMs > MAX_DURATION_MS) {
    throw invalid(child(f, 'duration'), `duration must be like 4h, 90m or 1h30m, above zero and at most 7d, got ${JSON.stringify(map.duration)}`);
  }
  if (map.cron !== undefined) {
    if (map.start !== undefined) throw invalid(child(f, 'start'), 'a cron window takes its start from the expression; remove start');
    const expression = stringOf(child(f, 'cron'), 'cron');
    try {
      return { kind: 'cron', tz, durationMs, expression, cron: parseCron(expression) };
    } catch (err) {
      if (err instanceof CronError) throw invalid(child(f, 'cron'), `invalid cron expression ${JSON.stringify(expression)}: ${err.message}`);
      throw err;
    }
  }
  const days = parseDays(child(f, 'days'));
  const start = stringOf(child(f, 'start'), 'start');
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(start);
  if (!m) throw invalid(child(f, 'start'), `start must be a time HH:MM (00:00 to 23:59), got ${JSON.stringify(start)}`, 'Quote it: start: "02:00".');
  return { kind: 'weekly', tz, durationMs, days, hour: Number(m[1]), minute: Number(m[2]) };
}

const FULL_DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** `sat` or `saturday` -> 6; -1 for anything else. */
function dayNumber(name: string): number {
  const short = DAY_NAMES.indexOf(name);
  return short >= 0 ? short : FULL_DAY_NAMES.indexOf(name);
}

/** `[sat, sun]`, `[mon-fri]`, `"mon-fri"` or `daily` -> weekday numbers (0 = Sunday). */
function parseDays(f: Field): number[] {
  const items = Array.isArray(f.value) ? f.value : typeof f.value === 'string' ? f.value.split(',') : null;
  if (!items || items.length === 0) throw invalid(f, 'days must be a list of week days, e.g. [sat, sun] or [mon-fri]');
  const out = new Set<number>();
  for (const [i, item] of items.entries()) {
    const text = typeof item === 'string' ? item.trim().toLowerCase() : '';
    if (text === 'daily') DAY_NAMES.forEach((_, d) => out.add(d));
    const [a, b] = text.split('-').map(dayNumber);
    const ok = text === 'daily' || (a !== undefined && a >= 0 && (b === undefined || b >= 0));
    if (!ok) throw invalid(Array.isArray(f.value) ? child(f, i) : f, `${JSON.stringify(item)} is not a week day (mon, tue, wed, thu, fri, sat, sun, a range such as mon-fri, or daily)`);
    if (text !== 'daily') for (let d = a!; ; d = (d + 1) % 7) { out.add(d); if (d === (b ?? a)) break; }
  }
  return [...out].sort((x, y) => x - y);
}
