// What `facts` shows of a WinRM host's session limits (issue 11), read from winrm/config at connect: its `winrm`
// JSON object and one line for people. The shell memory cap matters most: it counts the shell and everything it
// starts, so a verification build can be stopped by it (below MIN_SHELL_MEMORY_MB the host's facts notes warn, and
// plan does). An account that may not read winrm/config (not an administrator) gets nulls and a plain "not
// readable": nothing is wrong then. Hosts over ssh or local get neither.

import type { HostFactsResult } from '../engine/facts-host.ts';
import { MIN_SHELL_MEMORY_MB } from '../engine/windows-notes.ts';
import { safeText as t } from './safe-text.ts';

/** The `winrm` field of a host's `facts --json` entry: present only for a host reached over WinRM. */
export function winrmFactsField(r: HostFactsResult): { winrm?: unknown } {
  const l = r.limits;
  if (!l) return {};
  return {
    winrm: {
      config_read: l.configRead,
      max_memory_per_shell_mb: l.maxMemoryPerShellMB ?? null,
      max_shells_per_user: l.maxShellsPerUser ?? null,
      max_processes_per_shell: l.maxProcessesPerShell ?? null,
      // what Send chunks were sized from (the default, 150, when the config could not be read)
      max_envelope_size_kb: l.maxEnvelopeSizeKb,
    },
  };
}

/** `winrm: HOST: ...` lines (one a WinRM host), after the facts table. */
export function winrmFactLines(results: readonly HostFactsResult[]): string {
  return results.flatMap((r) => {
    const l = r.limits;
    if (!l) return [];
    if (!l.configRead) return [`winrm: ${t(r.name)}: winrm/config not readable by this account (not an administrator): shell quotas unknown\n`];
    const cap = l.maxMemoryPerShellMB;
    const parts = [
      // below MIN_SHELL_MEMORY_MB the host's notes already carry the warning (probe-host.ts shellMemoryWarning)
      cap === undefined ? 'MaxMemoryPerShellMB unknown' : cap === 0 ? 'MaxMemoryPerShellMB=0 (no cap)'
        : `MaxMemoryPerShellMB=${cap}${cap < MIN_SHELL_MEMORY_MB ? ' (low)' : ''}`,
      ...(l.maxShellsPerUser !== undefined ? [`MaxShellsPerUser=${l.maxShellsPerUser}`] : []),
      ...(l.maxProcessesPerShell !== undefined ? [`MaxProcessesPerShell=${l.maxProcessesPerShell}`] : []),
      `MaxEnvelopeSizekb=${l.maxEnvelopeSizeKb}`,
    ];
    return [`winrm: ${t(r.name)}: ${parts.join(', ')}\n`];
  }).join('');
}
