// Where an assignment's maintenance window stands at an instant, for people and for `drift --json`: open (and until
// when) or closed, and when it next opens — in UTC and in the window's own zone. Pure: `now` comes in.

import { DAY_NAMES } from './cron.ts';
import { closesAt, nextOpenings, type MaintenanceWindow } from './window.ts';
import { wallTimeAt } from './zoned-time.ts';

export interface WindowState {
  open: boolean;
  /** ISO 8601 UTC; null when closed */
  closes_at: string | null;
  /** the next opening after `now` (ISO 8601 UTC); null when it never opens within the search horizon */
  next_opening: string | null;
  tz: string;
}

/** null: the assignment has no window (any time is allowed). */
export function windowState(w: MaintenanceWindow | undefined, now: number): WindowState | null {
  if (!w) return null;
  const closes = closesAt(w, now);
  const [next] = nextOpenings(w, now + 1, 1);
  return { open: closes !== null, closes_at: iso(closes), next_opening: iso(next ?? null), tz: w.tz };
}

/** "open until 2026-12-05 06:00 Europe/Berlin" / "closed, opens 2026-12-05 02:00 Europe/Berlin" / "never opens". */
export function windowWords(s: WindowState): string {
  if (s.open && s.closes_at) return `open until ${localTime(s.closes_at, s.tz)} ${s.tz}`;
  return s.next_opening ? `closed, opens ${localTime(s.next_opening, s.tz)} ${s.tz}` : 'closed, and it never opens';
}

/** An ISO instant as the wall clock in `tz` reads it: `2026-12-05 02:00` (with `weekday`: `sat 2026-12-05 02:00`). */
export function localTime(at: string, tz: string, o: { weekday?: boolean } = {}): string {
  const t = wallTimeAt(Date.parse(at), tz);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${o.weekday ? `${DAY_NAMES[t.weekday]} ` : ''}${t.year}-${p(t.month)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}`;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
