import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { redact } from '../errors.ts';
import { scratch } from './test-helpers.ts';
import type { HostSpec } from './types.ts';

const s = scratch();
after(() => s.cleanup());

const byName = (hosts: HostSpec[]): Record<string, HostSpec> => Object.fromEntries(hosts.map((h) => [h.name, h]));

describe('gofleet YAML inventory', () => {
  it('applies defaults < group vars (file order) < host vars, and fills the defaults', async () => {
    const inv = await s.load('fleet.yml', `
      defaults:
        user: deploy
        port: 2200
        identity: ~/.ssh/id_ed25519
        goroot: /opt/go
      groups:
        linux:
          hosts: [build-01, build-02]
          vars: { user: builder, become: true }
        canaries:
          hosts: [build-02]
          vars: { user: canary, port: 2222 }
        windows-agents:
          hosts: [win-01, win-02]
          vars: { os: windows, user: Administrator, transport: winrm, versions_dir: 'D:\\go' }
      hosts:
        build-01: { address: 10.0.0.5, tags: [canary, fast] }
        build-02: { address: 10.0.0.6, user: root }
        win-01:   { address: 10.0.1.7, tags: solo }
    `);
    assert.equal(inv.format, 'gofleet');
    assert.deepEqual(inv.hosts.map((h) => h.name), ['build-01', 'build-02', 'win-01', 'win-02']);
    const h = byName(inv.hosts);
    const table: [string, Partial<HostSpec>][] = [
      ['build-01', { address: '10.0.0.5', user: 'builder', port: 2200, become: true, tags: ['canary', 'fast'], groups: ['linux'] }],
      ['build-02', { address: '10.0.0.6', user: 'root', port: 2222, become: true, tags: [], groups: ['linux', 'canaries'] }],
      ['win-01', { address: '10.0.1.7', user: 'Administrator', transport: 'winrm', os: 'windows', tags: ['solo'], versionsDir: 'D:\\go' }],
      ['win-02', { address: 'win-02', user: 'Administrator', transport: 'winrm', os: 'windows', become: false, port: 2200 }],
    ];
    for (const [name, want] of table) {
      for (const [key, value] of Object.entries(want)) assert.deepEqual(h[name]![key as keyof HostSpec], value, `${name}.${key}`);
    }
    assert.deepEqual(h['build-01']!.identity, [`${s.home}/.ssh/id_ed25519`]);
    assert.equal(h['build-01']!.knownHosts, `${s.home}/.ssh/known_hosts`);
    assert.equal(h['build-01']!.goroot, '/opt/go');
    assert.equal(h['build-01']!.source.line, 17);
    assert.equal(h['win-02']!.source.line, 14, 'a host only named in a group points at that line');
    assert.deepEqual(inv.groups, { linux: ['build-01', 'build-02'], canaries: ['build-02'], 'windows-agents': ['win-01', 'win-02'] });
  });

  it('leaves goroot, versionsDir, user and os unset unless given', async () => {
    const inv = await s.load('bare.yml', 'hosts:\n  lonely: {}\n');
    const [h] = inv.hosts;
    assert.deepEqual(h, {
      name: 'lonely', address: 'lonely', port: 22, transport: 'ssh', knownHosts: `${s.home}/.ssh/known_hosts`,
      become: false, tags: [], groups: [], vars: {}, source: { file: inv.file, line: 2 },
    });
  });

  it('expands children groups: members and vars reach the hosts of child groups', async () => {
    const inv = await s.load('children.yml', `
      groups:
        prod:
          children: [web, db]
          vars: { become: true, user: ops }
        web:
          hosts: [web-1, web-2]
          vars: { user: www }
        db:
          hosts: [db-1]
    `);
    const h = byName(inv.hosts);
    assert.deepEqual(inv.groups.prod, ['web-1', 'web-2', 'db-1']);
    assert.deepEqual(h['web-1']!.groups, ['prod', 'web']);
    assert.equal(h['web-1']!.user, 'www', 'web comes after prod in the file, so it wins');
    assert.equal(h['db-1']!.user, 'ops');
    assert.equal(h['db-1']!.become, true);
  });

  it('turns password references into SecretRefs and expands ${env:NAME} elsewhere', async () => {
    const inv = await s.load('secrets.yml', `
      defaults:
        user: \${env:DEPLOY_USER}
        known_hosts: ~/kh/\${env:SITE}
      hosts:
        a: { password: '\${env:A_PASS}' }
        b: { password: prompt, address: '\${env:SITE}.example.com', vars: { health: 'curl \${env:SITE}' } }
    `, { env: { DEPLOY_USER: 'deployer', SITE: 'ams' } });
    const h = byName(inv.hosts);
    assert.deepEqual(h.a!.password, { from: 'env', name: 'A_PASS' });
    assert.deepEqual(h.b!.password, { from: 'prompt' });
    assert.equal(h.a!.user, 'deployer');
    assert.equal(h.b!.address, 'ams.example.com');
    assert.equal(h.a!.knownHosts, `${s.home}/kh/ams`);
    assert.deepEqual(h.b!.vars, { health: 'curl ams' }, 'free-form variables (under vars:) are kept, expanded');
  });

  it('refuses a literal password and never shows it', async () => {
    const err = await s.loadError('literal.yml', 'hosts:\n  a:\n    password: hunter2-secret\n');
    assert.equal(err.code, 'INVENTORY_INVALID');
    assert.match(err.hint, /\$\{env:NAME\}/);
    assert.doesNotMatch(err.message, /hunter2/);
    assert.equal(redact('pw=hunter2-secret'), 'pw=***');
  });

  it('keeps free-form vars: of defaults, groups and hosts, host values last', async () => {
    const inv = await s.load('vars.yml', `
      defaults: { vars: { health: 'go version', retries: 1 } }
      groups:
        g: { hosts: [h], vars: { user: ops, vars: { retries: 2, nested: { a: [1, 2] } } } }
      hosts:
        h: { vars: { retries: 3 } }
    `);
    assert.equal(inv.hosts[0]!.user, 'ops');
    assert.deepEqual(inv.hosts[0]!.vars, { health: 'go version', retries: 3, nested: { a: [1, 2] } });
  });

  it('accepts an empty file as an inventory without hosts', async () => {
    const inv = await s.load('empty.yml', '# nothing yet\n');
    assert.deepEqual(inv.hosts, []);
  });
});
