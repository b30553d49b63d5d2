// Pure: what `--method msi` would do on one host, from its facts (called by plan-host.ts once the checks every
// method shares have passed). The MSI method (platform/windows/ps-msi.ts) installs the official Go MSI into
// goroot: no junction, no side-by-side versions. What it means for a host, said in `plan`:
// - the MSI keeps one Go per architecture: installing it removes the installed Go MSI, older or newer;
// - a rollback reinstalls the previous version's MSI from the host's cache (<versions_dir>\.gofleet\cache),
//   moves a manual install back, or (goroot was missing) removes the new one.
// Refused (the host is skipped, nothing touched):
// - a POSIX host (MSI_NOT_APPLICABLE): the MSI is Windows only;
// - goroot is a junction (gofleet's side by side, MSI_NOT_APPLICABLE): switching a host from side by side to the
//   MSI is a person's decision (the script refuses it too);
// - goroot holds an MSI install whose .msi is not in the host's cache (MSI_NO_ROLLBACK): a failed verification
//   could not bring the old version back, and the new MSI would have removed it: never a host without a
//   working go. Putting that .msi in the cache (or --method zip) is the way out; the hint says so.

import { GofleetError } from '../errors.ts';
import type { HostFacts, HostOs, InstallMethod } from '../platform/types.ts';

export const MSI_ONE_PER_ARCH_NOTE = 'the MSI keeps one Go per architecture and removes the other version';

/** the MSI method's steps, as plan shows them (a subset of plan-host.ts PlanAction) */
export type MsiAction = 'adopt' | 'stage' | 'msi' | 'verify';

export interface MsiPlan {
  actions: MsiAction[];
  /** what the user should know before the MSI runs (plan prints them) */
  notes: string[];
  skip: GofleetError | null;
}

/**
 * Before any host is contacted: `--method msi` where every selected host is declared POSIX in the inventory
 * (`os: linux|darwin`) can only be a mistake: BAD_OPTION. A mixed selection, or hosts whose OS is known only
 * from their facts, go ahead: a POSIX host among them is skipped on its own (planMsi, MSI_NOT_APPLICABLE).
 */
export function checkMethodHosts(method: InstallMethod, hosts: readonly { name: string; os?: HostOs }[]): void {
  if (method !== 'msi' || hosts.length === 0) return;
  if (hosts.some((h) => h.os === undefined || h.os === 'windows')) return;
  const oses = [...new Set(hosts.map((h) => h.os))].join(', ');
  throw new GofleetError('BAD_OPTION', `--method msi installs the official Windows MSI, and every selected host is declared ${oses} in the inventory`, {
    hint: 'Leave --method out (zip, side by side, is the default and works on every OS), or select Windows hosts with --limit.',
  });
}

/** The official MSI's file name for a version and GOARCH (go-dist.md §2). */
export function msiFileName(version: string, arch: string): string {
  return `${version}.windows-${arch}.msi`;
}

export function planMsi(input: { facts: HostFacts; from: string | null; host: string }): MsiPlan {
  const { facts, from, host } = input;
  const refuse = (skip: GofleetError): MsiPlan => ({ actions: [], notes: [], skip });
  if (facts.os !== 'windows') {
    return refuse(new GofleetError('MSI_NOT_APPLICABLE', `${host}: --method msi installs the official Windows MSI; this host runs ${facts.os}`, { host }));
  }
  if (facts.goroot.state === 'link') {
    return refuse(
      new GofleetError(
        'MSI_NOT_APPLICABLE',
        `${host}: ${facts.goroot.path} is a junction (side by side, to ${facts.goroot.target ?? '?'}); the MSI installs only where goroot is missing or a directory`,
        { host },
      ),
    );
  }
  const notes = [MSI_ONE_PER_ARCH_NOTE];
  if (facts.goroot.state === 'missing') {
    notes.push('rollback: uninstalls the new MSI (there was no Go at goroot)');
    return { actions: ['stage', 'msi', 'verify'], notes, skip: null };
  }
  // a directory: installed by the Go MSI (its uninstall entry points at goroot), or by hand
  if (!msiInstalledAt(facts, facts.goroot.path)) {
    notes.push(`rollback: moves the manual install of ${from ?? 'an unknown version'} back to goroot (it is moved aside first)`);
    return { actions: ['adopt', 'stage', 'msi', 'verify'], notes, skip: null };
  }
  const previous = from === null ? null : msiFileName(from, facts.arch);
  if (previous === null || !facts.cachedArchives.includes(previous)) {
    const what = previous ?? 'the MSI of the installed version (its VERSION is unreadable)';
    return refuse(
      new GofleetError('MSI_NO_ROLLBACK', `${host}: ${facts.goroot.path} was installed by an MSI and ${what} is not in the host's MSI cache: a failed upgrade could not reinstall it`, {
        host,
      }),
    );
  }
  notes.push(`rollback: reinstalls ${previous} from the host's MSI cache`);
  return { actions: ['stage', 'msi', 'verify'], notes, skip: null };
}

/** An uninstall entry of the Go MSI whose install location is `goroot` (case and a trailing \ aside). */
export function msiInstalledAt(facts: HostFacts, goroot: string): boolean {
  const norm = (p: string): string => p.replace(/\\+$/, '').toLowerCase();
  return (facts.windows?.installs ?? []).some((i) => i.source === 'msi' && norm(i.path) === norm(goroot));
}
