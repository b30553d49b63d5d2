// End-of-run summaries for people: a table per host plus totals, why a rollout stopped, and the slowest steps.

import type { HostResult } from '../engine/events.ts';
import type { HostFactsResult } from '../engine/facts-host.ts';
import type { FleetPlan } from '../engine/plan-fleet.ts';
import { paint } from './colour.ts';
import { safeText as t } from './safe-text.ts';
import { statusMark } from './console-progress.ts';
import { slowestSteps, slowestStepsBlock } from './slowest-steps.ts';
import { formatBytes, formatDuration, renderTable } from '../util/text-table.ts';

/** A result of a rollout carries its wave (run-fleet.ts); the column shows when there was more than one. */
export type SummaryResult = HostResult & { wave?: number };

export interface ResultsSummaryOptions {
  /** how many of the slowest host steps to list after the totals (default 5; 0: none) */
  slowest?: number;
}

export function resultsSummary(results: SummaryResult[], colour = false, options: ResultsSummaryOptions = {}): string {
  const c = paint(colour);
  const waved = new Set(results.map((r) => r.wave)).size > 1;
  const rows = results.map((r) => [
    ...(waved ? [String(r.wave ?? '-')] : []),
    `${statusMark(r.status, c)} ${t(r.name)}`,
    t(r.from ?? '-'),
    t(r.to ?? '-'),
    r.status,
    formatDuration(r.durationMs),
    r.error ? `${r.error.code}: ${oneLine(r.error.message)}` : r.warnings.length ? `warning: ${oneLine(r.warnings[0] ?? '')}` : '',
  ]);
  const header = [...(waved ? ['wave'] : []), 'host', 'from', 'to', 'status', 'duration', 'error'];
  const table = renderTable(header, rows, { right: [waved ? 5 : 4] });
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const totals = [...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'no hosts';
  const stopped = stoppedLine(results, 'BUDGET_EXCEEDED', c) + stoppedLine(results, 'INTERRUPTED', c);
  const slow = slowestStepsBlock(slowestSteps(results, options.slowest ?? 5));
  const hints = [...new Set(results.flatMap((r) => (r.error?.hint ? [`${r.error.code}: ${t(r.error.hint)}`] : [])))];
  return (
    table +
    `\n${c.bold('total')}: ${totals}\n` +
    stopped +
    (slow ? `\n${slow}` : '') +
    (hints.length ? `\n${hints.map((h) => `hint ${h}`).join('\n')}\n` : '')
  );
}

/** "stopped: <why>; N host(s) not started (from wave W on)" for hosts a budget, a Ctrl-C or a pause left untouched. */
function stoppedLine(results: SummaryResult[], code: 'BUDGET_EXCEEDED' | 'INTERRUPTED', c: ReturnType<typeof paint>): string {
  const unstarted = results.filter((r) => r.status === 'skipped' && r.error?.code === code);
  const first = unstarted[0];
  if (!first) return '';
  const from = first.wave ? ` (from wave ${first.wave} on)` : '';
  return `${c.bold('stopped')}: ${stopReason(first)}; ${unstarted.length} host(s) not started${from}\n`;
}

/** "wave 2: 1 of 2 host(s) failed, ..." out of a BUDGET_EXCEEDED message; "the run was interrupted" out of others. */
function stopReason(r: SummaryResult): string {
  const message = r.error?.message ?? '';
  const budget = /failure budget is spent \((.*)\)$/.exec(message);
  if (budget?.[1]) return budget[1];
  return /not started, (.*)$/.exec(message)?.[1] ?? (r.error?.code === 'BUDGET_EXCEEDED' ? 'the failure budget is spent' : 'interrupted');
}

export function factsSummary(results: HostFactsResult[]): string {
  const rows = results.map((r) => {
    const f = r.facts;
    if (!f) return [t(r.name), 'no', '-', '-', '-', '-', '-', `${r.error?.code}: ${oneLine(r.error?.message ?? '')}`];
    // everything but the name and the free space was reported by the host
    return [
      r.name,
      'yes',
      `${f.os}/${f.arch}`,
      f.go ? `${f.go.version} (${f.go.path})` : 'none on PATH',
      f.managed.active ?? (f.goroot.state === 'dir' ? `${f.goroot.version ?? '?'} (unmanaged dir)` : '-'),
      f.managed.versions.join(' ') || '-',
      formatBytes(f.freeBytes),
      [f.isRoot ? 'root' : `${f.user}${r.become ? ` sudo:${f.sudo}` : ''}`, ...r.warnings].join('; '),
    ].map((cell) => t(cell));
  });
  return renderTable(['host', 'reachable', 'platform', 'go on PATH', 'active', 'installed', 'free', 'notes'], rows);
}

export function planSummary(plan: FleetPlan): string {
  const rows = plan.waves.flatMap((w, i) =>
    w.hosts.map((h) => [
      String(i + 1),
      t(h.name),
      t(h.from ?? '-'),
      t(h.to),
      h.skip ? 'skip' : h.actions.length ? h.actions.join(', ') : 'unchanged',
      h.skip ? `${h.skip.code}: ${oneLine(h.skip.message)}` : t(h.busy ?? ''),
      ...(plan.distribution ? [t(h.delivery ?? '-')] : []),
    ]),
  );
  const warnings = plan.waves.flatMap((w) => w.hosts.flatMap((h) => (h.warnings ?? []).map((m) => `warning: ${t(h.name)}: ${t(m)}\n`)));
  const method = plan.method === 'msi' ? ' with the official MSI (--method msi)' : '';
  const notes = plan.waves.flatMap((w) =>
    w.hosts.flatMap((h) => (h.skip ? [] : [...(h.notes ?? []), ...(h.deliveryReason && h.delivery !== 'none' && h.delivery !== 'cached' ? [`delivery ${h.delivery ?? ''}: ${h.deliveryReason}`] : [])].map((n) => `note: ${t(h.name)}: ${t(n)}\n`))),
  );
  return `plan: upgrade to ${t(plan.target)}${method}\n${heldBackLines(plan)}\n` + renderTable(['wave', 'host', 'from', 'to', 'actions', 'reason', ...(plan.distribution ? ['delivery'] : [])], rows) + warnings.join('') + (notes.length ? `\n${notes.join('')}` : '');
}

/** Under --min-age: the policy, and each newer release it held back with the reason. */
function heldBackLines(plan: FleetPlan): string {
  if (!plan.age) return '';
  const head = `release age: --min-age ${t(plan.age.minAge)}${plan.age.heldBack.length ? '' : ', nothing newer held back'}\n`;
  return head + plan.age.heldBack.map((h) => `held back: ${t(h.version)}: ${t(h.reason)}\n`).join('');
}

/** A message on one line, cut to 100 characters, control characters shown as \uXXXX. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return t(line.length > 100 ? line.slice(0, 97) + '...' : line);
}
