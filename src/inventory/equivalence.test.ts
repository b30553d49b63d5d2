// The same fleet written as gofleet YAML, Ansible INI and Ansible YAML gives the same hosts.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadInventory } from './load-inventory.ts';
import type { HostSpec } from './types.ts';

const testdata = fileURLToPath(new URL('./testdata/', import.meta.url));
const options = { sshConfigPath: join(testdata, 'no-such-ssh-config'), env: { HOME: '/home/tester' } };

function essentials(h: HostSpec): Partial<HostSpec> {
  const { name, address, port, user, transport, os, groups, tags, become, knownHosts } = h;
  return { name, address, port, user, transport, os, groups, tags, become, knownHosts };
}

describe('equivalent inventories', () => {
  it('gofleet YAML, Ansible INI and Ansible YAML produce the same HostSpec list', async () => {
    const files = ['fleet.yml', 'fleet.ini', 'fleet-ansible.yml'];
    const [gofleet, ini, ansibleYaml] = await Promise.all(files.map((f) => loadInventory(join(testdata, f), options)));
    assert.deepEqual([gofleet!.format, ini!.format, ansibleYaml!.format], ['gofleet', 'ansible-ini', 'ansible-yaml']);
    const expected = [
      { name: 'build-01', address: '10.0.0.5', port: 2222, user: 'deploy', transport: 'ssh', os: undefined,
        groups: ['linux', 'prod'], tags: ['canary'], become: true, knownHosts: '/home/tester/.ssh/known_hosts' },
      { name: 'build-02', address: '10.0.0.6', port: 22, user: 'deploy', transport: 'ssh', os: undefined,
        groups: ['linux', 'prod'], tags: [], become: true, knownHosts: '/home/tester/.ssh/known_hosts' },
      { name: 'win-01', address: '10.0.1.7', port: 2222, user: 'Administrator', transport: 'winrm', os: 'windows',
        groups: ['windows', 'prod'], tags: ['win', 'slow'], become: false, knownHosts: '/home/tester/.ssh/known_hosts' },
    ];
    assert.deepEqual(gofleet!.hosts.map(essentials), expected);
    assert.deepEqual(ini!.hosts.map(essentials), expected);
    assert.deepEqual(ansibleYaml!.hosts.map(essentials), expected);
    const groups = { linux: ['build-01', 'build-02'], windows: ['win-01'], prod: ['build-01', 'build-02', 'win-01'] };
    for (const inv of [gofleet!, ini!, ansibleYaml!]) assert.deepEqual(inv.groups, groups, inv.format);
  });
});
