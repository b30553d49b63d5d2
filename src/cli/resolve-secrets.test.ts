// Secrets from an Ansible YAML inventory: !vault values decrypted with the vault password file (plain
// or executable), refused clearly without one or with a wrong one (never sent as ciphertext), become
// passwords kept; a whole encrypted inventory refused by name.
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GofleetError } from '../errors.ts';
import { loadInventory } from '../inventory/index.ts';
import { resolveSecrets } from './resolve-secrets.ts';

const vaultDir = join(import.meta.dirname, '..', 'inventory', 'testdata', 'vault');
const tmp = mkdtempSync(join(tmpdir(), 'gofleet-secrets-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const indent = (text: string): string => text.split('\n').map((l) => `      ${l}`).join('\n');

async function inventory(): Promise<string> {
  const file = join(tmp, 'hosts.yml');
  const vars = [readFileSync(join(vaultDir, 'v11.yml'), 'utf8'), readFileSync(join(vaultDir, 'v12.yml'), 'utf8')].map(indent).join('\n');
  writeFileSync(file, `all:\n  hosts:\n    web1:\n      ansible_host: 10.0.0.1\n      ansible_become: true\n${vars}\n`);
  return file;
}

const env = { HOME: tmp };
const load = async () => (await loadInventory(await inventory(), { sshConfigPath: join(tmp, 'none'), env })).hosts;
const code = (c: string, re: RegExp) => (e: unknown) => e instanceof GofleetError && e.code === c && re.test(e.message);

test('!vault passwords decrypt with --vault-password-file; the become password is kept too', async () => {
  const hosts = await load();
  assert.equal(hosts[0]?.password?.from, 'vault');
  const got = await resolveSecrets(hosts, { vaultPasswordFile: join(vaultDir, 'vault-pass.txt'), env });
  assert.deepEqual(got.get('web1'), { password: 's3cr3t-ssh', becomePassword: 'b3come-pw' });
});

test('ANSIBLE_VAULT_PASSWORD_FILE pointing at an executable file: its output is the password (no shell, no args)', async () => {
  const script = join(tmp, 'vault-pass.sh');
  writeFileSync(script, `#!/bin/sh\n[ $# -eq 0 ] || exit 3\necho 'correct horse'\n`);
  chmodSync(script, 0o755);
  const got = await resolveSecrets(await load(), { env: { ...env, ANSIBLE_VAULT_PASSWORD_FILE: script } });
  assert.equal(got.get('web1')?.password, 's3cr3t-ssh');
});

test('no vault password file: VAULT_PASSWORD_MISSING naming the variable and file:line', async () => {
  const hosts = await load();
  await assert.rejects(resolveSecrets(hosts, { env }), code('VAULT_PASSWORD_MISSING', /hosts\.yml:6: all\.hosts\.web1\.ansible_password: .*never sent/));
});

test('a wrong vault password: VAULT_DECRYPT_FAILED (HMAC mismatch) at the variable', async () => {
  const wrong = join(tmp, 'wrong.txt');
  writeFileSync(wrong, 'wrong horse\n');
  await assert.rejects(resolveSecrets(await load(), { vaultPasswordFile: wrong, env }), code('VAULT_DECRYPT_FAILED', /hosts\.yml:6: .*ansible_password: .*HMAC mismatch/));
});

test('a whole vault-encrypted inventory file is refused by name (VAULT_FILE_ENCRYPTED)', async () => {
  const file = join(tmp, 'whole.yml');
  copyFileSync(join(vaultDir, 'whole.yml'), file);
  await assert.rejects(loadInventory(file, { env }), code('VAULT_FILE_ENCRYPTED', /whole\.yml: the whole file is encrypted/));
});

test('!vault on a variable that is not a password is refused at its line', async () => {
  const file = join(tmp, 'user.yml');
  const v = readFileSync(join(vaultDir, 'v11.yml'), 'utf8').replace('ansible_password', 'ansible_user');
  writeFileSync(file, `all:\n  hosts:\n    web1:\n${indent(v)}\n`);
  await assert.rejects(loadInventory(file, { env }), code('INVENTORY_INVALID', /user\.yml:\d+: .*ansible_user: a !vault value is supported only for passwords/));
});

test('gofleet YAML: become_password is ${env:NAME} or prompt; a literal is refused', async () => {
  const file = join(tmp, 'fleet.yml');
  writeFileSync(file, 'hosts:\n  a: { address: 10.0.0.2, become: true, become_password: "${env:SUDO_PW}" }\n');
  const [a] = (await loadInventory(file, { sshConfigPath: join(tmp, 'none'), env })).hosts;
  assert.deepEqual(a?.becomePassword, { from: 'env', name: 'SUDO_PW' });
  assert.equal(a?.vars.become_password, undefined);
  assert.equal((await resolveSecrets([a!], { env: { SUDO_PW: 'pw1' } })).get('a')?.becomePassword, 'pw1');
  writeFileSync(file, 'hosts:\n  a: { address: 10.0.0.2, become_password: hunter2 }\n');
  await assert.rejects(loadInventory(file, { env }), code('INVENTORY_INVALID', /become_password: a literal password is not allowed/));
});
