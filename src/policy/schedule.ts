// `gofleet reconcile --print-schedule`: each assignment's window and its next openings (when a reconcile run from
// cron, a systemd timer or a scheduled task will find it open), for people and as JSON. Pure: `now` comes in.

import { DAY_NAMES } from './cron.ts';
import { formatDuration } from './duration.ts';
import type { Policy } from './types.ts';
import { nextOpenings, type MaintenanceWindow } from './window.ts';
import { localTime, windowState, windowWords, type WindowState } from './window-state.ts';

export interface ScheduleEntry {
  assignment: number;
  hosts: string;
  channel: string;
  /** selected hosts this assignment holds (first match wins) */
  host_count: number;
  /** `weekly sat,sun 02:00 for 4h` / `daily 00:00 for 1d` / `cron "0 2 * * 6" for 4h`; null: no window (any time) */
  window: string | null;
  tz: string | null;
  now: WindowState | null;
  /** the next openings after now: ISO 8601 UTC */
  next: { opens: string; closes: string }[];
}

export function describeWindow(w: MaintenanceWindow): string {
  const p = (n: number) => String(n).padStart(2, '0');
  // weeks read Monday first (sat,sun, not sun,sat); all seven days: daily
  const days = w.kind === 'weekly' ? [...new Set(w.days)].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)) : [];
  const when = days.length === 7 ? 'daily' : `weekly ${days.map((d) => DAY_NAMES[d]).join(',')}`;
  const what = w.kind === 'weekly' ? `${when} ${p(w.hour)}:${p(w.minute)}` : `cron "${w.expression}"`;
  return `${what} for ${formatDuration(w.durationMs)}`;
}

export function schedule(policy: Policy, hostCounts: ReadonlyMap<number, number>, now: number, count: number): ScheduleEntry[] {
  return policy.assign.map((a) => {
    const w = a.window;
    return {
      assignment: a.index,
      hosts: a.hosts,
      channel: a.channel,
      host_count: hostCounts.get(a.index) ?? 0,
      window: w ? describeWindow(w) : null,
      tz: w?.tz ?? null,
      now: windowState(w, now),
      next: w ? nextOpenings(w, now + 1, count).map((t) => ({ opens: new Date(t).toISOString(), closes: new Date(t + w.durationMs).toISOString() })) : [],
    };
  });
}

/** The schedule as lines: one head per assignment, its state now, then its next openings in its own zone. */
export function scheduleText(entries: readonly ScheduleEntry[]): string {
  return entries
    .map((e) => {
      const n = `${e.host_count} host${e.host_count === 1 ? '' : 's'}`;
      const head = `assign[${e.assignment}] hosts ${JSON.stringify(e.hosts)} -> ${e.channel}, ${n}: `;
      if (!e.window || !e.now || !e.tz) return `${head}no window (any reconcile may roll out)\n`;
      const tz = e.tz;
      const local = (iso: string) => localTime(iso, tz, { weekday: true });
      const lines = e.next.map((o) => `  ${local(o.opens)} - ${local(o.closes)} ${tz}  (${o.opens} - ${o.closes})\n`);
      return `${head}${e.window} (${tz})\n  now: ${windowWords(e.now)}\n${lines.join('')}`;
    })
    .join('');
}
