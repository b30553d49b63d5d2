// Two entries of a run that reach one machine are refused before any host is contacted (they would fail each
// other with HOST_LOCKED): INVENTORY_DUPLICATE_HOST, exit 4, naming both entries and their lines.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { errorPolicy, GofleetError } from '../errors.ts';
import { selectHosts } from './select-hosts.ts';
import { scratch } from './test-helpers.ts';

const s = scratch();
after(() => s.cleanup());

function duplicateError(fn: () => unknown): GofleetError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GofleetError) return err;
    throw err;
  }
  assert.fail('expected INVENTORY_DUPLICATE_HOST');
}

describe('two entries for one machine', () => {
  it('an ssh config alias and the address it stands for are one machine', async () => {
    const sshConfigPath = s.write('ssh_config', 'Host db-alias\n  HostName 10.0.0.7\n');
    const file = join(s.dir, 'alias.yml');
    const inv = await s.load('alias.yml', 'hosts:\n  web: { address: 10.0.0.5 }\n  db-alias: {}\n  db: { address: 10.0.0.7 }\n', { sshConfigPath });
    const err = duplicateError(() => selectHosts(inv));
    assert.equal(err.code, 'INVENTORY_DUPLICATE_HOST');
    assert.equal(errorPolicy(err.code).exitCode, 4);
    assert.equal(err.message, `"db-alias" (${file}:3) and "db" (${file}:4) are the same machine: both connect to 10.0.0.7 port 22`);
    assert.deepEqual(err.location, { file, line: 4, field: 'db' });
  });

  it('compares addresses without case or a trailing dot, across formats (Ansible INI)', async () => {
    const inv = await s.load('fleet.ini', '[web]\nweb1 ansible_host=Build.Example.com ansible_port=2222\nweb2 ansible_host=build.example.com. ansible_port=2222\n');
    assert.match(duplicateError(() => selectHosts(inv)).message, /fleet\.ini:2\) and "web2" \(.*fleet\.ini:3\) are the same machine/);
  });

  it('refuses only when --limit selects both', async () => {
    const inv = await s.load('limit.yml', 'hosts:\n  a: { address: 10.0.0.9 }\n  b: { address: 10.0.0.9 }\n  c: { address: 10.0.0.10 }\n');
    assert.deepEqual(selectHosts(inv, 'a,c').map((h) => h.name), ['a', 'c']);
    assert.equal(duplicateError(() => selectHosts(inv, 'a,b')).code, 'INVENTORY_DUPLICATE_HOST');
  });

  it('keeps one address on other ports, behind other jump hosts, and local entries', async () => {
    const inv = await s.load('distinct.yml', `
      hosts:
        a: { address: 10.0.0.9 }
        b: { address: 10.0.0.9, port: 2222 }
        c: { address: 10.0.0.9, proxy_jump: bastion-1 }
        d: { address: 10.0.0.9, proxy_jump: bastion-2 }
        e: { transport: local, address: 10.0.0.9 }
        f: { transport: local, address: 10.0.0.9 }
    `);
    assert.deepEqual(selectHosts(inv).map((h) => h.name), ['a', 'b', 'c', 'd', 'e', 'f']);
  });
});
