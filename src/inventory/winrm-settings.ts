// WinRM settings (issue 11): gofleet YAML's `winrm:` block and Ansible's ansible_winrm_* / ansible_psrp_*
// variables become the same partial WinrmFields in a layer; finalizeWinrm applies the defaults once the layers
// are merged (scheme, port by scheme, auth, certificate checks, message encryption).
//
// ansible_connection=psrp is served by the winrm transport: WinRS shells over WS-Management, not PSRP runspaces
// (gofleet only runs scripts and moves files, which WinRS does); its ansible_psrp_* settings are read the same.
// Kerberos and CredSSP are kept as "asked for" and refused per host at connect time (WINRM_AUTH_UNSUPPORTED),
// so one such host does not stop the others.

import { invalidAt, describeValue, type Where } from './inventory-errors.ts';
import type { WinrmAuth, WinrmSpec } from './types.ts';

export interface WinrmFields {
  scheme?: 'http' | 'https';
  /** the method, or kerberos/credssp as written with where (refused when the host is connected); one field so
   *  that the layer written last wins either way */
  auth?: { method: WinrmAuth } | { refused: string };
  certValidation?: 'validate' | 'ignore';
  caFile?: string;
  clientCert?: string;
  clientKey?: string;
  messageEncryption?: 'auto' | 'always' | 'never';
}

const at = (w: Where): string => (w.line === undefined ? w.file : `${w.file}:${w.line}`);

function oneOf<T extends string>(value: unknown, where: Where, allowed: readonly T[]): T {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw invalidAt(where, `expected one of ${allowed.join('|')}, got ${describeValue(value)}`);
}

/**
 * An auth method as Ansible/pywinrm name it -> fields. pywinrm's `plaintext` is Basic over http and `ssl` Basic
 * over https; psrp's `negotiate` is NTLM here (SPNEGO falls back to NTLM without Kerberos). A list
 * (`ntlm,kerberos`) takes the first gofleet speaks.
 */
export function winrmAuthFields(value: unknown, where: Where, key: string): WinrmFields {
  const text = typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : '';
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  for (const name of names) {
    if (name === 'ntlm' || name === 'negotiate') return { auth: { method: 'ntlm' } };
    if (name === 'basic' || name === 'plaintext') return { auth: { method: 'basic' } };
    if (name === 'ssl') return { auth: { method: 'basic' }, scheme: 'https' };
    if (name === 'certificate') return { auth: { method: 'certificate' } };
  }
  const refused = names.find((n) => n === 'kerberos' || n === 'credssp');
  if (refused) return { auth: { refused: `${key}=${refused} (${at(where)})` } };
  throw invalidAt(where, `expected one of ntlm|basic|certificate (or plaintext|ssl|negotiate|kerberos|credssp), got ${describeValue(value)}`);
}

/** Ansible's and psrp's variables -> WinrmFields (values of the Ansible formats: INI strings or YAML scalars). */
export const ANSIBLE_WINRM_VARS: Record<string, (v: unknown, w: Where, str: (v: unknown) => string) => WinrmFields> = {
  ansible_winrm_transport: (v, w) => winrmAuthFields(v, w, 'ansible_winrm_transport'),
  ansible_psrp_auth: (v, w) => winrmAuthFields(v, w, 'ansible_psrp_auth'),
  ansible_winrm_scheme: (v, w) => ({ scheme: oneOf(v, w, ['http', 'https'] as const) }),
  ansible_psrp_protocol: (v, w) => ({ scheme: oneOf(v, w, ['http', 'https'] as const) }),
  ansible_winrm_server_cert_validation: (v, w) => ({ certValidation: oneOf(v, w, ['validate', 'ignore'] as const) }),
  ansible_psrp_cert_validation: (v, w) => ({ certValidation: psrpValidation(v, w) }),
  ansible_winrm_ca_trust_path: (v, w, str) => ({ caFile: str(v) }),
  ansible_psrp_ca_path: (v, w, str) => ({ caFile: str(v) }),
  ansible_winrm_cert_pem: (v, w, str) => ({ clientCert: str(v) }),
  ansible_psrp_certificate_pem: (v, w, str) => ({ clientCert: str(v) }),
  ansible_winrm_cert_key_pem: (v, w, str) => ({ clientKey: str(v) }),
  ansible_psrp_certificate_key_pem: (v, w, str) => ({ clientKey: str(v) }),
  ansible_winrm_message_encryption: (v, w) => ({ messageEncryption: oneOf(v, w, ['auto', 'always', 'never'] as const) }),
  ansible_psrp_message_encryption: (v, w) => ({ messageEncryption: oneOf(v, w, ['auto', 'always', 'never'] as const) }),
};

/** psrp's cert_validation is validate|ignore, or a boolean in YAML. */
function psrpValidation(value: unknown, where: Where): 'validate' | 'ignore' {
  if (value === true || value === false) return value ? 'validate' : 'ignore';
  return oneOf(value, where, ['validate', 'ignore'] as const);
}

export interface WinrmDefaultsContext {
  /** the port written in the inventory, if any */
  port: number | undefined;
  /** Ansible's rule for the scheme (https unless the port is 5985) rather than gofleet's (http unless 5986) */
  ansible: boolean;
}

/** Merged fields -> the host's WinrmSpec and port. */
export function finalizeWinrm(f: WinrmFields, ctx: WinrmDefaultsContext): { winrm: WinrmSpec; port: number } {
  const scheme = f.scheme ?? (ctx.ansible ? (ctx.port === 5985 ? 'http' : 'https') : (ctx.port === 5986 ? 'https' : 'http'));
  const asked = f.auth && 'method' in f.auth ? f.auth.method : undefined;
  const auth: WinrmAuth = asked ?? (f.clientCert !== undefined ? 'certificate' : 'ntlm');
  const winrm: WinrmSpec = {
    scheme,
    auth,
    certValidation: f.certValidation ?? 'validate',
    messageEncryption: f.messageEncryption ?? 'auto',
  };
  if (f.caFile !== undefined) winrm.caFile = f.caFile;
  if (f.clientCert !== undefined) winrm.clientCert = f.clientCert;
  if (f.clientKey !== undefined) winrm.clientKey = f.clientKey;
  if (f.auth && 'refused' in f.auth) winrm.unsupportedAuth = f.auth.refused;
  return { winrm, port: ctx.port ?? (scheme === 'https' ? 5986 : 5985) };
}
