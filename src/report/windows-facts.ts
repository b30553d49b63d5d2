// What `facts` shows of a Windows host beyond the table (issue 10): its `windows` JSON object, and one or two
// lines for people — the account's standing and the other Go installs found, then what will bite a managed
// goroot (a machine or user GOROOT, a go that shadows goroot\bin). POSIX hosts get neither.
// Host-reported text goes through safeText for people; the JSON carries it as reported.

import type { HostFactsResult } from '../engine/facts-host.ts';
import { otherInstalls, shadowingInstalls, windowsPathKey } from '../engine/windows-notes.ts';
import type { WindowsGoInstall } from '../platform/types.ts';
import { safeText as t } from './safe-text.ts';

const KIND_LABEL: Record<string, string> = {
  dir: 'dir',
  msi: 'MSI',
  machine_path: 'machine PATH',
  user_path: 'user PATH',
  choco: 'choco shim',
  scoop: 'scoop shim',
};

const install = (i: WindowsGoInstall): { where: string; kind: string; version: string | null; detail: string | null } => ({
  where: i.path,
  kind: i.source,
  version: i.version,
  detail: i.detail,
});

/** The `windows` field of a host's `facts --json` entry: present only for a Windows host whose facts were read. */
export function windowsFactsField(r: HostFactsResult): { windows?: unknown } {
  const w = r.facts?.windows;
  if (!w || !r.facts) return {};
  const goroot = r.paths?.goroot ?? r.facts.goroot.path;
  return {
    windows: {
      elevated: w.elevated,
      admin_member: w.adminMember,
      machine_goroot: w.machineGoroot,
      user_goroot: w.userGoroot,
      gotoolchain: w.goToolchain,
      goroot_link_kind: w.gorootLinkKind,
      ps_version: w.psVersion,
      ps_edition: w.psEdition,
      has_tar: w.hasTar,
      installs: w.installs.map(install),
      shadowing: shadowingInstalls(w, goroot).map(install),
    },
  };
}

/** `windows: HOST: ...` lines (one or two a Windows host), after the facts table. */
export function windowsFactLines(results: readonly HostFactsResult[]): string {
  return results.flatMap((r) => hostLines(r).map((line) => `windows: ${t(r.name)}: ${line}\n`)).join('');
}

function hostLines(r: HostFactsResult): string[] {
  const f = r.facts;
  const w = f?.windows;
  if (!f || !w) return [];
  const goroot = r.paths?.goroot ?? f.goroot.path;
  const standing = w.elevated ? 'elevated administrator' : w.adminMember ? 'administrator, token not elevated (UAC)' : 'not an administrator';
  const others = otherInstalls(w, goroot).map((o) => `${o.where} (${[o.version, o.kinds.map((k) => KIND_LABEL[k] ?? k).join(', ')].filter(Boolean).join(', ')})`);
  const lines = [`${t(standing)}; other Go installs: ${others.length ? others.map((o) => t(o)).join('; ') : 'none'}`];
  const bites: string[] = [];
  for (const [scope, value] of [['machine', w.machineGoroot], ['user', w.userGoroot]] as const) {
    if (!value) continue;
    bites.push(windowsPathKey(value) === windowsPathKey(goroot) ? `${scope} GOROOT=${value} is set (it is goroot; go does not need it)` : `${scope} GOROOT=${value} is set: it breaks multi-version setups`);
  }
  const shadows = shadowingInstalls(w, goroot);
  if (shadows.length > 0) bites.push(`shadowing ${goroot}\\bin: ${shadows.map((i) => `${i.path} (${KIND_LABEL[i.source] ?? i.source})`).join(', ')}`);
  if (bites.length > 0) lines.push(t(bites.join('; ')));
  return lines;
}
