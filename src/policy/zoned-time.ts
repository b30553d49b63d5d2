// Wall-clock time in an IANA time zone, with Intl (Node ships full ICU): the parts of an instant in a
// zone, and the instant of a wall-clock time. Pure. A wall-clock time that does not exist (the hour a
// spring-forward skips) is moved forward by the gap, and one that exists twice (the hour a fall-back
// repeats) means its first occurrence: Temporal's "compatible" disambiguation, which cron users expect
// (a job is neither lost nor run twice).

export interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  /** 1-31 */
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** True when `tz` is a time zone Intl knows (an IANA name such as Europe/Berlin, or UTC). */
export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time of `instant` (ms since the epoch) in `tz`. */
export function wallTimeAt(instant: number, tz: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(new Date(instant))) parts[p.type] = p.value;
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour), minute: Number(parts.minute), weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
  };
}

/** The zone's offset from UTC at `instant`, in ms (Berlin in summer: +7200000), to the minute. */
export function offsetAt(instant: number, tz: string): number {
  const w = wallTimeAt(instant, tz);
  const floored = Math.floor(instant / 60_000) * 60_000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - floored;
}

/** The instant of a wall-clock date and time in `tz` (see the top of this file for skipped and repeated times). */
export function instantOf(date: { year: number; month: number; day: number }, hour: number, minute: number, tz: string): number {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const before = offsetAt(asUtc - 86_400_000, tz);
  const after = offsetAt(asUtc + 86_400_000, tz);
  const matches = [...new Set([before, after])]
    .map((off) => asUtc - off)
    .filter((t) => Date.UTC(...wallFields(wallTimeAt(t, tz))) === asUtc)
    .sort((a, b) => a - b);
  if (matches[0] !== undefined) return matches[0];
  // in a gap: the offset before the change puts the time that far past the gap's end
  return asUtc - before;
}

function wallFields(w: WallTime): [number, number, number, number, number] {
  return [w.year, w.month - 1, w.day, w.hour, w.minute];
}

/** The calendar date `days` after `date` (no zone involved). */
export function addDays(date: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}
