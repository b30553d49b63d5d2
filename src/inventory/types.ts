// A host as the rest of gofleet sees it, after defaults, groups, Ansible variables and ~/.ssh/config
// have been applied. Everything here is plain data; secrets are references, never values.

import type { HostOs } from '../platform/types.ts';

export type TransportKind = 'ssh' | 'winrm' | 'local';

/** Where a value came from, for error messages ("inventory.yml:12"). */
export interface SourceRef {
  file: string;
  line?: number;
}

/** A secret is never stored: it names where to read it from at connect time. */
export type SecretRef =
  | { from: 'env'; name: string }
  | { from: 'prompt' }
  /** an Ansible inventory with a literal password; kept in memory only, redacted everywhere */
  | { from: 'literal'; value: string }
  /** an Ansible `!vault` value, decrypted at connect time with the vault password file */
  | { from: 'vault'; text: string; where: { file: string; line?: number; field?: string } };

export type WinrmAuth = 'ntlm' | 'basic' | 'certificate';

/** How a `transport: winrm` host is reached (issue 11); the port is HostSpec.port (5985 http, 5986 https by default). */
export interface WinrmSpec {
  scheme: 'http' | 'https';
  auth: WinrmAuth;
  /** `ignore` skips the server certificate check: asked per host, reported loudly */
  certValidation: 'validate' | 'ignore';
  /** PEM CA bundle for the server certificate (ansible_winrm_ca_trust_path) */
  caFile?: string;
  /** client certificate and key (PEM files) for auth: certificate */
  clientCert?: string;
  clientKey?: string;
  /** NTLM message encryption over http: auto (when the scheme is http), always, never */
  messageEncryption: 'auto' | 'always' | 'never';
  /** an auth method gofleet does not speak yet (kerberos, credssp), as written with file:line: the host is
   *  refused when it is connected (WINRM_AUTH_UNSUPPORTED), the others go on */
  unsupportedAuth?: string;
}

export interface ProxyJump {
  address: string;
  port: number;
  user?: string;
  identity?: string;
}

export interface HostSpec {
  name: string;
  /** hostname or IP to connect to (defaults to name) */
  address: string;
  port: number;
  user?: string;
  transport: TransportKind;
  /** transport winrm only */
  winrm?: WinrmSpec;
  /** private key path(s), tilde-expanded */
  identity?: string[];
  password?: SecretRef;
  /** sudo's password for become (ansible_become_password, become_password) */
  becomePassword?: SecretRef;
  /** path of the known_hosts file used to check the host key */
  knownHosts: string;
  become: boolean;
  /** os declared in the inventory (facts may find another one; facts win and a mismatch is reported) */
  os?: HostOs;
  /** for a Windows host (transport winrm or os windows): the inventory setting that says so, in the
   *  inventory's own words and with file:line (`ansible_connection=winrm (hosts.ini:3)`, `transport: winrm (fleet.yml:9)`) */
  windowsBy?: string;
  goroot?: string;
  versionsDir?: string;
  tags: string[];
  /** where the host is reached from (issue 14): only workers started with `--site` of that name take its jobs;
   *  unset: any worker without --site */
  site?: string;
  groups: string[];
  proxyJump?: ProxyJump[];
  /** ~/.ssh/config ProxyCommand, tokens expanded: run by the user's shell, its stdio is the SSH connection */
  proxyCommand?: string;
  /** what ~/.ssh/config asked that gofleet did not do as OpenSSH would (e.g. a `Match exec` not run) */
  sshConfigNotes?: string[];
  /** other variables, kept for later features (health command, etc.) */
  vars: Record<string, unknown>;
  source: SourceRef;
}

export interface Inventory {
  /** the file it was read from */
  file: string;
  format: 'gofleet' | 'ansible-ini' | 'ansible-yaml';
  hosts: HostSpec[];
  /** group name -> member host names (after children are expanded) */
  groups: Record<string, string[]>;
  /** group name -> the hosts and child groups written in it (not expanded); `all` and `ungrouped` left out */
  tree?: Record<string, { hosts: string[]; children: string[] }>;
}
