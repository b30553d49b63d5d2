// Ansible Vault decryption against texts made by the real ansible-vault (testdata/vault/README.md).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decryptVault, vaultLabel, VaultError } from './ansible-vault.ts';

const dir = join(import.meta.dirname, 'testdata', 'vault');
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
/** the text after `!vault |`, indented as in the file */
const tagged = (name: string): string => read(name).split('|\n')[1]!;

test('vault 1.1 and 1.2 (with a label) made by ansible-vault decrypt with the right password', () => {
  assert.equal(decryptVault(tagged('v11.yml'), 'correct horse'), 's3cr3t-ssh');
  assert.equal(decryptVault(tagged('v12.yml'), 'correct horse'), 'b3come-pw');
  assert.equal(vaultLabel(tagged('v12.yml')), 'prod');
  assert.equal(decryptVault(read('whole.yml'), 'correct horse'), 'ansible_port: 2222\n');
});

test('a wrong password is a VaultError (HMAC mismatch), never a crash or garbage', () => {
  assert.throws(() => decryptVault(tagged('v11.yml'), 'wrong'), (e: unknown) => e instanceof VaultError && e.reason === 'password' && /HMAC/.test(e.message));
});

test('damaged or foreign texts are format errors', () => {
  const text = tagged('v11.yml');
  const cases = [
    text.replace('1.1', '2.0'),
    text.replace('AES256', 'AES'),
    text.replace(/\n\s*3/, '\nzz'),
    'not a vault',
    '$ANSIBLE_VAULT;1.1;AES256\n' + Buffer.from('abc\ndef').toString('hex'),
  ];
  for (const c of cases) assert.throws(() => decryptVault(c, 'correct horse'), (e: unknown) => e instanceof VaultError && e.reason === 'format', c);
});
