// group_vars/, host_vars/ and inventory directories, compared with real Ansible. The fixture
// testdata/ansible-dir/ sets a port, a user and `level` at every precedence level; the expected
// files were produced with ansible-core 2.14.18 (Debian bookworm) and are committed so that CI
// needs no Ansible:
//   cd src/inventory/testdata/ansible-dir
//   ansible-inventory -i inventory --list > expected-inventory.json
//   ansible-inventory -i inventory --playbook-dir playbooks --list > expected-playbook.json

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GofleetError } from '../errors.ts';
import { loadInventory } from './load-inventory.ts';
import { scratch } from './test-helpers.ts';
import type { Inventory } from './types.ts';

const dir = fileURLToPath(new URL('./testdata/ansible-dir/', import.meta.url));
const options = { sshConfigPath: join(dir, 'no-such-ssh-config'), env: { HOME: '/home/tester' } };
const s = scratch();
after(() => s.cleanup());
const put = (name: string, text: string): string => {
  mkdirSync(dirname(join(s.dir, name)), { recursive: true });
  return s.write(name, text);
};

interface AnsibleList {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: { hosts?: string[]; children?: string[] } | AnsibleList['_meta'];
}

/** What gofleet must agree with Ansible on, per host: port, user and the untyped `level` / `web_nested`. */
function fromAnsible(list: AnsibleList): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(list._meta.hostvars).map(([name, v]) => [
      name,
      { port: v.ansible_port ?? 22, user: v.ansible_user, level: v.level, nested: v.web_nested },
    ]),
  );
}

function fromGofleet(inv: Inventory): Record<string, unknown> {
  return Object.fromEntries(
    inv.hosts.map((h) => [h.name, { port: h.port, user: h.user, level: h.vars.level, nested: h.vars.web_nested }]),
  );
}

async function expected(file: string): Promise<AnsibleList> {
  return JSON.parse(await readFile(join(dir, file), 'utf8')) as AnsibleList;
}

describe('Ansible group_vars/, host_vars/ and inventory directories', () => {
  it('-i DIR reads every inventory file and its group_vars/host_vars with the precedence ansible-inventory shows', async () => {
    const list = await expected('expected-inventory.json');
    const inv = await loadInventory(join(dir, 'inventory'), options);
    assert.deepEqual(fromGofleet(inv), fromAnsible(list));
    assert.deepEqual(inv.hosts.map((h) => h.name).sort(), Object.keys(list._meta.hostvars).sort());
    assert.deepEqual(inv.groups.web, (list.web as { hosts: string[] }).hosts);
    assert.deepEqual(inv.groups.db, (list.db as { hosts: string[] }).hosts);
    assert.equal(inv.hosts.find((h) => h.name === 'db-2')!.source.file, join(dir, 'inventory', '02-more.yml'));
  });

  it('--playbook-dir adds its group_vars/host_vars above the inventory ones', async () => {
    const inv = await loadInventory(join(dir, 'inventory'), { ...options, playbookDir: join(dir, 'playbooks') });
    assert.deepEqual(fromGofleet(inv), fromAnsible(await expected('expected-playbook.json')));
  });

  it('-i FILE reads the group_vars/host_vars beside the file', async () => {
    const file = put('inv/hosts', '[web]\nweb-1\n');
    put('inv/group_vars/web', 'ansible_port: 2300\nansible_user: deploy\n');
    const inv = await loadInventory(file, { env: {}, sshConfigPath: '/nonexistent' });
    assert.deepEqual([inv.hosts[0]!.port, inv.hosts[0]!.user], [2300, 'deploy']);
  });

  it('a bad value in group_vars names its file and line', async () => {
    const file = put('bad/hosts.yml', 'all:\n  hosts:\n    web-1:\n');
    const vars = put('bad/group_vars/all.yml', '# ports\nansible_user: deploy\nansible_port: lots\n');
    await assert.rejects(loadInventory(file, { env: {}, sshConfigPath: '/nonexistent' }), (err: GofleetError) => {
      assert.equal(err.code, 'INVENTORY_INVALID');
      assert.match(err.message, new RegExp(`^${vars}:3: ansible_port: expected a port`));
      return true;
    });
  });

  it('a vars file that is not a map is refused with its file', async () => {
    const file = put('list/hosts', '[web]\nweb-1\n');
    const vars = put('list/host_vars/web-1.yml', '- a\n- b\n');
    await assert.rejects(loadInventory(file, { env: {}, sshConfigPath: '/nonexistent' }), (err: GofleetError) => {
      assert.equal(err.code, 'INVENTORY_INVALID');
      assert.ok(err.message.startsWith(`${vars}:1: expected a map of variables`), err.message);
      return true;
    });
  });

  it('a directory with no inventory file (only ignored ones) is INVENTORY_NOT_FOUND', async () => {
    put('empty/hosts.ini', '[web]\nweb-1\n');
    await assert.rejects(loadInventory(join(s.dir, 'empty'), { env: {} }), { code: 'INVENTORY_NOT_FOUND', message: /holds no inventory file/ });
  });
});
