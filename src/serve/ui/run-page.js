// One run (GET /runs/:id): live progress folded from the run's events (replayed, then streamed), per wave and
// per host with each step as it happens, the ETA, a banner while the rollout waits between waves (Approve /
// Stop, sent with the CSRF token), and the run's HTML report once it has ended.

import { getJson, live, post } from './api.js';
import { badge, formatEta, h, mount, plural, utc } from './dom.js';
import { applyEvent, emptyRun, runEta, tally } from './run-model.js';

const app = document.getElementById('app');
const id = document.body.dataset.run;
const run = emptyRun(id);
const root = encodeURIComponent(id);
let summary = null;
let actionError = '';
let busy = false;
let queued = 0;

function schedule() {
  if (!queued) queued = requestAnimationFrame(() => ((queued = 0), render()));
}

async function act(kind) {
  const wave = run.paused?.wave;
  if (!wave || busy) return;
  busy = true;
  actionError = '';
  render();
  const res = await post(`/api/runs/${root}/${kind}`, { wave });
  busy = false;
  if (!res.ok) actionError = res.body?.error?.message ?? `refused (${res.status})`;
  render();
}

function banner() {
  if (run.paused) {
    const p = run.paused;
    const names = p.hosts.slice(0, 6).join(', ') + (p.hosts.length > 6 ? `, +${p.hosts.length - 6} more` : '');
    return h('div', { class: 'banner', id: 'paused', role: 'alert' },
      h('p', {}, h('strong', {}, `Paused before wave ${p.wave} of ${p.waves}`), h('br'), `${plural(p.hosts.length, 'host')} waiting: ${names}`,
        actionError ? h('span', { class: 'error', id: 'action-error' }, ` ${actionError}`) : null),
      h('button', { class: 'btn approve', id: 'approve', type: 'button', disabled: busy, onclick: () => act('approve') }, `Approve wave ${p.wave}`),
      h('button', { class: 'btn stop', id: 'stop', type: 'button', disabled: busy, onclick: () => act('stop') }, 'Stop the rollout'));
  }
  if (run.decision) {
    const d = run.decision;
    const what = d.decision === 'approved' ? `Wave ${d.wave} approved by ${d.by} — the rollout goes on` : `Stopped before wave ${d.wave} by ${d.by}`;
    return h('div', { class: `banner ${d.decision === 'approved' ? 'resumed' : 'stopped'}`, id: 'decision' }, h('p', {}, h('strong', {}, what), ` · ${utc(new Date(d.at).toISOString())}`));
  }
  return null;
}

function stepChips(x) {
  return h('span', { class: 'steps' }, x.steps.map((s) => h('span', { class: `step ${s.status}`, title: s.message ?? `${s.step}: ${s.status}` }, s.step)));
}

const ROWS_SHOWN = 300;
const PROBLEM = new Set(['failed', 'rolled_back', 'unreachable']);
/** waves the person opened or closed (by number; 'none' for hosts in no wave yet) */
const toggled = new Map();

function hostRow(x) {
  return h('tr', { 'data-host': x.name },
    h('td', { class: 'mono' }, x.name),
    h('td', {}, badge(x.status === 'running' ? 'running' : x.status, x.status === 'running' ? 'in progress' : undefined)),
    h('td', {}, stepChips(x)),
    h('td', { class: 'mono muted' }, x.from && x.to ? `${x.from} → ${x.to}` : ''),
    h('td', { class: 'num muted' }, x.durationMs !== undefined ? formatEta(x.durationMs) : ''),
    h('td', { class: 'muted', title: x.error ? `${x.error.code}: ${x.error.message}` : null }, x.error ? `${x.error.code}: ${x.error.message}` : ''));
}

/**
 * One wave: a summary line and, when open, its hosts. Open by default while it runs or when a host in it needs
 * looking at; a big wave shows hosts in flight and in trouble first, then the first ROWS_SHOWN of the rest, so a
 * 5,000-host rollout stays light (the report has every host).
 */
