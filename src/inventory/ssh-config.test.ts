import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dedent, scratch } from './test-helpers.ts';
import type { HostSpec } from './types.ts';

const s = scratch();
after(() => s.cleanup());

const sshConfig = s.write('ssh_config', `
  Host bastion
    HostName bastion.example.net
    User jumper
    Port 2200
    IdentityFile ~/.ssh/bastion_key

  Host inner-bastion
    HostName 10.9.9.9
    ProxyJump bastion

  Host build-* !build-02
    User builder
    IdentityFile %d/.ssh/build_%h
    ProxyJump bastion

  Host db-?
    Port 2345

  Host deep
    ProxyJump admin@inner-bastion:2022,ssh://other@hop2

  Host web
    HostName %h.internal
    User webuser
    Port 2201
    UserKnownHostsFile ~/.ssh/known_hosts_web

  Match exec "touch ${join(s.dir, 'match-exec-ran')}"
    User executed

  Host *
    User fallback
    IdentityFile ~/.ssh/id_default
`);

const byName = (hosts: HostSpec[]): Record<string, HostSpec> => Object.fromEntries(hosts.map((h) => [h.name, h]));
const key = (name: string): string => join(s.home, '.ssh', name);
const bastion = { address: 'bastion.example.net', port: 2200, user: 'jumper', identity: key('bastion_key') };

describe('~/.ssh/config', () => {
  it('applies HostName, User, Port, IdentityFile, UserKnownHostsFile and ProxyJump by alias', async () => {
    const inv = await s.load('fleet.yml', `
      hosts:
        build-01: {}
        build-02: {}
        db-1: {}
        web: {}
        deep: {}
        win: { transport: winrm }
    `, { sshConfigPath: sshConfig });
    const h = byName(inv.hosts);
    const table: [string, Partial<HostSpec>][] = [
      ['build-01', { address: 'build-01', user: 'builder', port: 22, identity: [key('build_build-01'), key('id_default')], proxyJump: [bastion] }],
      ['build-02', { user: 'fallback', identity: [key('id_default')], proxyJump: undefined }],
      ['db-1', { port: 2345, user: 'fallback' }],
      ['web', { address: 'web.internal', user: 'webuser', port: 2201, knownHosts: key('known_hosts_web') }],
      ['win', { address: 'win', user: undefined, identity: undefined, knownHosts: key('known_hosts') }],
    ];
    for (const [name, want] of table) {
      for (const [k, value] of Object.entries(want)) assert.deepEqual(h[name]![k as keyof HostSpec], value, `${name}.${k}`);
    }
    assert.deepEqual(h.deep!.proxyJump, [
      bastion,
      { address: '10.9.9.9', port: 2022, user: 'admin', identity: key('id_default') },
      { address: 'hop2', port: 22, user: 'other', identity: key('id_default') },
    ]);
  });

  it('never runs Match exec commands', async () => {
    const inv = await s.load('exec.yml', 'hosts:\n  x: {}\n', { sshConfigPath: sshConfig });
    assert.equal(inv.hosts[0]!.user, 'fallback');
    const { existsSync } = await import('node:fs');
    assert.equal(existsSync(join(s.dir, 'match-exec-ran')), false);
  });

  it('lets explicit inventory values win over ssh config values (gofleet YAML and Ansible INI)', async () => {
    const yaml = await s.load('explicit.yml', `
      hosts:
        web: { address: 192.0.2.10, user: inv-user, port: 22, known_hosts: ~/kh }
        build-01: { proxy_jump: 'me@inner-bastion', identity: ~/.ssh/mine }
    `, { sshConfigPath: sshConfig });
    const h = byName(yaml.hosts);
    assert.deepEqual([h.web!.address, h.web!.user, h.web!.port, h.web!.knownHosts], ['192.0.2.10', 'inv-user', 22, join(s.home, 'kh')]);
    assert.deepEqual(h['build-01']!.identity, [key('mine')]);
    assert.deepEqual(h['build-01']!.proxyJump, [bastion, { address: '10.9.9.9', port: 22, user: 'me', identity: key('id_default') }]);

    const ini = await s.load('explicit.ini', 'web ansible_user=ansible-user\n', { sshConfigPath: sshConfig });
    assert.deepEqual([ini.hosts[0]!.address, ini.hosts[0]!.user, ini.hosts[0]!.port], ['web.internal', 'ansible-user', 2201]);
  });

  it('reads ~/.ssh/config from HOME by default, and treats a missing file as empty', async () => {
    mkdirSync(join(s.home, '.ssh'), { recursive: true });
    writeFileSync(join(s.home, '.ssh', 'config'), dedent('Host default-*\n  User from-home\n'));
    const inv = await s.load('default.yml', 'hosts:\n  default-1: {}\n', { sshConfigPath: undefined });
    assert.equal(inv.hosts[0]!.user, 'from-home');
    const none = await s.load('none.yml', 'hosts:\n  default-1: {}\n', { sshConfigPath: join(s.dir, 'missing', 'config') });
    assert.equal(none.hosts[0]!.user, undefined);
  });

  it('rejects a malformed ProxyJump and a bad Port with the file named', async () => {
    const bad = s.write('bad_config', 'Host p\n  Port twenty\nHost j\n  ProxyJump user@[::1\n');
    const port = await s.loadError('p.yml', 'hosts:\n  p: {}\n', { sshConfigPath: bad });
    assert.equal(port.code, 'INVENTORY_INVALID');
    assert.equal(port.location?.file, bad);
    const jump = await s.loadError('j.yml', 'hosts:\n  j: {}\n', { sshConfigPath: bad });
    assert.equal(jump.code, 'INVENTORY_INVALID');
    assert.match(jump.message, /malformed ProxyJump hop/);
    assert.equal(jump.location?.line, 2, 'points at the host in the inventory');
  });
});
