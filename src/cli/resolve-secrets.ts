// Every secret the selected hosts need (SSH password, become password), resolved before any host is
// contacted: env variables checked (a missing one is an input error, exit 4), prompts asked one at a
// time (one per user@address and kind), Ansible Vault values decrypted with the vault password file,
// and every value registered for redaction. Values live in memory only.

import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { GofleetError, registerSecret } from '../errors.ts';
import { decryptVault, VaultError } from '../inventory/ansible-vault.ts';
import type { HostSpec, SecretRef } from '../inventory/types.ts';
import { isInteractive, promptSecret } from './prompt.ts';

export interface HostSecrets {
  password?: string;
  becomePassword?: string;
}

export interface ResolveSecretsOptions {
  /** --vault-password-file; else $ANSIBLE_VAULT_PASSWORD_FILE */
  vaultPasswordFile?: string;
  env?: NodeJS.ProcessEnv;
  /** the terminal prompt (tests swap it) */
  prompt?: (question: string) => Promise<string>;
  interactive?: boolean;
}

type Kind = 'password' | 'become password';

export async function resolveSecrets(hosts: readonly HostSpec[], o: ResolveSecretsOptions = {}): Promise<Map<string, HostSecrets>> {
  const env = o.env ?? process.env;
  const prompted = new Map<string, string>();
  let vaultPassword: string | undefined;
  const vault = (): string => (vaultPassword ??= readVaultPassword(o.vaultPasswordFile ?? env.ANSIBLE_VAULT_PASSWORD_FILE));
  const resolve = async (host: HostSpec, ref: SecretRef, kind: Kind): Promise<string> => {
    if (ref.from === 'literal') return ref.value;
    if (ref.from === 'vault') return openVault(host, ref, vault);
    if (ref.from === 'env') {
      const v = env[ref.name];
      if (v === undefined) {
        throw new GofleetError('INVENTORY_ENV_MISSING', `${host.name}: the ${kind} variable ${ref.name} is not set`, { host: host.name });
      }
      return v;
    }
    if (!(o.interactive ?? isInteractive())) {
      throw new GofleetError('BAD_OPTION', `${host.name}: the ${kind} is to be prompted for, but there is no terminal`, {
        host: host.name,
        hint: `Use ${kind === 'password' ? 'password' : 'become_password'}: \${env:NAME} in the inventory for unattended runs.`,
      });
    }
    const key = `${kind} for ${host.user ?? ''}@${host.address}`;
    const value = prompted.get(key) ?? (await (o.prompt ?? promptSecret)(`${key}: `));
    prompted.set(key, value);
    return value;
  };
  const out = new Map<string, HostSecrets>();
  for (const host of hosts) {
    const secrets: HostSecrets = {};
    if (host.password) secrets.password = registered(await resolve(host, host.password, 'password'));
    if (host.becomePassword) secrets.becomePassword = registered(await resolve(host, host.becomePassword, 'become password'));
    if (secrets.becomePassword?.includes('\n')) {
      throw new GofleetError('BAD_OPTION', `${host.name}: the become password holds a line break, which sudo cannot read`, { host: host.name });
    }
    out.set(host.name, secrets);
  }
  return out;
}

function registered(value: string): string {
  registerSecret(value);
  return value;
}

type VaultRef = Extract<SecretRef, { from: 'vault' }>;

function at(ref: VaultRef): string {
  const w = ref.where;
  return `${w.line === undefined ? w.file : `${w.file}:${w.line}`}${w.field ? `: ${w.field}` : ''}`;
}

function openVault(host: HostSpec, ref: VaultRef, password: () => string): string {
  let pw: string;
  try {
    pw = password();
  } catch (err) {
    if (!(err instanceof GofleetError) || err.code !== 'VAULT_PASSWORD_MISSING' || err.message !== NO_FILE) throw err;
    throw new GofleetError('VAULT_PASSWORD_MISSING', `${at(ref)}: the value is encrypted with Ansible Vault and no vault password file was given; it is never sent as it is`, { host: host.name, location: ref.where });
  }
  try {
    return decryptVault(ref.text, pw);
  } catch (err) {
    if (!(err instanceof VaultError)) throw err;
    throw new GofleetError('VAULT_DECRYPT_FAILED', `${at(ref)}: cannot decrypt the vault value: ${err.message}`, { host: host.name, location: ref.where });
  }
}

const NO_FILE = 'no vault password file';

/** Ansible's rules: an executable file is run (no shell, no arguments) and its output used; else its first line. */
function readVaultPassword(file: string | undefined): string {
  if (!file) throw new GofleetError('VAULT_PASSWORD_MISSING', NO_FILE);
  let text: string;
  try {
    text = isExecutable(file) ? execFileSync(file, [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 60_000 }) : readFileSync(file, 'utf8');
  } catch (err) {
    throw new GofleetError('VAULT_PASSWORD_MISSING', `vault password file ${file}: ${(err as Error).message.split('\n')[0]}`, { cause: err, location: { file } });
  }
  const password = (text.split(/\r?\n/)[0] ?? '').trim();
  if (password === '') throw new GofleetError('VAULT_PASSWORD_MISSING', `vault password file ${file}: its first line is empty`, { location: { file } });
  registerSecret(password);
  return password;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
