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

function waveSection(wave, names) {
  const hosts = names.map((n) => run.hosts.get(n)).filter(Boolean);
  const done = hosts.filter((x) => x.status !== 'pending' && x.status !== 'running').length;
  const title = wave === null ? 'Not in a wave yet' : `Wave ${wave}`;
  const bar = h('div', { class: 'progress' }, h('span'));
  bar.firstChild.style.width = `${hosts.length ? (100 * done) / hosts.length : 0}%`;
  return h('section', { class: 'wave', 'data-wave': wave ?? 'none' },
    h('h3', {}, title, h('small', {}, `${done} of ${plural(hosts.length, 'host')} done`)),
    h('table', {}, h('tbody', {}, hosts.map((x) => h('tr', { 'data-host': x.name },
      h('td', { class: 'mono' }, x.name),
      h('td', {}, badge(x.status === 'running' ? 'running' : x.status, x.status === 'running' ? 'in progress' : undefined)),
      h('td', {}, stepChips(x)),
      h('td', { class: 'mono muted' }, x.from && x.to ? `${x.from} → ${x.to}` : ''),
      h('td', { class: 'num muted' }, x.durationMs !== undefined ? formatEta(x.durationMs) : ''),
      h('td', { class: 'muted' }, x.error ? `${x.error.code}: ${x.error.message}` : ''))))),
    bar);
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
    waves.map((w) => waveSection(w, run.waves.get(w).hosts)),
    unwaved.length ? waveSection(null, unwaved) : null);
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
