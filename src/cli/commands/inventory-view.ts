// What `gofleet inventory` shows: the selected hosts' resolved settings as a table, as JSON shaped like
// `ansible-inventory --list`, or as the group tree `ansible-inventory --graph` draws. Secrets never appear:
// a password shows where it comes from (`${env:NAME}`, `prompt`) or `<redacted>`, and so does any variable
// whose name or value looks like a secret.

import { redact } from '../../errors.ts';
import type { HostSpec, Inventory, SecretRef } from '../../inventory/index.ts';
import type { WinrmSpec } from '../../inventory/types.ts';
import { safeText } from '../../report/safe-text.ts';
import { renderTable } from '../../util/text-table.ts';

export const REDACTED = '<redacted>';

/** Variable names whose values are secrets in Ansible and gofleet inventories (ansible_password, vault_*, api_token...). */
const SECRET_NAME = /pass|secret|token|vault|credential|private_key(?!_file)|api_key/i;

function showSecret(ref: SecretRef | undefined): string | null {
  if (!ref) return null;
  if (ref.from === 'env') return `\${env:${ref.name}}`;
  if (ref.from === 'prompt') return 'prompt';
  return REDACTED;
}

/** A copy of `value` with secret-looking entries replaced; strings also lose registered secrets. */
function redactVars(value: unknown, secretName = false): unknown {
  if (typeof value === 'string') {
    if (secretName || value.includes('$ANSIBLE_VAULT')) return REDACTED;
    return redact(value);
  }
  if (Array.isArray(value)) return value.map((v) => redactVars(v, secretName));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactVars(v, secretName || SECRET_NAME.test(k))]));
  }
  return secretName && value !== null && value !== undefined ? REDACTED : value;
}

/** One host's resolved settings, with gofleet YAML's key names. goroot / versions_dir are null when they are
 *  decided from the OS found at connect time. */
export function hostVars(h: HostSpec): Record<string, unknown> {
  return {
    address: h.address,
    port: h.port,
    user: h.user ?? null,
    transport: h.transport,
    os: h.os ?? null,
    identity: h.identity ?? [],
    password: showSecret(h.password),
    become_password: showSecret(h.becomePassword),
    known_hosts: h.knownHosts,
    become: h.become,
    goroot: h.goroot ?? null,
    versions_dir: h.versionsDir ?? null,
    tags: h.tags,
    site: h.site ?? null,
    groups: h.groups,
    proxy_jump: (h.proxyJump ?? []).map((j) => ({ address: j.address, port: j.port, user: j.user ?? null })),
    proxy_command: h.proxyCommand === undefined ? null : redact(h.proxyCommand),
    ssh_config_notes: h.sshConfigNotes ?? [],
    // WinRM hosts only: the settings the transport will use, in the gofleet YAML `winrm:` block's key names
    ...(h.winrm ? { winrm: winrmVars(h.winrm) } : {}),
    vars: redactVars(h.vars),
    source: h.source.line === undefined ? h.source.file : `${h.source.file}:${h.source.line}`,
  };
}

function winrmVars(w: WinrmSpec): Record<string, unknown> {
  return {
    scheme: w.scheme,
    auth: w.unsupportedAuth ?? w.auth,
    cert_validation: w.certValidation,
    ca_file: w.caFile ?? null,
    client_cert: w.clientCert ?? null,
    client_key: w.clientKey ?? null,
    message_encryption: w.messageEncryption,
  };
}

interface TreeGroup {
  hosts: string[];
  children: string[];
}

/** The groups that hold a selected host, each with its own selected hosts and kept children; `all` holds
 *  the top groups and `ungrouped` (hosts in no group), as in Ansible. */
export function groupTree(inv: Inventory, hosts: readonly HostSpec[]): Map<string, TreeGroup> {
  const selected = new Set(hosts.map((h) => h.name));
  const written = inv.tree ?? Object.fromEntries(Object.entries(inv.groups).map(([g, m]) => [g, { hosts: m, children: [] }]));
  const kept = new Set(Object.keys(written).filter((g) => (inv.groups[g] ?? []).some((h) => selected.has(h))));
  const tree = new Map<string, TreeGroup>();
  const isChild = new Set<string>();
  for (const [name, g] of Object.entries(written)) {
    if (!kept.has(name)) continue;
    const children = g.children.filter((c) => kept.has(c));
    children.forEach((c) => isChild.add(c));
    tree.set(name, { hosts: g.hosts.filter((h) => selected.has(h)), children });
  }
  const ungrouped = hosts.filter((h) => h.groups.length === 0).map((h) => h.name);
  const top = [...tree.keys()].filter((g) => !isChild.has(g));
  const out = new Map<string, TreeGroup>([['all', { hosts: [], children: [...(ungrouped.length > 0 ? ['ungrouped'] : []), ...top] }]]);
  if (ungrouped.length > 0) out.set('ungrouped', { hosts: ungrouped, children: [] });
  for (const [name, g] of tree) out.set(name, g);
  return out;
}

/** `ansible-inventory --list`: `_meta.hostvars` and one entry per group with its own `hosts` and `children`
 *  (empty lists left out, as Ansible does). */
export function inventoryJson(inv: Inventory, hosts: readonly HostSpec[]): Record<string, unknown> {
  const doc: Record<string, unknown> = { _meta: { hostvars: Object.fromEntries(hosts.map((h) => [h.name, hostVars(h)])) } };
  for (const [name, g] of groupTree(inv, hosts)) {
    doc[name] = { ...(g.hosts.length > 0 ? { hosts: g.hosts } : {}), ...(g.children.length > 0 ? { children: g.children } : {}) };
  }
  return doc;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `ansible-inventory --graph`: child groups (by name) before hosts (by name), `  |` per level. */
export function inventoryGraph(inv: Inventory, hosts: readonly HostSpec[]): string {
  const tree = groupTree(inv, hosts);
  const lines: string[] = [];
  const indent = (depth: number, text: string): string => (depth === 0 ? text : `${'  |'.repeat(depth)}--${safeText(text)}`);
  const walk = (name: string, depth: number, path: readonly string[]): void => {
    lines.push(indent(depth, `@${safeText(name)}:`));
    const g = tree.get(name)!;
    for (const child of [...g.children].sort(byName)) if (!path.includes(child)) walk(child, depth + 1, [...path, child]);
    for (const host of [...g.hosts].sort(byName)) lines.push(indent(depth + 1, host));
  };
  walk('all', 0, ['all']);
  return lines.join('\n') + '\n';
}

/** The human table: one row per host, every cell through safeText. */
export function inventoryTable(hosts: readonly HostSpec[]): string {
  const header = ['NAME', 'ADDRESS', 'PORT', 'USER', 'TRANSPORT', 'GROUPS', 'TAGS', 'SITE', 'GOROOT', 'VERSIONS_DIR', 'BECOME'];
  const list = (v: readonly string[]): string => (v.length > 0 ? v.join(',') : '-');
  const rows = hosts.map((h) =>
    [h.name, h.address, String(h.port), h.user ?? '-', h.transport, list(h.groups), list(h.tags), h.site ?? '-', h.goroot ?? '(os default)',
      h.versionsDir ?? '(os default)', h.become ? 'yes' : 'no'].map((c) => safeText(redact(c))),
  );
  // what ~/.ssh/config could not do as OpenSSH would (a `Match exec` is never run): said, not hidden
  const notes = hosts.flatMap((h) => (h.sshConfigNotes ?? []).map((n) => `note: ${safeText(h.name)}: ${safeText(redact(n))}\n`));
  return renderTable(header, rows, { right: [2] }) + notes.join('');
}
