// The policy page (GET /policy): the channels and what each resolves to now, and each assignment with its hosts,
// its maintenance window (open now or when it next opens) and its rollout shape.

import { getJson } from './api.js';
import { ago, h, mount, utc } from './dom.js';

const app = document.getElementById('app');

function rollout(r) {
  const parts = [['canary', r.canary], ['waves', r.waves], ['max fail', r.max_fail], ['parallel', r.parallel], ['drain timeout', r.drain_timeout], ['pause after', r.pause_after]]
    .filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => `${k} ${v}`);
  if (r.pause) parts.push('a person approves each wave');
  return parts.length ? parts.join(' · ') : 'upgrade defaults';
}

function assignment(a) {
  const look = a.open === null ? 'st-unassigned' : a.open ? 'st-compliant' : 'st-pending';
  return h('article', { class: `assignment ${look}`, 'data-assignment': a.index },
    h('h3', {}, h('code', {}, a.hosts), h('span', { class: 'muted' }, `assign[${a.index}]`)),
    h('dl', {},
      h('dt', {}, 'Channel'), h('dd', {}, `${a.channel}${a.wanted ? ` → ${a.wanted}` : ' (unresolved)'}`),
      h('dt', {}, 'Hosts'), h('dd', {}, a.host_count.toLocaleString('en')),
      h('dt', {}, 'Window'), h('dd', {}, a.window ?? 'any time'),
      h('dt', {}, 'Now'), h('dd', { class: 'window-now' }, a.window_now ?? 'no window: reconcile may run any time'),
      h('dt', {}, 'Next openings'), h('dd', {}, a.next_openings.length ? h('ol', {}, a.next_openings.map((t) => h('li', {}, `${utc(t)} (${ago(t)})`))) : '–'),
      h('dt', {}, 'Rollout'), h('dd', {}, rollout(a.rollout))));
}

async function load() {
  try {
    const p = await getJson('/api/policy');
    mount(app,
      h('h1', {}, 'Policy'),
      h('p', { class: 'caption' }, `From ${p.file}. Assignments are tried in order; the first that selects a host wins.`),
      h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Channels')),
        h('table', { id: 'channels' },
          h('thead', {}, h('tr', {}, ['Channel', 'Follows', 'Resolves to', 'Min age', 'Downgrade', 'GOTOOLCHAIN'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, p.channels.map((c) => h('tr', {},
            h('td', {}, h('strong', {}, c.name)), h('td', { class: 'mono' }, c.target), h('td', { class: 'mono' }, c.resolved ?? 'unresolved'),
            h('td', {}, c.min_age ?? '–'), h('td', {}, c.allow_downgrade ? 'allowed' : 'no'), h('td', {}, c.gotoolchain ?? 'not checked')))))),
      h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Assignments and windows')),
        h('div', { class: 'assignments', id: 'assignments' }, p.assignments.map(assignment))));
  } catch (err) {
    mount(app, h('p', { class: 'error' }, `Could not load the policy: ${err.message}`));
  }
}
load();
