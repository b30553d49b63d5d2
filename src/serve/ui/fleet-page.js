// The fleet page (GET /): counts per compliance status, filters (status, channel, group, tag, OS, version, text),
// the chart of active versions and the host table, all over the same filtered hosts. Re-fetched when the server
// says the fleet changed (`fleet-updated`, a run starting or ending).

import { getJson, live } from './api.js';
import { ago, badge, h, mount, plural, utc } from './dom.js';
import { choices, countStatuses, filterHosts, STATUSES, versionTally } from './fleet-model.js';
import { versionChart } from './version-chart.js';
import { virtualTable } from './virtual-table.js';

const app = document.getElementById('app');
const filters = { q: '', status: '', channel: '', group: '', tag: '', os: '', version: '' };
// the filters live in the URL's fragment (#status=behind&group=web), so a filtered view can be shared or reloaded
for (const [k, v] of new URLSearchParams(location.hash.slice(1))) if (k in filters) filters[k] = v;
let fleet = null;
let parts = null;

const byText = (f) => (a, b) => String(f(a) ?? '').localeCompare(String(f(b) ?? ''), 'en', { numeric: true });
const COLUMNS = [
  { key: 'name', label: 'Host', sort: byText((x) => x.name), cls: 'mono' },
  { key: 'status', label: 'Compliance', sort: byText((x) => STATUSES.indexOf(x.status)) },
  { key: 'active', label: 'Active', sort: byText((x) => x.active) },
  { key: 'wanted', label: 'Wanted', sort: byText((x) => x.wanted) },
  { key: 'channel', label: 'Channel', sort: byText((x) => x.channel) },
  { key: 'os', label: 'OS', sort: byText((x) => `${x.os}/${x.arch}`) },
  { key: 'groups', label: 'Groups · tags' },
  { key: 'facts', label: 'Facts', sort: byText((x) => x.facts_at) },
  { key: 'busy', label: 'Busy', sort: byText((x) => x.busy) },
  { key: 'vulns', label: 'Vulns', sort: (a, b) => (a.vulns?.length ?? -1) - (b.vulns?.length ?? -1) },
];

function hostRow(x) {
  const why = x.reasons.join('; ');
  return h('tr', { 'data-host': x.name },
    h('td', { class: 'mono', title: x.name }, x.name),
    h('td', { title: why || null }, badge(x.status)),
    h('td', { class: 'mono' }, x.active ?? '–'),
    h('td', { class: 'mono muted' }, x.wanted ?? '–'),
    h('td', {}, x.channel ?? '–'),
    h('td', {}, x.os ? `${x.os}/${x.arch}` : '–'),
    h('td', { class: 'muted', title: [...x.groups, ...x.tags.map((t) => `tag:${t}`)].join(', ') }, [...x.groups, ...x.tags.map((t) => `tag:${t}`)].join(', ')),
    h('td', { class: 'muted', title: utc(x.facts_at) }, ago(x.facts_at)),
    h('td', {}, x.busy ? h('a', { href: `/runs/${encodeURIComponent(x.busy)}` }, 'in a run') : h('span', { class: 'muted' }, 'idle')),
    h('td', {}, x.vulns === null ? h('span', { class: 'muted' }, 'not checked') : x.vulns.length === 0 ? h('span', { class: 'muted' }, 'none') : h('a', { class: 'vulncount', href: '/vulns' }, plural(x.vulns.length, 'vuln'))));
}

function select(name, label, values, words = (v) => v) {
  const el = h('select', { name, 'aria-label': label }, h('option', { value: '' }, 'any'), values.map((v) => h('option', { value: v }, words(v))));
  el.value = filters[name];
  el.addEventListener('change', () => ((filters[name] = el.value), update()));
  return h('label', {}, label, el);
}

