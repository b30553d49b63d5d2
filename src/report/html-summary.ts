// The head of the HTML report: what ran, who ran it, when, how long, how it ended, and hosts per status.

import { escapeAttr, escapeHtml } from './html-escape.ts';
import { timeOf, type HtmlRun } from './html-input.ts';
import { countByStatus, COUNT_LABELS, COUNT_ORDER, needsAttention } from './html-status.ts';
import { formatDuration } from '../util/text-table.ts';

export function summaryHtml(run: HtmlRun): string {
  const counts = countByStatus(run.hosts.map((h) => h.status));
  const title = [run.command ?? 'run', run.target ? `→ ${run.target}` : ''].filter(Boolean).join(' ');
  return [
    '<header class="summary">',
    '<p class="brand">gofleet · run report</p>',
    `<h1>${escapeHtml(title)}</h1>`,
    outcomeHtml(run),
    metaHtml(run),
    run.argv?.length ? `<pre class="argv"><code>$ ${escapeHtml(run.argv.map(shellWord).join(' '))}</code></pre>` : '',
    countsHtml(counts, run.hosts.length),
    '</header>',
  ]
    .filter(Boolean)
    .join('\n');
}

/** One line that says how it went, with an icon and a word, not only a colour. */
function outcomeHtml(run: HtmlRun): string {
  const total = run.hosts.length;
  let attention = 0;
  let skipped = 0;
  for (const h of run.hosts) {
    if (needsAttention(h.status)) attention++;
    if (h.status === 'skipped') skipped++;
  }
  const hosts = (n: number): string => `${n} host${n === 1 ? '' : 's'}`;
  const of = (n: number): string => `${n} of ${hosts(total)}`;
  const [key, icon, text] =
    run.status === 'interrupted'
      ? ['unfinished', '⏸', `Interrupted · ${of(attention)} did not finish or failed`]
      : run.status === 'failed'
        ? ['failed', '✗', `The run failed before it finished · ${of(attention)} need attention`]
        : run.status === 'running'
          ? ['unfinished', '◌', run.abandoned ? 'Still marked running, but its controller is gone' : 'Still running when this report was made']
          : attention > 0
            ? ['failed', '✗', `${of(attention)} need attention${skipped ? ` · ${skipped} skipped` : ''}`]
            : ['upgraded', '✓', total === 0 ? 'No hosts were selected' : `All ${hosts(total)} OK`];
  return `<p class="outcome st-${key}"><b class="ic">${icon}</b> ${escapeHtml(text)}</p>`;
}

function metaHtml(run: HtmlRun): string {
  const started = timeOf(run.started);
  const ended = timeOf(run.ended);
  const policy = Object.entries(run.policy ?? {})
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${policyValue(v)}`)
    .join(' · ');
  const by = [run.user, run.controller].filter(Boolean).join(' on ');
  const rows: [string, string, boolean][] = [
    ['Run', run.run, true],
    ['Status', [run.status ?? 'unknown', run.abandoned ? '(controller gone)' : ''].filter(Boolean).join(' '), false],
    ['Target', run.target ?? '–', true],
    ['Started', started === null ? '–' : utc(started), false],
    ['Ended', ended === null ? '–' : utc(ended), false],
    ['Duration', started !== null && ended !== null ? formatDuration(ended - started) : '–', false],
    ['By', by || '–', false],
    ['Policy', policy || '–', true],
  ];
  const items = rows.map(([k, v, code]) => `<div><dt>${k}</dt><dd>${code ? `<code>${escapeHtml(v)}</code>` : escapeHtml(v)}</dd></div>`);
  return `<dl class="meta">${items.join('')}</dl>`;
}

/** Tiles shown even at zero (a reader looks for "0 failed"); the others only when a host has them: an upgrade's
 *  page has no "0 switched" / "0 pruned", a use or prune run's page shows its own word. */
const ALWAYS_SHOWN = new Set(['upgraded', 'unchanged', 'failed', 'rolled_back', 'unreachable', 'skipped']);

function countsHtml(counts: Map<string, number>, total: number): string {
  const tiles = COUNT_ORDER.filter((k) => ALWAYS_SHOWN.has(k) || counts.get(k)).map((k) => {
    const n = counts.get(k) ?? 0;
    const look = COUNT_LABELS[k];
    return `<li class="st-${k}${n ? '' : ' zero'}"><b><span class="ic">${look?.icon ?? ''}</span> ${n}</b> ${look?.label ?? k}</li>`;
  });
  const parts = COUNT_ORDER.filter((k) => counts.get(k)).map((k) => ({ k, n: counts.get(k) ?? 0 }));
  const label = parts.map(({ k, n }) => `${n} ${COUNT_LABELS[k]?.label ?? k}`).join(', ') || 'no hosts';
  const bar = parts.map(({ k, n }) => `<span class="st-${k}" style="width:${Math.round((n / total) * 10000) / 100}%" title="${escapeAttr(`${n} ${COUNT_LABELS[k]?.label ?? k}`)}"></span>`);
  return [
    `<ul class="counts"><li class="total"><b>${total}</b> host${total === 1 ? '' : 's'}</li>${tiles.join('')}</ul>`,
    `<div class="ratio" role="img" aria-label="${escapeAttr(label)}">${bar.join('')}</div>`,
  ].join('\n');
}

/** waves=1,50%,100% rather than waves=[1,"50%","100%"] */
function policyValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.map(String).join(',');
  return JSON.stringify(v);
}

/** 2026-11-25 09:15:02 UTC */
export function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** An argument as a POSIX shell would need it typed. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
