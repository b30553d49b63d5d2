// A host draft -> HostSpec: merge its layers, apply ~/.ssh/config for SSH hosts (looked up by the
// address ssh would be given; an explicit inventory value wins, as in Ansible; HostName still applies
// to an ansible_host alias, as it does for `ssh <ansible_host>`), then the defaults (port 22, transport ssh, known_hosts
// ~/.ssh/known_hosts, become false, address = name). goroot/versionsDir stay unset unless given:
// the engine applies OS_DEFAULTS once the OS is known.

import { expandTilde, localUser, type Env } from './expand-values.ts';
import { mergeLayers, type HostDraft } from './host-layers.ts';
import { resolveProxyJump } from './proxy-jump.ts';
import { expandTokens, type SshLookup, type SshSettings } from './ssh-config.ts';
import type { HostSpec, SourceRef } from './types.ts';
import { finalizeWinrm } from './winrm-settings.ts';

export interface FinalizeContext {
  ssh?: SshLookup;
  env: Env;
  /** an Ansible inventory: Ansible's WinRM scheme default (https unless the port is 5985) */
  ansible?: boolean;
}

function sourceOf(draft: HostDraft): SourceRef {
  return draft.source.line === undefined ? { file: draft.source.file } : { file: draft.source.file, line: draft.source.line };
}

/** gofleet YAML says `transport: winrm` or `os: windows` (its layers keep no per-key line: the host's line is used). */
function gofleetWindowsSetting(transport: string, source: SourceRef): string {
  const at = source.line === undefined ? source.file : `${source.file}:${source.line}`;
  return `${transport === 'winrm' ? 'transport: winrm' : 'os: windows'} (${at})`;
}

export function finalizeHost(draft: HostDraft, ctx: FinalizeContext): HostSpec {
  const { fields: f, vars } = mergeLayers(draft.layers);
  const transport = f.transport ?? 'ssh';
  // Host blocks match what ssh would be given: ansible_host / address, else the inventory name
  const given = f.address ?? draft.name;
  const ssh: SshSettings = transport === 'ssh' && ctx.ssh ? ctx.ssh(given) : {};
  const source = sourceOf(draft);
  const spec: HostSpec = {
    name: draft.name,
    address: ssh.hostName ?? given,
    port: f.port ?? ssh.port ?? 22,
    transport,
    knownHosts: f.knownHosts ?? ssh.knownHosts ?? expandTilde('~/.ssh/known_hosts', ctx.env),
    become: f.become ?? false,
    tags: f.tags ?? [],
    groups: [...draft.groups],
    vars,
    source,
  };
  const user = f.user ?? ssh.user;
  if (transport === 'winrm') {
    const { winrm, port } = finalizeWinrm(f.winrm ?? {}, { port: f.port, ansible: ctx.ansible ?? false });
    spec.winrm = winrm;
    spec.port = port;
  }
  if (user !== undefined) spec.user = user;
  const identity = f.identity ?? ssh.identity;
  if (identity !== undefined) spec.identity = identity;
  if (f.password) spec.password = f.password;
  if (f.becomePassword) spec.becomePassword = f.becomePassword;
  const os = f.os ?? f.osHint;
  if (os) spec.os = os;
  if (os === 'windows' || transport === 'winrm') spec.windowsBy = f.windowsBy ?? gofleetWindowsSetting(transport, source);
  if (f.goroot !== undefined) spec.goroot = f.goroot;
  if (f.versionsDir !== undefined) spec.versionsDir = f.versionsDir;
  if (f.site !== undefined) spec.site = f.site;
  if (ssh.notes) spec.sshConfigNotes = ssh.notes;
  // an inventory proxy_jump is like `ssh -J`: given before the config is read, so it wins over a
  // ProxyCommand there; in the config itself the first of ProxyJump/ProxyCommand wins (resolved already)
  const jump = f.proxyJump ?? ssh.proxyJump;
  if (transport === 'ssh' && jump && jump.toLowerCase() !== 'none') {
    spec.proxyJump = resolveProxyJump(jump, ctx.ssh, { ...source, field: `${draft.name}.proxy_jump` });
  } else if (transport === 'ssh' && f.proxyJump === undefined && ssh.proxyCommand) {
    spec.proxyCommand = expandTokens(ssh.proxyCommand, {
      h: spec.address, p: String(spec.port), r: spec.user ?? localUser(ctx.env), n: given,
    });
  }
  return spec;
}
