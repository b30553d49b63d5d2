// gofleet inventory: the CLI on a gofleet YAML and an Ansible INI inventory, in its three forms, without
// connecting; a password (or any secret-looking variable) never appears in any of them.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CliIo } from '../io.ts';
import { runCli } from '../program.ts';

const dir = mkdtempSync(join(tmpdir(), 'gofleet-inventory-cmd-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const noSshConfig = join(dir, 'no-ssh-config');

const SECRETS = ['ini-pass-Sw0rdfish', 'tok-9f8e7d6c', 'vaulted-db-pw', 'AES256', 'yaml-token-55aa'];

const gofleetYaml = join(dir, 'fleet.yml');
writeFileSync(gofleetYaml, [
  'defaults:',
  '  user: deploy',
  '  password: ${env:DEPLOY_PASSWORD}',
  'groups:',
  '  prod:',
  '    children: [web, db]',
  '  web:',
  '    hosts: [web-1, web-2]',
  '    vars: { become: true, vars: { api_token: yaml-token-55aa, rack: r12 } }',
  '  db:',
  '    hosts: [db-1]',
  'hosts:',
  '  web-1: { address: 10.0.0.1, tags: [canary], goroot: /opt/go, site: paris }',
  '  lone: { address: 10.0.0.9, port: 2222 }',
  '',
].join('\n'));

const ansibleIni = join(dir, 'hosts.ini');
writeFileSync(ansibleIni, [
  'bastion ansible_host=192.0.2.1',
  '[web]',
  'web01 ansible_host=10.1.0.1 ansible_password=ini-pass-Sw0rdfish',
  'web02 ansible_host=10.1.0.2 ansible_port=2200',
  '[db]',
  'db01 vault_db_password=vaulted-db-pw db_blob=\'$ANSIBLE_VAULT;1.1;AES256\'',
  '[prod:children]',
  'web',
  'db',
  '[prod:vars]',
  'ansible_user=ops',
  'github_token=tok-9f8e7d6c',
  '',
].join('\n'));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (s) => void (out += s), err: (s) => void (err += s), stdoutTty: false, stderrTty: false };
  const code = await runCli(['inventory', '--ssh-config', noSshConfig, ...args], io);
  return { code, out, err };
}

function assertNoSecret(text: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${s} shown in:\n${text}`);
}

describe('gofleet inventory', () => {
  it('gofleet YAML: a table, the --graph tree and --json shaped like ansible-inventory --list', async () => {
    const table = await cli('-i', gofleetYaml);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /^NAME +ADDRESS +PORT +USER +TRANSPORT +GROUPS +TAGS +SITE +GOROOT +VERSIONS_DIR +BECOME$/m);
    assert.match(table.out, /^web-1 +10\.0\.0\.1 +22 +deploy +ssh +prod,web +canary +paris +\/opt\/go +\(os default\) +yes$/m);
    assert.match(table.out, /^lone +10\.0\.0\.9 +2222 +deploy +ssh +- +- /m);

    const graph = await cli('-i', gofleetYaml, '--graph');
    assert.equal(graph.code, 0, graph.err);
    assert.equal(graph.out, [
      '@all:', '  |--@prod:', '  |  |--@db:', '  |  |  |--db-1', '  |  |--@web:', '  |  |  |--web-1', '  |  |  |--web-2',
      '  |--@ungrouped:', '  |  |--lone', '',
    ].join('\n'));

    const json = await cli('-i', gofleetYaml, '--json');
    assert.equal(json.code, 0, json.err);
    const doc = JSON.parse(json.out) as Record<string, { hosts?: string[]; children?: string[] }> & { _meta: { hostvars: Record<string, Record<string, unknown>> } };
    assert.deepEqual(doc.all, { children: ['ungrouped', 'prod'] });
    assert.deepEqual(doc.prod, { children: ['web', 'db'] });
    assert.deepEqual(doc.web, { hosts: ['web-1', 'web-2'] });
    assert.deepEqual(doc.ungrouped, { hosts: ['lone'] });
    const web1 = doc._meta.hostvars['web-1']!;
    assert.equal(web1.password, '${env:DEPLOY_PASSWORD}', 'an env reference is shown as written');
    assert.deepEqual(web1.vars, { api_token: '<redacted>', rack: 'r12' });
    assert.equal(web1.goroot, '/opt/go');
    assert.deepEqual([web1.site, doc._meta.hostvars.lone!.site], ['paris', null]);
    assert.equal(web1.source, `${gofleetYaml}:13`);
    for (const r of [table, graph, json]) assertNoSecret(r.out + r.err);
  });

  it('--limit narrows hosts and groups to the selection', async () => {
    const json = await cli('-i', gofleetYaml, '--json', '--limit', 'db');
    assert.equal(json.code, 0, json.err);
    const doc = JSON.parse(json.out) as Record<string, unknown> & { _meta: { hostvars: Record<string, unknown> } };
    assert.deepEqual(Object.keys(doc._meta.hostvars), ['db-1']);
    assert.deepEqual(Object.keys(doc).sort(), ['_meta', 'all', 'db', 'prod']);
    const graph = await cli('-i', gofleetYaml, '--graph', '-l', 'lone');
    assert.equal(graph.out, '@all:\n  |--@ungrouped:\n  |  |--lone\n');
  });

  it('Ansible INI: groups, children and effective settings; a literal password and secret variables never shown', async () => {
    const table = await cli('-i', ansibleIni);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /^web02 +10\.1\.0\.2 +2200 +ops +ssh +web,prod /m);
    const graph = await cli('-i', ansibleIni, '--graph');
    assert.equal(graph.out, [
      '@all:', '  |--@prod:', '  |  |--@db:', '  |  |  |--db01', '  |  |--@web:', '  |  |  |--web01', '  |  |  |--web02',
      '  |--@ungrouped:', '  |  |--bastion', '',
    ].join('\n'));
    const json = await cli('-i', ansibleIni, '--json');
    assert.equal(json.code, 0, json.err);
    const doc = JSON.parse(json.out) as { _meta: { hostvars: Record<string, Record<string, unknown>> } };
    const { web01, db01 } = doc._meta.hostvars;
    assert.equal(web01!.password, '<redacted>');
    assert.equal(web01!.user, 'ops');
    assert.deepEqual(db01!.vars, { vault_db_password: '<redacted>', db_blob: '<redacted>', github_token: '<redacted>' });
    for (const r of [table, graph, json]) assertNoSecret(r.out + r.err);
  });

  it('input errors exit 4 (a misspelt gofleet key, with its line and the key it meant); --json with --graph exits 5', async () => {
    const typo = join(dir, 'typo.yml');
    writeFileSync(typo, 'hosts:\n  a:\n    adress: 10.0.0.5\n');
    const bad = await cli('-i', typo);
    assert.equal(bad.code, 4);
    assert.match(bad.err, /typo\.yml:3: hosts\.a\.adress: unknown key "adress" \(did you mean "address"\?\)/);
    const none = await cli('-i', gofleetYaml, '--limit', 'nosuch');
    assert.equal(none.code, 4);
    assert.match(none.err, /LIMIT_NO_MATCH/);
    const both = await cli('-i', gofleetYaml, '--json', '--graph');
    assert.equal(both.code, 5);
    assert.match(both.err, /BAD_OPTION/);
  });
});
