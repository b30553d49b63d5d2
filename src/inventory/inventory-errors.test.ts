// Malformed inventories: each error has a stable code, and names the file, the line and (for
// invalid values) the field, both in `location` and at the start of the message.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadInventory } from './load-inventory.ts';
import { scratch } from './test-helpers.ts';

const s = scratch();
after(() => s.cleanup());

interface Case {
  name: string;
  file: string;
  text: string;
  code: string;
  line: number;
  field?: string;
  message?: RegExp;
}

const cases: Case[] = [
  { name: 'YAML syntax error', file: 'syntax.yml', code: 'INVENTORY_PARSE', line: 3,
    text: 'hosts:\n  a: { port: 22\n  b: {}\n', message: /YAML syntax error/ },
  { name: 'port that is not a number', file: 'port.yml', code: 'INVENTORY_INVALID', line: 5, field: 'hosts.build-01.port',
    text: 'hosts:\n  a: {}\n  build-01:\n    address: 10.0.0.5\n    port: abc\n', message: /hosts\.build-01\.port: expected a number, got "abc"$/ },
  { name: 'port out of range', file: 'range.yml', code: 'INVENTORY_INVALID', line: 2, field: 'defaults.port',
    text: 'defaults:\n  port: 70000\nhosts: { a: {} }\n', message: /expected a port from 1 to 65535, got 70000/ },
  { name: 'unknown transport', file: 'transport.yml', code: 'INVENTORY_INVALID', line: 5, field: 'groups.g.vars.transport',
    text: 'groups:\n  g:\n    hosts: [a]\n    vars:\n      transport: telnet\n', message: /expected one of ssh\|winrm\|local, got "telnet"/ },
  { name: 'become that is not a boolean', file: 'become.yml', code: 'INVENTORY_INVALID', line: 2, field: 'hosts.a.become',
    text: 'hosts:\n  a: { become: maybe }\n', message: /expected true or false, got "maybe"/ },
  { name: 'unsupported os', file: 'os.yml', code: 'INVENTORY_INVALID', line: 3, field: 'hosts.a.os',
    text: 'hosts:\n  a:\n    os: solaris\n', message: /linux\|darwin\|windows/ },
  { name: 'literal password in gofleet YAML', file: 'password.yml', code: 'INVENTORY_INVALID', line: 3, field: 'defaults.password',
    text: 'defaults:\n  user: deploy\n  password: correct-horse\nhosts: { a: {} }\n', message: /literal password is not allowed/ },
  { name: 'missing environment variable', file: 'env.yml', code: 'INVENTORY_ENV_MISSING', line: 4, field: 'hosts.a.address',
    text: 'hosts:\n  a:\n    port: 22\n    address: ${env:GOFLEET_TEST_UNSET_VAR}.lan\n', message: /GOFLEET_TEST_UNSET_VAR is not set/ },
  { name: 'unknown top-level key', file: 'top.yml', code: 'INVENTORY_INVALID', line: 2, field: 'hostz',
    text: 'hosts: { a: {} }\nhostz: { b: {} }\n', message: /unknown key "hostz" \(did you mean "hosts"\?\)$/ },
  // issue 9: a misspelt setting was kept as a free-form variable, and the host connected to its name on port 22
  { name: 'misspelt host key', file: 'adress.yml', code: 'INVENTORY_INVALID', line: 4, field: 'hosts.build-01.adress',
    text: 'hosts:\n  build-01:\n    port: 2222\n    adress: 10.0.0.5\n', message: /hosts\.build-01\.adress: unknown key "adress" \(did you mean "address"\?\)$/ },
  { name: 'misspelt key in defaults', file: 'identiy.yml', code: 'INVENTORY_INVALID', line: 3, field: 'defaults.identiy',
    text: 'defaults:\n  user: deploy\n  identiy: ~/.ssh/id_ed25519\nhosts: { a: {} }\n', message: /unknown key "identiy" \(did you mean "identity"\?\)$/ },
  { name: 'misspelt key in group vars', file: 'group-vars.yml', code: 'INVENTORY_INVALID', line: 5, field: 'groups.g.vars.prot',
    text: 'groups:\n  g:\n    hosts: [a]\n    vars:\n      prot: 2222\n', message: /unknown key "prot" \(did you mean "port"\?\)$/ },
  { name: 'misspelt key of a group', file: 'group.yml', code: 'INVENTORY_INVALID', line: 3, field: 'groups.g.host',
    text: 'groups:\n  g:\n    host: [a]\n', message: /unknown key "host" \(did you mean "hosts"\?\)$/ },
  { name: 'misspelt top-level key', file: 'default.yml', code: 'INVENTORY_INVALID', line: 1, field: 'default',
    text: 'default: { user: deploy }\nhosts: { a: {} }\n', message: /unknown key "default" \(did you mean "defaults"\?\)$/ },
  { name: 'Ansible variable in gofleet YAML', file: 'ansible-name.yml', code: 'INVENTORY_INVALID', line: 2, field: 'hosts.a.ansible_host',
    text: 'hosts:\n  a: { ansible_host: 10.0.0.9 }\n', message: /unknown key "ansible_host" \(did you mean "address"\?\)$/ },
  { name: 'unknown key with nothing close', file: 'far.yml', code: 'INVENTORY_INVALID', line: 2, field: 'hosts.a.rack',
    text: 'hosts:\n  a: { rack: r12 }\n', message: /unknown key "rack"$/ },
  { name: 'typo reported before its value is expanded', file: 'typo-env.yml', code: 'INVENTORY_INVALID', line: 2, field: 'hosts.a.adress',
    text: 'hosts:\n  a: { adress: "${env:GOFLEET_TEST_UNSET_VAR}" }\n', message: /did you mean "address"/ },
  { name: 'children cycle', file: 'cycle.yml', code: 'INVENTORY_INVALID', line: 3, field: 'groups.a.children',
    text: 'groups:\n  a:\n    children: [b]\n  b:\n    children: [a]\n', message: /a -> b -> a/ },
  { name: 'INI garbage on a host line', file: 'garbage.ini', code: 'INVENTORY_PARSE', line: 3,
    text: '[web]\nweb01 ansible_port=22\nweb02 this is garbage\n', message: /expected key=value after host web02, got "this"/ },
  { name: 'INI garbage in a vars section', file: 'vars.ini', code: 'INVENTORY_PARSE', line: 4,
    text: '[web]\nweb01\n[web:vars]\njust some words\n', message: /expected key=value in \[web:vars\]/ },
  { name: 'INI malformed section header', file: 'header.ini', code: 'INVENTORY_PARSE', line: 2,
    text: 'web01\n[web\n', message: /malformed section header/ },
  { name: 'INI unknown section type', file: 'suffix.ini', code: 'INVENTORY_PARSE', line: 1,
    text: '[web:hostz]\n', message: /unknown section type ":hostz"/ },
  { name: 'INI unterminated quote', file: 'quote.ini', code: 'INVENTORY_PARSE', line: 1,
    text: 'web01 ansible_user="deploy\n', message: /unterminated " quote/ },
  { name: 'INI bad host range', file: 'range.ini', code: 'INVENTORY_PARSE', line: 2,
    text: '[web]\nweb[3:1]\n', message: /ends before it starts/ },
  { name: 'INI port that is not a number', file: 'port.ini', code: 'INVENTORY_INVALID', line: 2, field: '[all:vars].ansible_port',
    text: '[all:vars]\nansible_port=abc\n[web]\nweb01\n', message: /expected a port number from 1 to 65535, got "abc"/ },
  { name: 'INI unknown connection', file: 'conn.ini', code: 'INVENTORY_INVALID', line: 1, field: 'h.ansible_connection',
    text: 'h ansible_connection=docker\n', message: /got "docker"/ },
  { name: 'Ansible YAML bad become', file: 'ans-become.yml', code: 'INVENTORY_INVALID', line: 4, field: 'all.hosts.h.ansible_become',
    text: 'all:\n  hosts:\n    h:\n      ansible_become: perhaps\n', message: /expected true or false/ },
  { name: 'Ansible YAML unknown group key', file: 'ans-key.yml', code: 'INVENTORY_INVALID', line: 4, field: 'all.children.web.host',
    text: 'all:\n  children:\n    web:\n      host:\n        w1:\n', message: /unknown key/ },
  { name: 'Ansible YAML unsupported template in a password', file: 'ans-pw.yml', code: 'INVENTORY_INVALID', line: 3,
    field: 'all.vars.ansible_password', text: 'all:\n  vars:\n    ansible_password: "{{ vault_pw }}"\n  hosts: { h: }\n',
    message: /lookup\('env', 'NAME'\)/ },
  // issue 8: a goroot at a system path once repointed /lib64 and bricked the host
  { name: 'goroot at a system path', file: 'lib64.yml', code: 'INVENTORY_INVALID', line: 4, field: 'hosts.h.goroot',
    text: 'hosts:\n  g: {}\n  h:\n    goroot: /lib64\n', message: /"\/lib64" is a system path \(\/lib64\)/ },
  { name: 'goroot that reaches a system path through ..', file: 'dotdot.yml', code: 'INVENTORY_INVALID', line: 2,
    field: 'defaults.goroot', text: 'defaults:\n  goroot: /usr/local/go/../bin/\nhosts: { a: {} }\n', message: /system path \(\/usr\/local\/bin\)/ },
  { name: 'versions_dir at a Windows system path', file: 'win.yml', code: 'INVENTORY_INVALID', line: 3,
    field: 'hosts.w.versions_dir', text: 'hosts:\n  w:\n    versions_dir: c:/windows/go\n', message: /system path \(\\windows\)/ },
  { name: 'versions_dir under /tmp', file: 'tmp.yml', code: 'INVENTORY_INVALID', line: 3, field: 'groups.g.vars.versions_dir',
    text: 'groups:\n  g:\n    vars: { versions_dir: /tmp/gofleet }\n    hosts: [a]\n', message: /under \/tmp, which does not survive a reboot/ },
  { name: 'INI goroot at a system path', file: 'lib.ini', code: 'INVENTORY_INVALID', line: 2, field: 'h.gofleet_goroot',
    text: '[web]\nh gofleet_goroot=/lib\n', message: /system path \(\/lib\)/ },
  { name: 'Ansible YAML versions_dir under /dev/shm', file: 'ans-shm.yml', code: 'INVENTORY_INVALID', line: 3,
    field: 'all.vars.gofleet_versions_dir', text: 'all:\n  vars:\n    gofleet_versions_dir: /dev/shm/go\n  hosts: { h: }\n',
    message: /system path \(\/dev\)/ },
];

describe('inventory errors carry code, file and line', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const err = await s.loadError(c.file, c.text);
      const file = join(s.dir, c.file);
      assert.equal(err.code, c.code, err.message);
      assert.equal(err.location?.file, file);
      assert.equal(err.location?.line, c.line, err.message);
      if (c.field) assert.equal(err.location?.field, c.field);
      assert.ok(err.message.startsWith(`${file}:${c.line}: `), err.message);
      if (c.message) assert.match(err.message, c.message);
    });
  }

  it('a missing inventory is INVENTORY_NOT_FOUND', async () => {
    const missing = join(s.dir, 'does-not-exist.yml');
    await assert.rejects(loadInventory(missing), (err: { code?: string; location?: { file: string } }) => {
      assert.equal(err.code, 'INVENTORY_NOT_FOUND');
      assert.equal(err.location?.file, missing);
      return true;
    });
  });
});

describe('Ansible list values', () => {
  it('reports a malformed gofleet_tags list as invalid, at its line', async () => {
    const err = await s.loadError('tags.ini', "# tags\nh gofleet_tags=\"['a', \"\n");
    assert.equal(err.code, 'INVENTORY_INVALID');
    assert.equal(err.location?.line, 2);
    assert.equal(err.location?.field, 'h.gofleet_tags');
  });
});
