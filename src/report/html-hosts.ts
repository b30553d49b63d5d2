// The per-host table of the HTML report: one row per host with its versions, status, duration and, for a
// host in trouble, the error code, message, hint, warnings and the output of the step that failed.

import { escapeHtml } from './html-escape.ts';
import type { HtmlHost, HtmlRun } from './html-input.ts';
import { hostLook, needsAttention } from './html-status.ts';
import { hasWaves } from './html-waves.ts';
import { formatDuration } from '../util/text-table.ts';

export function hostsHtml(run: HtmlRun): string {
  const waves = hasWaves(run.hosts);
  let attention = 0;
  for (const h of run.hosts) if (needsAttention(h.status)) attention++;
  const head = ['Host', ...(waves ? ['Wave'] : []), 'From', 'To', 'Status', 'Duration', 'Error / notes'];
  const filter = attention
    ? `<label class="filter"><input type="checkbox" id="only-attention"> show only the ${attention} host${attention === 1 ? '' : 's'} that need attention</label>`
    : '';
  return [
    '<section class="hosts" aria-labelledby="hosts-h">',
    `<h2 id="hosts-h">Hosts</h2>`,
    filter,
    '<table>',
    `<thead><tr>${head.map((h, i) => `<th${h === 'Duration' || (waves && i === 1) ? ' class="num"' : ''}>${h}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...run.hosts.map((h) => hostRow(h, waves)),
    '</tbody>',
    '</table>',
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');
}

function hostRow(h: HtmlHost, waves: boolean): string {
  const look = hostLook(h.status);
  const cells = [
    `<th scope="row">${escapeHtml(h.name)}</th>`,
    ...(waves ? [`<td class="num">${typeof h.wave === 'number' ? h.wave : '–'}</td>`] : []),
    `<td><code>${escapeHtml(h.from ?? '–')}</code></td>`,
    `<td><code>${escapeHtml(h.to ?? '–')}</code></td>`,
    `<td><span class="badge st-${look.key}"><b class="ic">${look.icon}</b> ${escapeHtml(look.label)}</span></td>`,
    `<td class="num">${h.duration_ms == null || (h.duration_ms === 0 && !h.steps?.length) ? '–' : formatDuration(h.duration_ms)}</td>`,
    `<td class="notes">${notes(h)}</td>`,
  ];
  return `<tr class="st-${look.key}${needsAttention(h.status) ? ' attn' : ''}">${cells.join('')}</tr>`;
}

function notes(h: HtmlHost): string {
  const parts: string[] = [];
  if (h.error) {
    const [first, more] = splitFirstLine(h.error.message);
    parts.push(`<code class="code">${escapeHtml(h.error.code)}</code> ${escapeHtml(first)}`);
    if (more) parts.push(`<details><summary>full message</summary><pre>${escapeHtml(h.error.message)}</pre></details>`);
    if (h.error.hint) parts.push(`<div class="hint"><b>Hint:</b> ${escapeHtml(h.error.hint)}</div>`);
  }
  for (const w of h.warnings ?? []) parts.push(`<div class="warn"><b class="ic">⚠</b> ${escapeHtml(w)}</div>`);
  for (const s of h.steps ?? []) {
    if (s.status !== 'fail' || !s.message || s.message.trim() === h.error?.message.trim()) continue;
    parts.push(`<details><summary>${escapeHtml(s.step)} output${s.code ? ` (${escapeHtml(s.code)})` : ''}</summary><pre>${escapeHtml(s.message.replace(/\s+$/, ''))}</pre></details>`);
  }
  return parts.join('');
}

function splitFirstLine(text: string): [string, boolean] {
  const lines = text.replace(/\s+$/, '').split('\n');
  return [lines[0] ?? '', lines.length > 1];
}
