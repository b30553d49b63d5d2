// Pure: what in a Windows host's facts will bite a gofleet-managed goroot, for `plan` (warnings) and `facts`
// (the shadowing entries, the other installs). Nothing here reads a host; paths are compared as Windows does
// (case-insensitive, quotes and trailing backslashes ignored), with %ProgramFiles% and %SystemDrive% read as their
// defaults (C:\Program Files, C:) — any other %VAR% makes an entry compare unequal, which only costs a warning.
// Machine PATH order is not warned about: every upgrade and switch puts goroot\bin before any other Go entry.

import type { HostFacts, WindowsGoInstall, WindowsHostFacts } from '../platform/types.ts';
import type { HostLimits } from '../transport/types.ts';
import { MIN_SHELL_MEMORY_MB } from './probe-host.ts';

/** The comparison key of a Windows path or PATH entry. */
export function windowsPathKey(path: string): string {
  return path
    .replace(/"/g, '')
    .trim()
    .replace(/%programfiles%/gi, 'C:\\Program Files')
    .replace(/%systemdrive%/gi, 'C:')
    .replace(/[\\/]+$/, '')
    .toLowerCase();
}

/**
 * Installs that run another go instead of goroot\bin's: a user PATH entry holding a go command (a new logon puts
 * the user PATH after the machine PATH, but many shells and tools put it first), and chocolatey / scoop shims
 * (they outlive an uninstall, and win wherever their directory comes first).
 */
export function shadowingInstalls(w: WindowsHostFacts, goroot: string): WindowsGoInstall[] {
  const mine = windowsPathKey(`${goroot}\\bin`);
  return w.installs.filter(
    (i) => (i.source === 'user_path' && i.detail !== null && windowsPathKey(i.path) !== mine) || i.source === 'choco' || i.source === 'scoop',
  );
}

export interface OtherInstall {
  /** the Go root (a PATH entry without its \bin), or the shim */
  where: string;
  version: string | null;
  /** where it was found: dir, msi, machine_path, user_path, choco, scoop (in the order first seen) */
  kinds: string[];
}

/** Go installs other than goroot (and goroot\bin in a PATH), one per location, each with every way it was found. */
export function otherInstalls(w: WindowsHostFacts, goroot: string): OtherInstall[] {
  const root = windowsPathKey(goroot);
  const byKey = new Map<string, OtherInstall>();
  for (const i of w.installs) {
    const where = i.source.endsWith('_path') ? i.path.replace(/[\\/]+$/, '').replace(/\\bin$/i, '') : i.path.replace(/[\\/]+$/, '');
    const key = windowsPathKey(where);
    if (key === root || key === '') continue;
    const seen = byKey.get(key) ?? { where, version: null, kinds: [] };
    // a tree's VERSION (go1.19.8) over the MSI's DisplayVersion (1.19.8)
    if (i.version && (seen.version === null || (!seen.version.startsWith('go') && i.version.startsWith('go')))) seen.version = i.version;
    if (!seen.kinds.includes(i.source)) seen.kinds.push(i.source);
    byKey.set(key, seen);
  }
  return [...byKey.values()];
}

const withVersion = (i: { version: string | null }): string => (i.version ? ` (${i.version})` : '');

/**
 * The warnings `plan` shows for a Windows host: a machine or user GOROOT pointing away from goroot, an entry that
 * shadows goroot\bin, an account that is not elevated. `privilegeProblem`: the plan already skips the host for its
 * privileges (the skip says it; no warning repeats it). Empty for POSIX hosts.
 */
export function windowsWarnings(facts: HostFacts, goroot: string, privilegeProblem = false): string[] {
  const w = facts.windows;
  if (!w) return [];
  const out: string[] = [];
  const root = windowsPathKey(goroot);
  for (const [scope, value] of [['machine', w.machineGoroot], ['user', w.userGoroot]] as const) {
    if (value && windowsPathKey(value) !== root) {
      out.push(`${scope} GOROOT=${value} points away from ${goroot}: every go started from a new logon uses that tree's tools whatever gofleet switches, and it breaks multi-version setups; remove the ${scope} GOROOT variable (go finds its root by itself)`);
    }
  }
  for (const i of shadowingInstalls(w, goroot)) {
    if (i.source === 'user_path') {
      out.push(`the user PATH of ${facts.user} holds another go in ${i.path}${withVersion(i)}: a shell or tool that puts the user PATH first runs it instead of ${goroot}\\bin`);
    } else {
      const remove = i.source === 'choco' ? 'choco uninstall golang' : 'scoop uninstall go';
      out.push(`a ${i.source} shim ${i.path}${withVersion(i)} runs another go wherever its directory comes before ${goroot}\\bin in PATH (${remove} removes it)`);
    }
  }
  if (!w.elevated && !privilegeProblem) {
    const who = w.adminMember ? `${facts.user} is an administrator whose token is not elevated (UAC-filtered)` : `${facts.user} is not an administrator`;
    out.push(`${who}: the machine PATH cannot be updated from this account (the upgrade warns and leaves it; ${goroot}\\bin must already be on it), and only paths it can write can be changed`);
  }
  return out;
}

// MIN_SHELL_MEMORY_MB (probe-host.ts, whose facts warning uses it too): 1024 MB, Microsoft's default since WinRM 3.0
// (below it "the behavior is unsupported"). The cap counts the shell's whole job object: the PowerShell host that
// runs gofleet's script (~100-200 MB), plus, in the verification build, the go command and the compiler and linker it
// starts, which with a cold build cache (the verify build uses a fresh one) compile the runtime and link it. Hosts at
// 150 MB (WinRM 2.0) or 300 MB (the PowerShell 3 plugin bug) are known to fail builds; 1024 MB leaves the linker room.
// Not measured on Windows here: a reasoned floor.
export { MIN_SHELL_MEMORY_MB };

/**
 * `plan`'s warning for a WinRM host whose shell memory cap is below MIN_SHELL_MEMORY_MB. Nothing when the cap is
 * unknown (the account may not read winrm/config: nothing to warn about, facts say so) or 0 (no cap).
 */
export function winrmWarnings(limits: HostLimits | undefined): string[] {
  const cap = limits?.maxMemoryPerShellMB;
  if (!limits?.configRead || cap === undefined || cap === 0 || cap >= MIN_SHELL_MEMORY_MB) return [];
  return [`the WinRM shell memory cap MaxMemoryPerShellMB=${cap} is below ${MIN_SHELL_MEMORY_MB} MB: the verification build (go build of a hello-world with a cold cache, in the same shell) may be stopped by it (WINRM_SHELL_MEMORY, rolled back); raise it: Set-Item WSMan:\\localhost\\Shell\\MaxMemoryPerShellMB 2048 (and WSMan:\\localhost\\Plugin\\Microsoft.PowerShell\\Quotas\\MaxMemoryPerShellMB)`];
}
