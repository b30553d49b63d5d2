// The format-neutral middle of the inventory pipeline. Every parser (gofleet YAML, Ansible INI,
// Ansible YAML) turns each block of variables into a Layer of normalized fields; a host is the list
// of its layers in precedence order (lowest first), merged field by field.

import type { GroupNode } from './group-tree.ts';
import type { HostOs } from '../platform/types.ts';
import type { SecretRef, SourceRef, TransportKind } from './types.ts';
import type { WinrmFields } from './winrm-settings.ts';

/** Normalized host settings; every field present was set explicitly by the inventory. */
export interface HostFields {
  address?: string;
  port?: number;
  user?: string;
  transport?: TransportKind;
  identity?: string[];
  password?: SecretRef;
  becomePassword?: SecretRef;
  knownHosts?: string;
  become?: boolean;
  os?: HostOs;
  /** an OS implied by other settings (ansible_connection=winrm, ansible_shell_type=powershell) */
  osHint?: HostOs;
  /** the Ansible variable that made the host Windows, as the user wrote it, with file:line */
  windowsBy?: string;
  goroot?: string;
  versionsDir?: string;
  tags?: string[];
  site?: string;
  /** a ProxyJump spec (`[user@]host[:port],...`), resolved through ~/.ssh/config later */
  proxyJump?: string;
  /** WinRM settings, merged key by key (a group's scheme and a host's auth both apply) */
  winrm?: WinrmFields;
}

export interface Layer {
  fields: HostFields;
  /** variables gofleet does not interpret, kept on HostSpec.vars */
  vars: Record<string, unknown>;
}

/** A host as a parser found it, before defaults and ~/.ssh/config. */
export interface HostDraft {
  name: string;
  source: SourceRef;
  /** groups the host belongs to (directly or through children), in file order; never `all` */
  groups: string[];
  /** lowest precedence first */
  layers: Layer[];
}

export interface ParsedInventory {
  hosts: HostDraft[];
  /** group name -> member host names, children expanded, in host order */
  groups: Record<string, string[]>;
  /** group name -> its own hosts and child groups as written (for `gofleet inventory --graph`) */
  tree?: Record<string, GroupNode>;
}

export function emptyLayer(): Layer {
  return { fields: {}, vars: {} };
}

/** Merge layers: a later layer's field or variable replaces an earlier one. */
export function mergeLayers(layers: readonly Layer[]): Layer {
  const out = emptyLayer();
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.fields)) {
      if (key === 'winrm') out.fields.winrm = { ...out.fields.winrm, ...(value as WinrmFields) };
      else if (value !== undefined) (out.fields as Record<string, unknown>)[key] = value;
    }
    Object.assign(out.vars, layer.vars);
  }
  return out;
}

/** Group name -> members in host order, from each host's group list. */
export function groupMembers(hosts: readonly HostDraft[], groupOrder: readonly string[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const g of groupOrder) groups[g] = [];
  for (const h of hosts) for (const g of h.groups) (groups[g] ??= []).push(h.name);
  return groups;
}
