// The drift document (docs/design.md `drift --json`), its human table and its exit code. Pure.
//   exit 0 every host complies, 2 any drifts, 3 some are unknown (unreachable, unresolved) and none drift.

import { renderTable } from '../util/text-table.ts';
import { DRIFTED, type DriftResult, type DriftStatus } from './drift.ts';

/** One host of `drift --json` (docs/design.md "Policy"), before drift adds `window` and `vulns`. */
export type DriftHostJson = Pick<DriftResult, 'name' | 'status' | 'active' | 'wanted' | 'channel' | 'assignment' | 'reasons' | 'notes'>;

export function driftJson(results: readonly DriftResult[]): { hosts: DriftHostJson[]; counts: Record<DriftStatus, number> } {
  return {
    hosts: results.map((r) => ({
      name: r.name, status: r.status, active: r.active, wanted: r.wanted, channel: r.channel, assignment: r.assignment, reasons: r.reasons, notes: r.notes,
    })),
    counts: driftCounts(results),
  };
}

export function driftCounts(results: readonly DriftResult[]): Record<DriftStatus, number> {
  const counts: Record<DriftStatus, number> = { compliant: 0, behind: 0, ahead: 0, off_pin: 0, misconfigured: 0, unknown: 0, unassigned: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

export function driftExitCode(results: readonly DriftResult[]): 0 | 2 | 3 {
  if (results.some((r) => DRIFTED.has(r.status))) return 2;
  return results.some((r) => r.status === 'unknown') ? 3 : 0;
}

export function driftText(results: readonly DriftResult[]): string {
  const rows = results.map((r) => [r.name, r.status.replace('_', '-'), r.active ?? '-', r.wanted ?? '-', r.channel ?? '-', r.reasons.join('; ') || '-']);
  const counts = Object.entries(driftCounts(results)).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s.replace('_', '-')}`);
  const notes = results.flatMap((r) => r.notes.map((n) => `note: ${r.name}: ${n}\n`));
  return renderTable(['HOST', 'STATUS', 'ACTIVE', 'WANTED', 'CHANNEL', 'WHY'], rows) + `\n${results.length} hosts: ${counts.join(', ')}\n` + notes.join('');
}
