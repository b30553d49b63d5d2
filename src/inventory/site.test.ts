// `site` (issue 14): where a host is reached from, in gofleet YAML (`site:` on a host, a group's vars or the
// defaults) and in Ansible (`gofleet_site`), merged like any other field; a name a queue cannot carry is refused
// at its line.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { scratch } from './test-helpers.ts';
import type { HostSpec } from './types.ts';

const s = scratch();
after(() => s.cleanup());

const sites = (hosts: HostSpec[]): Record<string, string | undefined> => Object.fromEntries(hosts.map((h) => [h.name, h.site]));

describe('inventory site', () => {
  it('gofleet YAML: defaults < group vars < host, unset when never given', async () => {
    const inv = await s.load('sites.yml', `
      defaults: { site: hq }
      groups:
        paris: { hosts: [p1, p2], vars: { site: eu-west_1 } }
      hosts:
        p2: { site: eu-west-2 }
        h1: {}
    `);
    assert.deepEqual(sites(inv.hosts), { p1: 'eu-west_1', p2: 'eu-west-2', h1: 'hq' });
    const bare = await s.load('nosite.yml', 'hosts:\n  a: {}\n');
    assert.equal('site' in bare.hosts[0]!, false);
  });

  it('Ansible INI and YAML: gofleet_site on a host or a group', async () => {
    const ini = await s.load('sites.ini', `
      [paris]
      p1
      p2 gofleet_site=eu-west-2
      [paris:vars]
      gofleet_site=eu-west-1
      [other]
      o1
    `);
    assert.deepEqual(sites(ini.hosts), { p1: 'eu-west-1', p2: 'eu-west-2', o1: undefined });
    const yaml = await s.load('sites-ansible.yml', `
      all:
        children:
          tokyo:
            vars: { gofleet_site: ap-1 }
            hosts:
              t1: {}
    `);
    assert.deepEqual(sites(yaml.hosts), { t1: 'ap-1' });
  });

  it('refuses a site name a queue cannot carry, at its line (both formats)', async () => {
    const y = await s.loadError('bad-site.yml', 'hosts:\n  a:\n    site: "eu west"\n');
    assert.equal(y.code, 'INVENTORY_INVALID');
    assert.equal(y.location?.line, 3);
    assert.match(y.message, /"eu west" is not a site name/);
    const i = await s.loadError('bad-site.ini', '# x\nh gofleet_site=eu.west\n');
    assert.equal(i.code, 'INVENTORY_INVALID');
    assert.equal(i.location?.line, 2);
    assert.equal(i.location?.field, 'h.gofleet_site');
  });
});
