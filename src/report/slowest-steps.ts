// "Where did the time go?": the slowest host steps of a run, for the end-of-run summary; pure.

import type { EngineStep, HostResult } from '../engine/events.ts';
import { safeText } from './safe-text.ts';
import { formatDuration, renderTable } from '../util/text-table.ts';

export interface SlowStep {
  host: string;
  step: EngineStep;
  status: 'ok' | 'fail' | 'skip';
  durationMs: number;
}

/** The `limit` longest finished steps over all hosts, longest first (ties: host order, then step order). */
export function slowestSteps(results: readonly Pick<HostResult, 'name' | 'steps'>[], limit = 5): SlowStep[] {
  const all: SlowStep[] = [];
  for (const r of results) {
    for (const s of r.steps) {
      if (s.endedAt === null || s.status === 'running') continue;
      all.push({ host: r.name, step: s.step, status: s.status, durationMs: Math.max(0, s.endedAt - s.startedAt) });
    }
  }
  // Array.prototype.sort is stable: equal durations keep host and step order
  return all.sort((a, b) => b.durationMs - a.durationMs).slice(0, Math.max(0, limit));
}

/** The summary block: a heading and a small table; empty when no step finished. */
export function slowestStepsBlock(steps: readonly SlowStep[]): string {
  if (steps.length === 0) return '';
  const rows = steps.map((s) => [safeText(s.host), s.step + (s.status === 'ok' ? '' : ` (${s.status})`), formatDuration(s.durationMs)]);
  return `slowest steps:\n${renderTable(['host', 'step', 'duration'], rows, { right: [2] })}`;
}