function waveSection(wave, names, current) {
  const key = wave ?? 'none';
  const hosts = names.map((n) => run.hosts.get(n)).filter(Boolean);
  const done = hosts.filter((x) => x.status !== 'pending' && x.status !== 'running').length;
  const trouble = hosts.filter((x) => PROBLEM.has(x.status));
  const open = toggled.get(key) ?? (current || trouble.length > 0);
  const title = wave === null ? 'Not in a wave yet' : `Wave ${wave}`;
  const bar = h('div', { class: 'progress' }, h('span'));
  bar.firstChild.style.width = `${hosts.length ? (100 * done) / hosts.length : 0}%`;
  const details = h('details', { class: 'wave', 'data-wave': key, open },
    h('summary', {}, h('h3', {}, title, h('small', {}, `${done} of ${plural(hosts.length, 'host')} done${trouble.length ? ` · ${trouble.length} need a look` : ''}`))));
  details.addEventListener('toggle', () => {
    if (details.open === open) return;
    toggled.set(key, details.open);
    schedule();
  });
  if (open) {
    const first = [...hosts.filter((x) => x.status === 'running'), ...trouble];
    const rest = hosts.filter((x) => !first.includes(x));
    const shown = [...first, ...rest].slice(0, Math.max(ROWS_SHOWN, first.length));
    details.append(h('table', {}, h('tbody', {}, shown.map(hostRow))));
    if (hosts.length > shown.length) details.append(h('p', { class: 'more' }, `+ ${plural(hosts.length - shown.length, 'more host')}: every host is in the report`));
  }
  details.append(bar);
  return details;
}

const parts = {};

function skeleton() {
  parts.head = h('div', { class: 'run-head' });
  parts.meta = h('dl', { class: 'run-meta' });
  parts.banner = h('div', { id: 'banner-slot' });
  parts.progress = h('div', { id: 'progress' });
  parts.report = h('div', { id: 'report' }, h('p', { class: 'empty' }, 'The report is shown here when the run has ended.'));
  mount(app, parts.head, parts.meta, parts.banner,
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Progress'), h('p', {}, 'per wave and per host, as it happens')), parts.progress),
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Report'), h('a', { href: `/api/runs/${root}/report`, target: '_blank', rel: 'noopener' }, 'open in a new tab')), parts.report));
}

function render() {
  const ended = run.endedAt !== null || (summary !== null && summary.status !== 'running');
  const state = run.paused ? 'paused' : ended ? (summary?.status === 'running' ? 'done' : (summary?.status ?? 'done')) : run.startedAt ? 'running' : (summary?.status ?? 'pending');
  const eta = runEta(run, Date.now());
  const counts = tally(run);
  const waves = [...run.waves.keys()].sort((a, b) => a - b);
  const unwaved = [...run.hosts.values()].filter((x) => x.wave === null).map((x) => x.name);
  const target = run.target ?? summary?.target;
  mount(parts.head, h('h1', {}, `Run ${id}`), h('span', { id: 'run-state', 'data-state': state }, badge(state)));
  mount(parts.meta,
    h('div', {}, h('dt', {}, 'Command'), h('dd', {}, `${run.command ?? summary?.command ?? '–'}${target ? ` → ${target}` : ''}`)),
    h('div', {}, h('dt', {}, 'Started'), h('dd', {}, run.startedAt ? utc(new Date(run.startedAt).toISOString()) : utc(summary?.started))),
    h('div', {}, h('dt', {}, 'Hosts'), h('dd', { id: 'host-counts' }, Object.entries(counts).map(([s, n]) => `${n} ${s.replace('_', ' ')}`).join(', ') || '–')),
    h('div', {}, h('dt', {}, ended ? 'Ended' : 'Time left'), h('dd', { id: 'eta' }, ended ? utc(run.endedAt ? new Date(run.endedAt).toISOString() : summary?.ended) : eta === null ? 'estimating…' : `about ${formatEta(eta)}`)));
  mount(parts.banner, banner());
  mount(parts.progress,
    waves.length === 0 && unwaved.length === 0 ? h('p', { class: 'empty' }, 'No events yet.') : null,
    waves.map((w) => waveSection(w, run.waves.get(w).hosts, w === waves[waves.length - 1] && !ended)),
    unwaved.length ? waveSection(null, unwaved, false) : null);
  // the frame is made once: re-inserting it would load the report again
  if (ended && !parts.report.querySelector('iframe')) {
    mount(parts.report, h('iframe', { class: 'report', src: `/api/runs/${root}/report`, title: `report of run ${id}`, sandbox: '' }));
  }
}

async function load() {
  const buffered = [];
  let replayed = false;
  live((e) => (replayed ? (applyEvent(run, e), schedule()) : buffered.push(e)));
  try {
    const [{ events }, runs] = await Promise.all([getJson(`/api/runs/${root}/events`), getJson('/api/runs')]);
    summary = runs.runs.find((r) => r.id === id) ?? null;
    for (const e of [...events, ...buffered]) applyEvent(run, e);
  } catch (err) {
    mount(app, h('p', { class: 'error' }, `Could not load run ${id}: ${err.message}`));
    return;
  }
  replayed = true;
  skeleton();
  render();
  setInterval(() => run.endedAt === null && run.startedAt !== null && schedule(), 1000);
}
load();
