// -i DIR and --playbook-dir reach the inventory loader: the port set only in the playbook dir's
// group_vars/ is the one gofleet tries (port 1 on loopback: refused at once, nothing is contacted).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from './program.ts';

const dir = mkdtempSync(join(tmpdir(), 'gofleet-cli-inv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function put(name: string, text: string): void {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
}

describe('-i DIR and --playbook-dir', () => {
  it('facts connects to the port from <playbook-dir>/group_vars/ of a host from an inventory directory', async () => {
    put('inventory/hosts', '[web]\nweb-1 ansible_host=127.0.0.1\n');
    put('playbooks/group_vars/web.yml', 'ansible_port: 1\n');
    let out = '';
    const io = { out: (t: string) => void (out += t), err: () => {}, stdoutTty: false, stderrTty: false };
    const argv = ['facts', '--json', '-i', join(dir, 'inventory'), '--playbook-dir', join(dir, 'playbooks'),
      '--ssh-config', join(dir, 'no-ssh-config'), '--connect-timeout', '2'];
    const code = await runCli(argv, io);
    const host = (JSON.parse(out) as { hosts: { name: string; error: { code: string; message: string } }[] }).hosts[0]!;
    assert.equal(code, 3);
    assert.equal(host.name, 'web-1');
    assert.equal(host.error.code, 'HOST_UNREACHABLE');
    assert.match(host.error.message, /127\.0\.0\.1:1\b/);
  });

  it('gofleet inventory shows what -i DIR and --playbook-dir give, without connecting', async () => {
    put('inventory/hosts', '[web]\nweb-1 ansible_host=127.0.0.1\n');
    put('playbooks/group_vars/web.yml', 'ansible_port: 1\n');
    let out = '';
    const io = { out: (t: string) => void (out += t), err: () => {}, stdoutTty: false, stderrTty: false };
    const code = await runCli(['inventory', '--json', '-i', join(dir, 'inventory'), '--playbook-dir', join(dir, 'playbooks'),
      '--ssh-config', join(dir, 'no-ssh-config')], io);
    assert.equal(code, 0);
    const doc = JSON.parse(out) as { _meta: { hostvars: Record<string, { port: number }> } };
    assert.equal(doc._meta.hostvars['web-1']?.port, 1);
  });
});
