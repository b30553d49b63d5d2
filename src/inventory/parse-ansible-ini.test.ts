import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { redact } from '../errors.ts';
import { scratch } from './test-helpers.ts';
import type { HostSpec } from './types.ts';

const s = scratch();
after(() => s.cleanup());

const byName = (hosts: HostSpec[]): Record<string, HostSpec> => Object.fromEntries(hosts.map((h) => [h.name, h]));

describe('Ansible INI inventory', () => {
  it('reads groups, ranges, host:port, children and vars with Ansible precedence', async () => {
    const inv = await s.load('hosts', `
      # a comment
      bastion.example.com ansible_user=jump

      [web]
      web[01:03].example.com
      web-special:2201 ansible_host=10.0.0.9 ansible_user="web admin"

      [db]
      db-1 ansible_become=no

      [prod:children]
      web
      db

      [all:vars]
      ansible_user=all-user
      motd = hello fleet # greeting
      ansible_port=2022

      [prod:vars]
      ansible_user=prod-user
      ansible_become=yes

      [web:vars]
      ansible_user=web-user ; the child group wins over its parent
    `);
    assert.equal(inv.format, 'ansible-ini');
    assert.deepEqual(inv.hosts.map((h) => h.name), [
      'bastion.example.com', 'web01.example.com', 'web02.example.com', 'web03.example.com', 'web-special', 'db-1',
    ]);
    const h = byName(inv.hosts);
    const table: [string, Partial<HostSpec>][] = [
      ['bastion.example.com', { user: 'jump', port: 2022, become: false, groups: [], address: 'bastion.example.com' }],
      ['web02.example.com', { user: 'web-user', port: 2022, become: true, groups: ['web', 'prod'] }],
      ['web-special', { user: 'web admin', port: 2201, address: '10.0.0.9', become: true }],
      ['db-1', { user: 'prod-user', become: false, groups: ['db', 'prod'] }],
    ];
    for (const [name, want] of table) {
      for (const [key, value] of Object.entries(want)) assert.deepEqual(h[name]![key as keyof HostSpec], value, `${name}.${key}`);
    }
    assert.equal(h['web03.example.com']!.source.line, 5);
    assert.deepEqual(h['db-1']!.vars, { motd: 'hello fleet' });
    assert.deepEqual(inv.groups.prod, ['web01.example.com', 'web02.example.com', 'web03.example.com', 'web-special', 'db-1']);
  });

  it('maps connection, shell type, os, become spellings and gofleet_* variables', async () => {
    const inv = await s.load('map.ini', `
      [hosts]
      p ansible_connection=paramiko ansible_ssh_private_key_file=~/.ssh/p_key
      w ansible_connection=winrm ansible_become=True
      r ansible_connection=psrp ansible_password="{{ lookup('env', 'WIN_PASS') }}"
      c ansible_shell_type=powershell ansible_become=1
      l ansible_connection=local ansible_os_family=Darwin gofleet_goroot=/opt/go gofleet_versions_dir=/opt/gofleet
      t gofleet_tags=canary,fast gofleet_os=linux ansible_python_interpreter=/usr/bin/python3
      u gofleet_tags="['a', 'b']" gofleet_password=prompt
    `);
    const h = byName(inv.hosts);
    const table: [string, Partial<HostSpec>][] = [
      ['p', { transport: 'ssh', identity: [`${s.home}/.ssh/p_key`] }],
      ['w', { transport: 'winrm', os: 'windows', become: true }],
      ['r', { transport: 'winrm', os: 'windows', password: { from: 'env', name: 'WIN_PASS' } }],
      ['c', { transport: 'ssh', os: 'windows', become: true }],
      ['l', { transport: 'local', os: 'darwin', goroot: '/opt/go', versionsDir: '/opt/gofleet' }],
      ['t', { tags: ['canary', 'fast'], os: 'linux', vars: { ansible_python_interpreter: '/usr/bin/python3' } }],
      ['u', { tags: ['a', 'b'], password: { from: 'prompt' } }],
    ];
    for (const [name, want] of table) {
      for (const [key, value] of Object.entries(want)) assert.deepEqual(h[name]![key as keyof HostSpec], value, `${name}.${key}`);
    }
  });

  it('keeps a literal password as a literal SecretRef, registered for redaction, and drops become passwords', async () => {
    const inv = await s.load('pw.ini', `
      h1 ansible_password='s3cr3t-ini pass' ansible_become_password=b3come-pw other=1
    `);
    assert.deepEqual(inv.hosts[0]!.password, { from: 'literal', value: 's3cr3t-ini pass' });
    assert.deepEqual(inv.hosts[0]!.vars, { other: '1' });
    assert.equal(redact('x s3cr3t-ini pass y b3come-pw'), 'x *** y ***');
  });

  it('expands lookup(env) in other fields and reports a missing variable', async () => {
    const inv = await s.load('env.ini', "h ansible_user=\"{{ lookup('env','DEPLOY') }}\"\n", { env: { DEPLOY: 'me' } });
    assert.equal(inv.hosts[0]!.user, 'me');
    const err = await s.loadError('env2.ini', "# first\nh ansible_user=\"{{ lookup('env','NOPE_X') }}\"\n");
    assert.equal(err.code, 'INVENTORY_ENV_MISSING');
    assert.equal(err.location?.line, 2);
    assert.match(err.message, /NOPE_X/);
  });
});
