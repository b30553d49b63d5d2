// The vulnerabilities page (GET /vulns): which hosts run a toolchain with known vulnerabilities (from --vulndb),
// each vulnerability with the hosts it affects and the first version that fixes it, then every affected host with
// the version that fixes all of its own. Hosts that could not be checked are counted, never shown as clean.

import { getJson, live } from './api.js';
import { h, mount, plural } from './dom.js';
import { virtualTable } from './virtual-table.js';

const app = document.getElementById('app');

function byVuln(hosts) {
  const map = new Map();
  for (const x of hosts) {
    for (const v of x.vulns ?? []) {
      const e = map.get(v.id) ?? { ...v, hosts: [] };
      e.hosts.push(x.name);
      map.set(v.id, e);
    }
  }
  return [...map.values()].sort((a, b) => b.hosts.length - a.hosts.length || (a.id < b.id ? -1 : 1));
}

async function load() {
  try {
    const fleet = await getJson('/api/fleet');
    const affected = fleet.hosts.filter((x) => x.vulns && x.vulns.length > 0);
    const unchecked = fleet.hosts.filter((x) => x.vulns === null).length;
    const vulns = byVuln(affected);
    const table = virtualTable({
      label: 'affected hosts',
      columns: [{ key: 'vhost', label: 'Host', cls: 'mono' }, { key: 'vruns', label: 'Runs' }, { key: 'vids', label: 'Vulnerabilities' }, { key: 'vfix', label: 'Fixed in' }],
      renderRow: (x) => h('tr', { 'data-host': x.name },
        h('td', { class: 'mono' }, x.name), h('td', { class: 'mono' }, x.active ?? '–'),
        h('td', { title: x.vulns.map((v) => v.id).join(', ') }, x.vulns.map((v) => v.id).join(', ')),
        h('td', { class: 'mono' }, x.vulns_fixed_in ?? 'no fix for all yet')),
    });
    mount(app,
      h('h1', {}, 'Vulnerabilities'),
      h('p', { class: 'caption' }, fleet.vulndb
        ? `Known vulnerabilities of each host's Go toolchain (standard library and go command), from ${fleet.vulndb.source}${fleet.vulndb.modified ? `, modified ${fleet.vulndb.modified}` : ''}.`
        : 'No vulnerability database: start gofleet serve with --vulndb DIR|URL to match toolchains.'),
      h('ul', { class: 'counts' },
        h('li', {}, h('span', { class: 'card st-failed', id: 'affected-count' }, h('b', {}, affected.length.toLocaleString('en')), 'hosts affected')),
        h('li', {}, h('span', { class: 'card st-compliant' }, h('b', {}, (fleet.hosts.length - affected.length - unchecked).toLocaleString('en')), 'none known')),
        h('li', {}, h('span', { class: 'card st-unknown' }, h('b', {}, unchecked.toLocaleString('en')), 'not checked'))),
      h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'By vulnerability')),
        vulns.length === 0 ? h('p', { class: 'empty' }, 'No host runs a toolchain with a known vulnerability.') :
          h('table', { id: 'vulns' },
            h('thead', {}, h('tr', {}, ['ID', 'Summary', 'Packages', 'Fixed in', 'Hosts'].map((c) => h('th', { scope: 'col' }, c)))),
            h('tbody', {}, vulns.map((v) => h('tr', { 'data-vuln': v.id },
              h('td', { class: 'mono' }, h('a', { href: `https://pkg.go.dev/vuln/${encodeURIComponent(v.id)}`, rel: 'noopener noreferrer', target: '_blank' }, v.id), h('br'), h('small', { class: 'muted' }, v.aliases.join(', '))),
              h('td', {}, v.summary),
              h('td', { class: 'mono' }, v.packages.map((p) => p.path).join(', ')),
              h('td', { class: 'mono' }, v.fixed ?? 'not yet'),
              h('td', { class: 'num' }, plural(v.hosts.length, 'host'))))))),
      h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Affected hosts'), h('p', {}, 'upgrade to the version shown to fix them all')), table.el));
    table.setRows(affected);
  } catch (err) {
    mount(app, h('p', { class: 'error' }, `Could not load the fleet: ${err.message}`));
  }
}

live((e) => e.kind === 'fleet-updated' && load());
load();
