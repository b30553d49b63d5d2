import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { scratch } from './test-helpers.ts';
import type { HostSpec } from './types.ts';

const s = scratch();
after(() => s.cleanup());

const byName = (hosts: HostSpec[]): Record<string, HostSpec> => Object.fromEntries(hosts.map((h) => [h.name, h]));

describe('Ansible YAML inventory', () => {
  it('reads all/children/hosts/vars with precedence all < parent < child < host', async () => {
    const inv = await s.load('inventory.yaml', `
      all:
        vars:
          ansible_user: all-user
          ansible_port: 2022
        hosts:
          bastion:
            ansible_host: 192.0.2.1
        children:
          prod:
            vars: { ansible_user: prod-user, ansible_become: true }
            children:
              web:
                vars: { ansible_user: web-user }
                hosts:
                  web[1:2]:
                  web-special: { ansible_port: 2201, ansible_user: special }
              db:
                hosts:
                  db-1: { ansible_become: no, gofleet_tags: [primary] }
          web:
            hosts:
              web-3:
    `);
    assert.equal(inv.format, 'ansible-yaml');
    assert.deepEqual(inv.hosts.map((h) => h.name), ['bastion', 'web1', 'web2', 'web-special', 'db-1', 'web-3']);
    const h = byName(inv.hosts);
    const table: [string, Partial<HostSpec>][] = [
      ['bastion', { address: '192.0.2.1', user: 'all-user', port: 2022, groups: [] }],
      ['web1', { user: 'web-user', become: true, port: 2022, groups: ['prod', 'web'] }],
      ['web-special', { user: 'special', port: 2201 }],
      ['db-1', { user: 'prod-user', become: false, tags: ['primary'], groups: ['prod', 'db'] }],
      ['web-3', { user: 'web-user', become: true, groups: ['prod', 'web'] }],
    ];
    for (const [name, want] of table) {
      for (const [key, value] of Object.entries(want)) assert.deepEqual(h[name]![key as keyof HostSpec], value, `${name}.${key}`);
    }
    assert.equal(h['db-1']!.source.line, 19);
    assert.deepEqual(inv.groups.web, ['web1', 'web2', 'web-special', 'web-3']);
  });

  it('accepts top-level groups without `all`', async () => {
    const inv = await s.load('groups.yml', `
      windows:
        hosts:
          win-1: { ansible_connection: winrm, ansible_user: Administrator }
        vars: { gofleet_goroot: 'C:\\Go' }
      linux:
        hosts:
          lin-1:
    `);
    assert.equal(inv.format, 'ansible-yaml');
    const h = byName(inv.hosts);
    assert.equal(h['win-1']!.os, 'windows');
    assert.equal(h['win-1']!.goroot, 'C:\\Go');
    assert.deepEqual(h['lin-1']!.groups, ['linux']);
  });

  it('gives gofleet_os precedence over an OS implied by the connection', async () => {
    const inv = await s.load('implied.yml', `
      all:
        vars: { ansible_connection: winrm }
        hosts:
          odd: { gofleet_os: linux }
    `);
    assert.equal(inv.hosts[0]!.os, 'linux');
  });
});
