// The timeline of the HTML report: one horizontal bar per host on the run's time axis, a segment per step
// (coloured, iconed and titled by its status), hosts grouped by wave. Linear in the number of steps.

import { escapeAttr, escapeHtml } from './html-escape.ts';
import { timeOf, type HtmlHost, type HtmlRun, type HtmlStep } from './html-input.ts';
import { countByStatus, COUNT_LABELS, COUNT_ORDER, hostLook, stepLook } from './html-status.ts';
import { offsetLabel, pct, ticks, tickStep, timeAxis, widthPct, type TimeAxis } from './html-time-axis.ts';
import { groupByWave, hasWaves, type WaveGroup } from './html-waves.ts';
import { formatDuration } from '../util/text-table.ts';

/** Above this many hosts the bars get thin and segments carry no text labels (titles stay). */
export const DENSE_HOSTS = 60;
/** The track width (px) and narrowest glyphs labels are offered for; CSS hides a label that does not fit. */
const TRACK_PX = 920;
const LABEL_CHAR_PX = 5.5;
/** Before a label: where the label does not fit on the segment's one visible line it wraps out of sight. */
const WRAP_POINT = '&#8203;';
const TITLE_MESSAGE_MAX = 300;

export function timelineHtml(run: HtmlRun): string {
  const axis = timeAxis(run);
  const dense = run.hosts.length > DENSE_HOSTS;
  const grouped = hasWaves(run.hosts);
  const body = groupByWave(run.hosts).map((g) => (grouped ? waveHtml(g, axis, dense) : g.hosts.map((h) => hostRow(h, axis, dense)).join('\n')));
  const step = tickStep(axis.span);
  const zero = new Date(axis.start).toISOString().slice(11, 19);
  return [
    '<section class="timeline" aria-labelledby="timeline-h">',
    '<h2 id="timeline-h">Timeline</h2>',
    `<p class="caption">One bar per host, one segment per step, placed when it ran. 0s is ${zero} UTC; the run took ${escapeHtml(formatDuration(axis.end - axis.start))}. Hover a segment for its step, status, duration and message.</p>`,
    `<div class="tl${dense ? ' dense' : ''}" style="--tick:${fixedPct((step / axis.span) * 100)}%">`,
    axisRow(axis),
    ...body,
    '</div>',
    legendHtml(),
    '</section>',
  ].join('\n');
}

function axisRow(axis: TimeAxis): string {
  const labels = ticks(axis).map((t) => `<span style="left:${pct(axis, axis.start + t)}%">${offsetLabel(t)}</span>`);
  return `<div class="tl-row tl-axis" aria-hidden="true"><span class="tl-name"></span><span class="tl-track">${labels.join('')}</span><span class="tl-dur">took</span></div>`;
}

function waveHtml(group: WaveGroup, axis: TimeAxis, dense: boolean): string {
  let first = Infinity;
  let last = -Infinity;
  for (const h of group.hosts) {
    if (!h.steps?.length) continue;
    const [s, e] = [timeOf(h.started_at), timeOf(h.ended_at)];
    if (s !== null && s < first) first = s;
    if (e !== null && e > last) last = e;
  }
  const band = Number.isFinite(first) && last >= first ? `<span class="wave-band" style="left:${pct(axis, first)}%;width:${widthPct(axis, first, last)}%"></span>` : '';
  const counts = countByStatus(group.hosts.map((h) => h.status));
  const tally = COUNT_ORDER.filter((k) => counts.get(k))
    .map((k) => `<span class="st-${k}">${COUNT_LABELS[k]?.icon ?? ''} ${counts.get(k)}</span>`)
    .join(' ');
  const name = group.wave === null ? 'No wave' : `Wave ${group.wave}`;
  const took = band ? formatDuration(last - first) : '–';
  return [
    '<details class="wave" open>',
    `<summary class="tl-row wave-row"><span class="tl-name"><b>${name}</b> <small>${group.hosts.length} host${group.hosts.length === 1 ? '' : 's'}</small> <small class="tally">${tally}</small></span><span class="tl-track">${band}</span><span class="tl-dur">${took}</span></summary>`,
    ...group.hosts.map((h) => hostRow(h, axis, dense)),
    '</details>',
  ].join('\n');
}

function hostRow(h: HtmlHost, axis: TimeAxis, dense: boolean): string {
  const look = hostLook(h.status);
  const [start, end] = [timeOf(h.started_at), timeOf(h.ended_at)];
  const life = start !== null ? `<span class="life" style="left:${pct(axis, start)}%;width:${widthPct(axis, start, end ?? axis.end)}%"></span>` : '';
  const steps = h.steps ?? [];
  const segments = steps.length ? steps.map((s) => segment(s, axis, dense)).join('') : '<span class="none">no steps recorded</span>';
  const took = h.duration_ms == null || (h.duration_ms === 0 && !steps.length) ? '–' : formatDuration(h.duration_ms);
  return `<div class="tl-row host st-${look.key}"><span class="tl-name" title="${escapeAttr(`${h.name}: ${look.label}`)}"><b class="ic">${look.icon}</b>${escapeHtml(h.name)}</span><span class="tl-track">${life}${segments}</span><span class="tl-dur">${took}</span></div>`;
}

function segment(s: HtmlStep, axis: TimeAxis, dense: boolean): string {
  const look = stepLook(s.ended_at ? s.status : 'running');
  const start = timeOf(s.started_at) ?? axis.start;
  const end = timeOf(s.ended_at) ?? axis.end;
  const width = widthPct(axis, start, end);
  const text = look.icon ? `${look.icon} ${s.step}` : s.step;
  const fits = !dense && (Number(width) / 100) * TRACK_PX >= text.length * LABEL_CHAR_PX + 7;
  const title = [
    `${s.step} · ${look.label} · ${s.ended_at ? formatDuration(end - start) : 'unfinished'} (at +${offsetLabel(start - axis.start)})`,
    ...(s.code ? [s.code] : []),
    ...(s.message ? [clip(s.message, TITLE_MESSAGE_MAX)] : []),
  ].join('\n');
  return `<i class="${look.key}" style="left:${pct(axis, start)}%;width:${width}%" title="${escapeAttr(title)}">${fits ? WRAP_POINT + escapeHtml(text) : ''}</i>`;
}

function legendHtml(): string {
  const items = ['ok', 'fail', 'skip', 'running'].map((k) => {
    const look = stepLook(k);
    return `<li><i class="${look.key}">${look.icon}</i> step ${look.label}</li>`;
  });
  return `<ul class="legend" aria-label="legend">${items.join('')}<li><span class="life"></span> host busy (between steps)</li></ul>`;
}

function clip(text: string, max: number): string {
  const t = text.replace(/\s+$/, '');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function fixedPct(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
