// The runs page (GET /runs): the journal's history, newest first, each linking to its live view and report;
// refreshed when a run starts or ends.

import { getJson, live } from './api.js';
import { ago, badge, h, mount, utc } from './dom.js';

const app = document.getElementById('app');
const ORDER = ['upgraded', 'switched', 'pruned', 'unchanged', 'failed', 'rolled_back', 'unreachable', 'skipped'];

function countChips(counts) {
  return h('span', { class: 'chips' }, ORDER.filter((s) => counts[s]).map((s) => h('span', { class: `chip st-${s}` }, `${counts[s]} ${s.replace('_', ' ')}`)));
}

function statusOf(r) {
  if (r.abandoned) return badge('unknown', 'controller gone');
  return badge(r.status === 'done' ? 'done' : r.status, r.status);
}

async function load() {
  try {
    const { runs } = await getJson('/api/runs');
    mount(app,
      h('h1', {}, 'Runs'),
      h('p', { class: 'caption' }, 'Recorded in the run journal, newest first. Open a run to follow it live or read its report.'),
      h('section', { class: 'panel' }, runs.length === 0 ? h('p', { class: 'empty' }, 'No runs recorded yet.') :
        h('table', { id: 'runs' },
          h('thead', {}, h('tr', {}, ['Run', 'Started', 'By', 'Command', 'Status', 'Hosts'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, runs.map((r) => h('tr', { 'data-run': r.id },
            h('td', { class: 'mono' }, h('a', { href: `/runs/${encodeURIComponent(r.id)}` }, r.id)),
            h('td', { title: utc(r.started) }, ago(r.started)),
            h('td', {}, r.user),
            h('td', {}, `${r.command}${r.target ? ` → ${r.target}` : ''}`),
            h('td', {}, statusOf(r)),
            h('td', {}, countChips(r.counts))))))));
  } catch (err) {
    mount(app, h('p', { class: 'error' }, `Could not load the runs: ${err.message}`));
  }
}

live((e) => (e.kind === 'run-start' || e.kind === 'run-end') && load());
load();
