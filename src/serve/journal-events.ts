// DashboardData.runEvents from the run journal: the journal keeps each engine event whole as its payload
// (store/record-events.ts; run-end trimmed to names and statuses, long strings excerpted), so a run's replay is
// its payloads in order, plus the pause the service holds now (pauses are not engine events and are not
// journaled). What the run page folds (ui/run-model.js) needs nothing more.

import type { JournalEvent } from '../store/index.ts';
import type { LiveEvent, PausedEvent } from './types.ts';

const KINDS = new Set(['run-start', 'wave-start', 'host-step', 'host-done', 'wave-end', 'run-end', 'archive']);

export function liveEventsFromJournal(events: readonly JournalEvent[], paused: PausedEvent | null = null): LiveEvent[] {
  const out = events.filter((e) => KINDS.has(e.kind) && e.payload.kind === e.kind).map((e) => e.payload as unknown as LiveEvent);
  return paused ? [...out, paused] : out;
}
