// Coercion of Ansible variable values. INI gives every value as a string and YAML gives typed
// values, so each coercer accepts both ("2222" and 2222, "yes" and true).

import { parse as parseYaml } from 'yaml';
import { registerSecret } from '../errors.ts';
import { VaultText } from './ansible-vault.ts';
import { ansibleEnvName, expandAnsibleEnv, expandGofleetEnv, gofleetEnvName, type Env } from './expand-values.ts';
import { describeValue, envMissingAt, invalidAt, type Where } from './inventory-errors.ts';
import type { HostOs } from '../platform/types.ts';
import type { SecretRef, TransportKind } from './types.ts';

export function toStr(value: unknown, where: Where, env: Env): string {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw invalidAt(where, `expected a string, got ${describeValue(value)}`);
  const missing = (name: string): never => {
    throw envMissingAt(where, name);
  };
  const out = expandGofleetEnv(expandAnsibleEnv(value, env, missing), env, missing);
  if (out.includes('{{')) {
    throw invalidAt(where, `templates other than {{ lookup('env', 'NAME') }} are not supported, got ${describeValue(value)}`);
  }
  return out;
}

export function toPort(value: unknown, where: Where): number {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535) return n;
  throw invalidAt(where, `expected a port number from 1 to 65535, got ${describeValue(value)}`);
}

const TRUE = new Set(['true', 'yes', 'on', '1', 'y']);
const FALSE = new Set(['false', 'no', 'off', '0', 'n']);

export function toBool(value: unknown, where: Where): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  throw invalidAt(where, `expected true or false (yes/no, 1/0), got ${describeValue(value)}`);
}

function parseFlowList(text: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    return text;
  }
}

/** A list from a YAML list, a flow list in a string ("['a', 'b']") or a comma-separated string. */
export function toList(value: unknown, where: Where): string[] {
  let items = value;
  if (typeof value === 'string') items = value.trim().startsWith('[') ? parseFlowList(value) : value.split(',');
  if (!Array.isArray(items) || items.some((i) => typeof i !== 'string' && typeof i !== 'number')) {
    throw invalidAt(where, `expected a list of strings, got ${describeValue(value)}`);
  }
  return items.map((i) => String(i).trim()).filter((i) => i !== '');
}

export function toOs(value: unknown, where: Where): HostOs {
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  if (text === 'linux' || text === 'darwin' || text === 'windows') return text;
  throw invalidAt(where, `expected one of linux|darwin|windows, got ${describeValue(value)}`);
}

const LINUX_FAMILIES = new Set(['linux', 'redhat', 'debian', 'suse', 'gentoo', 'archlinux', 'alpine', 'mandrake', 'slackware', 'altlinux', 'clearlinux', 'coreos', 'flatcar', 'mandriva', 'void']);

/** ansible_os_family (RedHat, Debian, Darwin, Windows, ...) -> an OS, or undefined when unknown. */
export function osFromFamily(value: unknown): HostOs | undefined {
  const text = String(value).toLowerCase();
  if (text === 'windows' || text === 'darwin') return text;
  return LINUX_FAMILIES.has(text) ? 'linux' : undefined;
}

/** ansible_connection -> transport; winrm and psrp also imply Windows. */
export function toTransport(value: unknown, where: Where, strict: boolean): { transport: TransportKind; os?: HostOs } {
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  if (text === 'ssh' || text === 'local' || text === 'winrm') return text === 'winrm' ? { transport: 'winrm', os: 'windows' } : { transport: text };
  if (!strict && (text === 'paramiko' || text === 'smart')) return { transport: 'ssh' };
  if (!strict && text === 'psrp') return { transport: 'winrm', os: 'windows' };
  const allowed = strict ? 'ssh|winrm|local' : 'ssh|paramiko|local|winrm|psrp';
  throw invalidAt(where, `expected one of ${allowed}, got ${describeValue(value)}`);
}

/**
 * ansible_password: `{{ lookup('env','X') }}`, a `!vault` value (decrypted at connect time, never sent as
 * it is) or a literal (kept in memory only, registered for redaction).
 */
export function toAnsibleSecret(value: unknown, where: Where): SecretRef {
  if (value instanceof VaultText) return { from: 'vault', text: value.text, where: { ...where } };
  if (typeof value === 'number') value = String(value);
  if (typeof value !== 'string') throw invalidAt(where, `expected a string, got ${typeof value}`);
  const name = ansibleEnvName(value);
  if (name) return { from: 'env', name };
  if (value.includes('{{')) throw invalidAt(where, "only {{ lookup('env', 'NAME') }} templates are supported in passwords");
  registerSecret(value);
  return { from: 'literal', value };
}

/** gofleet_password: like ansible_password, plus `${env:NAME}` and `prompt`. */
export function toGofleetSecret(value: unknown, where: Where): SecretRef {
  if (value === 'prompt') return { from: 'prompt' };
  const name = typeof value === 'string' ? gofleetEnvName(value) : undefined;
  return name ? { from: 'env', name } : toAnsibleSecret(value, where);
}
