// End-of-run summaries for people: a table per host plus totals.

import type { HostResult } from '../engine/events.ts';
import type { HostFactsResult } from '../engine/facts-host.ts';
import type { FleetPlan } from '../engine/plan-fleet.ts';
import { paint } from './colour.ts';
import { statusMark } from './console-progress.ts';
import { formatBytes, formatDuration, renderTable } from './table.ts';

/** A result of a rollout carries its wave (run-fleet.ts); the column shows when there was more than one. */
export type SummaryResult = HostResult & { wave?: number };

export function resultsSummary(results: SummaryResult[], colour = false): string {
  const c = paint(colour);
  const waved = new Set(results.map((r) => r.wave)).size > 1;
  const rows = results.map((r) => [
    ...(waved ? [String(r.wave ?? '-')] : []),
    `${statusMark(r.status, c)} ${r.name}`,
    r.from ?? '-',
    r.to ?? '-',
    r.status,
    formatDuration(r.durationMs),
    r.error ? `${r.error.code}: ${oneLine(r.error.message)}` : r.warnings.length ? `warning: ${oneLine(r.warnings[0] ?? '')}` : '',
  ]);
  const header = [...(waved ? ['wave'] : []), 'host', 'from', 'to', 'status', 'duration', 'error'];
  const table = renderTable(header, rows, { right: [waved ? 5 : 4] });
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const totals = [...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'no hosts';
  const unstarted = results.filter((r) => r.error?.code === 'BUDGET_EXCEEDED');
  const first = unstarted[0];
  const from = first?.wave ? ` (from wave ${first.wave} on)` : '';
  const stopped = first ? `${c.bold('stopped')}: ${stopReason(first)}; ${unstarted.length} host(s) not started${from}\n` : '';
  const hints = [...new Set(results.flatMap((r) => (r.error?.hint ? [`${r.error.code}: ${r.error.hint}`] : [])))];
  return table + `\n${c.bold('total')}: ${totals}\n` + stopped + (hints.length ? `\n${hints.map((h) => `hint ${h}`).join('\n')}\n` : '');
}

/** "wave 2: 1 of 2 host(s) failed, ..." out of a BUDGET_EXCEEDED message. */
function stopReason(r: SummaryResult): string {
  const m = /failure budget is spent \((.*)\)$/.exec(r.error?.message ?? '');
  return m?.[1] ?? 'the failure budget is spent';
}

export function factsSummary(results: HostFactsResult[]): string {
  const rows = results.map((r) => {
    const f = r.facts;
    if (!f) return [r.name, 'no', '-', '-', '-', '-', '-', `${r.error?.code}: ${oneLine(r.error?.message ?? '')}`];
    return [
      r.name,
      'yes',
      `${f.os}/${f.arch}`,
      f.go ? `${f.go.version} (${f.go.path})` : 'none on PATH',
      f.managed.active ?? (f.goroot.state === 'dir' ? `${f.goroot.version ?? '?'} (unmanaged dir)` : '-'),
      f.managed.versions.join(' ') || '-',
      formatBytes(f.freeBytes),
      [f.isRoot ? 'root' : `${f.user}${r.become ? ` sudo:${f.sudo}` : ''}`, ...r.warnings].join('; '),
    ];
  });
  return renderTable(['host', 'reachable', 'platform', 'go on PATH', 'active', 'installed', 'free', 'notes'], rows);
}

export function planSummary(plan: FleetPlan): string {
  const rows = plan.waves.flatMap((w, i) =>
    w.hosts.map((h) => [
      String(i + 1),
      h.name,
      h.from ?? '-',
      h.to,
      h.skip ? 'skip' : h.actions.length ? h.actions.join(', ') : 'unchanged',
      h.skip ? `${h.skip.code}: ${oneLine(h.skip.message)}` : (h.busy ?? ''),
    ]),
  );
  return `plan: upgrade to ${plan.target}\n\n` + renderTable(['wave', 'host', 'from', 'to', 'actions', 'reason'], rows);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 100 ? line.slice(0, 97) + '...' : line;
}
