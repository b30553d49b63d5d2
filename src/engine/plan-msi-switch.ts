// Pure: `use VERSION` and `rollback` on a host whose goroot is an MSI install (the facts say so: a directory at
// goroot with a Go MSI uninstall entry pointing at it, plan-msi.ts msiInstalledAt). Such a host is never switched
// with a junction (that would adopt the MSI's directory while its uninstall entry still points at goroot: a
// mixed host); the wanted version's MSI is reinstalled from the host's cache (<versions_dir>\.gofleet\cache) by
// the MSI script, which verifies it and, on failure, reinstalls the current version's MSI (rolls forward again).
// Decided here (no I/O), run by switch-host.ts:
// - not an MSI install at goroot (a junction, missing, a manual directory): `none`, the usual switch;
// - no target (rollback with no earlier switch recorded): NO_PREVIOUS_VERSION;
// - goroot already answers the target: `unchanged`;
// - the target's .msi not cached: MSI_NOT_CACHED (nothing is touched; a version side by side under versions_dir
//   does not count: a junction never goes over an MSI-owned goroot);
// - the current version's .msi not cached: MSI_NO_ROLLBACK (a failed verification could not bring it back).

import { GofleetError } from '../errors.ts';
import type { HostFacts } from '../platform/types.ts';
import { msiFileName, msiInstalledAt } from './plan-msi.ts';

export type MsiSwitch =
  | { kind: 'none' }
  | { kind: 'unchanged'; target: string }
  | { kind: 'refuse'; target: string | null; error: GofleetError }
  /** reinstall `msi` (the target's, from the host cache); `rollForward` is the current version's, kept for a failure */
  | { kind: 'msi'; target: string; msi: string; rollForward: string };

export function planMsiSwitch(input: { facts: HostFacts; version: string | null; host: string }): MsiSwitch {
  const { facts, host } = input;
  if (facts.os !== 'windows' || facts.goroot.state !== 'dir' || !msiInstalledAt(facts, facts.goroot.path)) return { kind: 'none' };
  const target = input.version ?? facts.managed.previous;
  const refuse = (error: GofleetError): MsiSwitch => ({ kind: 'refuse', target, error });
  if (!target) return refuse(new GofleetError('NO_PREVIOUS_VERSION', `${host}: no earlier switch is recorded`, { host }));
  const from = facts.goroot.version;
  if (from === target && (facts.goroot.goVersion === undefined || facts.goroot.goVersion === target)) return { kind: 'unchanged', target };
  const where = `the host's MSI cache (${facts.goroot.path} is an MSI install)`;
  const msi = msiFileName(target, facts.arch);
  if (!facts.cachedArchives.includes(msi)) {
    return refuse(new GofleetError('MSI_NOT_CACHED', `${host}: ${msi} is not in ${where}: cannot reinstall ${target}`, { host }));
  }
  const rollForward = from === null ? null : msiFileName(from, facts.arch);
  if (rollForward === null || !facts.cachedArchives.includes(rollForward)) {
    const what = rollForward ?? 'the MSI of the installed version (its VERSION is unreadable)';
    return refuse(
      new GofleetError('MSI_NO_ROLLBACK', `${host}: ${what} is not in ${where}: a failed switch to ${target} could not reinstall it`, { host }),
    );
  }
  return { kind: 'msi', target, msi, rollForward };
}
