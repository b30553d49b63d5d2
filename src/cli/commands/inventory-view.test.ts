import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostSpec, Inventory } from '../../inventory/index.ts';
import { hostVars, inventoryGraph, inventoryJson, inventoryTable } from './inventory-view.ts';

function host(name: string, extra: Partial<HostSpec> = {}): HostSpec {
  return { name, address: name, port: 22, transport: 'ssh', knownHosts: '/k', become: false, tags: [], groups: [], vars: {},
    source: { file: 'inv.yml', line: 1 }, ...extra };
}

describe('inventory view', () => {
  it('redacts secrets by variable name (nested too) and vault values, keeps the rest', () => {
    const h = host('a', {
      password: { from: 'literal', value: 'pw-literal-1' },
      vars: { db: { admin_password: 'x1', port: 5432 }, ansible_become_pass: 'x2', blob: '$ANSIBLE_VAULT;1.2;AES256;dev', note: 'hello' },
    });
    const v = hostVars(h);
    assert.equal(v.password, '<redacted>');
    assert.deepEqual(v.vars, { db: { admin_password: '<redacted>', port: 5432 }, ansible_become_pass: '<redacted>', blob: '<redacted>', note: 'hello' });
    assert.equal(hostVars(host('b', { password: { from: 'prompt' } })).password, 'prompt');
  });

  it('without a written tree (groups only), groups hang under all, flat; hosts in none are ungrouped', () => {
    const hosts = [host('b', { groups: ['g'] }), host('a', { groups: ['g'] }), host('c')];
    const inv: Inventory = { file: 'x', format: 'gofleet', hosts, groups: { g: ['b', 'a'], empty: [] } };
    assert.equal(inventoryGraph(inv, hosts), '@all:\n  |--@g:\n  |  |--a\n  |  |--b\n  |--@ungrouped:\n  |  |--c\n');
    assert.deepEqual(inventoryJson(inv, hosts).all, { children: ['ungrouped', 'g'] });
    assert.equal('empty' in inventoryJson(inv, hosts), false, 'a group with no selected host is left out');
  });

  it('shows what ~/.ssh/config could not do (Match exec not run) in the table and the JSON, and the proxy command', () => {
    const note = 'Match exec "test -f /x" was not run (gofleet never runs commands from ssh config); treated as not matching';
    const h = host('a', { sshConfigNotes: [note], proxyCommand: 'cloudflared access ssh --hostname a', becomePassword: { from: 'env', name: 'BECOME' } });
    assert.match(inventoryTable([h]), /^note: a: Match exec "test -f \/x" was not run/m);
    const v = hostVars(h);
    assert.deepEqual([v.ssh_config_notes, v.proxy_command, v.become_password], [[note], 'cloudflared access ssh --hostname a', '${env:BECOME}']);
  });

  it('shows a WinRM host\'s transport settings (an unsupported auth as written), and none for an SSH host', () => {
    const w = host('w', { transport: 'winrm', port: 5986,
      winrm: { scheme: 'https', auth: 'ntlm', certValidation: 'ignore', caFile: '/ca.pem', messageEncryption: 'auto', unsupportedAuth: 'kerberos' } });
    assert.deepEqual(hostVars(w).winrm, { scheme: 'https', auth: 'kerberos', cert_validation: 'ignore', ca_file: '/ca.pem',
      client_cert: null, client_key: null, message_encryption: 'auto' });
    assert.equal('winrm' in hostVars(host('s')), false);
  });

  it('escapes control characters of names in the table and the graph', () => {
    const evil = 'web\u001b[2J\u202e';
    const hosts = [host(evil, { groups: ['g'] })];
    const inv: Inventory = { file: 'x', format: 'gofleet', hosts, groups: { g: [evil] } };
    for (const text of [inventoryTable(hosts), inventoryGraph(inv, hosts)]) {
      assert.ok(!text.includes('\u001b') && !text.includes('\u202e'), text);
      assert.match(text, /web\\u001b\[2J\\u202e/);
    }
  });
});