function build() {
  const c = choices(fleet.hosts);
  const search = h('input', { type: 'search', name: 'q', placeholder: 'host, version, group, reason…', 'aria-label': 'search hosts' });
  search.value = filters.q;
  search.addEventListener('input', () => ((filters.q = search.value), update()));
  const clear = h('button', { type: 'button', onclick: () => { Object.keys(filters).forEach((k) => (filters[k] = '')); build(); } }, 'Clear');
  const table = virtualTable({ columns: COLUMNS, renderRow: hostRow, label: 'hosts' });
  parts = {
    counts: h('ul', { class: 'counts', id: 'counts' }),
    ratio: h('div', { class: 'ratio', 'aria-hidden': 'true' }),
    shown: h('span', { class: 'shown', id: 'shown' }),
    chart: h('div', { class: 'chart', id: 'chart' }),
    table,
  };
  const vulnWord = fleet.vulndb ? ` · vulnerabilities from ${fleet.vulndb.source}` : '';
  mount(app,
    h('h1', {}, 'Fleet'),
    h('p', { class: 'caption' }, `${plural(fleet.hosts.length, 'host')} · computed ${ago(fleet.generated_at)} (${utc(fleet.generated_at)})${vulnWord}`),
    h('section', { class: 'panel', 'aria-label': 'compliance' }, parts.counts, parts.ratio),
    h('section', { class: 'panel' },
      h('div', { class: 'filters', id: 'filters' },
        h('label', {}, 'Search', search),
        select('status', 'Status', STATUSES, (s) => s.replace('_', ' ')),
        select('channel', 'Channel', c.channel),
        select('group', 'Group', c.group),
        select('tag', 'Tag', c.tag),
        select('os', 'OS', c.os),
        select('version', 'Version', versionTally(fleet.hosts).map((r) => r.version)),
        clear,
        parts.shown),
      h('div', { class: 'panel-head' }, h('h2', {}, 'Active versions'), h('p', {}, 'hosts per version; click a bar to filter')),
      parts.chart,
      h('ul', { class: 'legend' }, h('li', {}, h('i', { class: 'wanted' }), 'a channel wants it'), h('li', {}, h('i'), 'no channel wants it'))),
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Hosts'), h('p', {}, 'click a column to sort')), table.el));
  update();
}

function update() {
  const hosts = filterHosts(fleet.hosts, filters);
  const all = countStatuses(filterHosts(fleet.hosts, { ...filters, status: '' }));
  const total = Object.values(all).reduce((a, b) => a + b, 0) || 1;
  mount(parts.counts, STATUSES.map((s) => h('li', {}, h('button', {
    type: 'button', class: `st-${s}${all[s] ? '' : ' zero'}`, 'data-status': s, 'aria-pressed': String(filters.status === s),
    onclick: () => { filters.status = filters.status === s ? '' : s; build(); },
  }, h('b', {}, all[s].toLocaleString('en')), s.replace('_', ' ')))));
  mount(parts.ratio, STATUSES.filter((s) => all[s]).map((s) => {
    const span = h('span', { class: `st-${s}`, title: `${s}: ${all[s]}` });
    span.style.width = `${(100 * all[s]) / total}%`;
    return span;
  }));
  parts.shown.textContent = `showing ${hosts.length.toLocaleString('en')} of ${plural(fleet.hosts.length, 'host')}`;
  mount(parts.chart, versionChart(versionTally(hosts), { selected: filters.version, onSelect: (v) => { filters.version = v; build(); } }));
  parts.table.setRows(hosts);
  const hash = new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString();
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname);
  // the benchmark (bench/dashboard.bench.ts) reads this mark: the first time the page shows the fleet
  if (performance.getEntriesByName('gofleet-fleet-rendered').length === 0) performance.mark('gofleet-fleet-rendered');
}

async function load() {
  try {
    fleet = await getJson('/api/fleet');
    build();
  } catch (err) {
    mount(app, h('p', { class: 'error' }, `Could not load the fleet: ${err.message}`));
  }
}

live((e) => {
  if (e.kind === 'fleet-updated' || e.kind === 'run-start' || e.kind === 'run-end') load();
});
load();
