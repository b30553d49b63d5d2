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
    assert.match(inv.hosts[0]!.sshConfigNotes?.[0] ?? '', /Match exec "touch .*" was not run .*treated as not matching/);
  });

  it('matches Host blocks against the name ssh is given (ansible_host / address); HostName still applies', async () => {
    const cfg = s.write('by_address', `
      Host 10.1.2.3
        User by-address
        Port 2022
      Host short
        HostName short.example.net
      Host db-*
        User by-name
        Port 2999
    `);
    const ini = await s.load('addr.ini', 'db-1 ansible_host=10.1.2.3\ndb-2 ansible_host=short\ndb-3\n', { sshConfigPath: cfg });
    const h = byName(ini.hosts);
    assert.deepEqual([h['db-1']!.address, h['db-1']!.user, h['db-1']!.port], ['10.1.2.3', 'by-address', 2022]);
    assert.deepEqual([h['db-2']!.address, h['db-2']!.user, h['db-2']!.port], ['short.example.net', undefined, 22]);
    assert.deepEqual([h['db-3']!.address, h['db-3']!.user, h['db-3']!.port], ['db-3', 'by-name', 2999]);
  });

  it('follows Include: relative to ~/.ssh, globs, nested, inside a Host block for that host only', async () => {
    mkdirSync(join(s.home, '.ssh', 'conf.d'), { recursive: true });
    writeFileSync(join(s.home, '.ssh', 'conf.d', '10-web.conf'), 'Host inc-web\n  User from-glob\n  Include nested.inc\n');
    writeFileSync(join(s.home, '.ssh', 'nested.inc'), 'Port 2200\n');
    writeFileSync(join(s.home, '.ssh', 'block.inc'), 'User from-block\n');
    const cfg = s.write('with_include', 'Include conf.d/*.conf\nHost inc-db\n  Include block.inc\n');
    const inv = await s.load('inc.yml', 'hosts:\n  inc-web: {}\n  inc-db: {}\n  inc-other: {}\n', { sshConfigPath: cfg });
    const h = byName(inv.hosts);
    assert.deepEqual([h['inc-web']!.user, h['inc-web']!.port], ['from-glob', 2200]);
    assert.deepEqual([h['inc-db']!.user, h['inc-db']!.port], ['from-block', 22]);
    assert.deepEqual([h['inc-other']!.user, h['inc-other']!.port], [undefined, 22]);
  });

  it('refuses an Include loop at OpenSSH\'s depth of 16, naming the file and line', async () => {
    const loop = join(s.dir, 'loop_config');
    writeFileSync(loop, `Host *\n  Include ${loop}\n`);
    const err = await s.loadError('loop.yml', 'hosts:\n  x: {}\n', { sshConfigPath: loop });
    assert.equal(err.code, 'INVENTORY_INVALID');
    assert.match(err.message, /Include nested more than 16 deep/);
    assert.deepEqual([err.location?.file, err.location?.line], [loop, 2]);
  });

  it('gives ProxyCommand with %h %p %r %n %% expanded; none disables it; an inventory proxy_jump wins', async () => {
    const cfg = s.write('proxy_command', `
      Host pc-none
        ProxyCommand none
      Host pc-*
        HostName %h.corp
        ProxyCommand aws ssm start-session --target %h --port %p --user %r --name %n %%
    `);
    const inv = await s.load('pc.yml', `
      hosts:
        pc-1: { port: 2222 }
        pc-none: {}
        pc-jump: { proxy_jump: 'me@bastion' }
    `, { sshConfigPath: cfg });
    const h = byName(inv.hosts);
    assert.equal(h['pc-1']!.proxyCommand, 'aws ssm start-session --target pc-1.corp --port 2222 --user tester --name pc-1 %');
    assert.equal(h['pc-none']!.proxyCommand, undefined);
    assert.equal(h['pc-jump']!.proxyCommand, undefined);
    assert.deepEqual(h['pc-jump']!.proxyJump, [{ address: 'bastion', port: 22, user: 'me' }]);
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
