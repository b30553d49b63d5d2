// Pure: may gofleet touch this host's goroot and versions_dir, as the host's facts show them? Run before any
// change (plan, upgrade, use, rollback, prune). The inventory check (inventory/check-host-path.ts) saw only the
// paths as written; here the physical ones count: /usr/local/go -> /lib64 is /usr/lib64, and /usr/local/gofleet
// may be a tmpfs. A goroot link to something that is not a Go toolchain (nor a managed version) is refused
// unless the user passed --adopt-link, which makes the host record the old target for `rollback`.

import { GofleetError } from '../errors.ts';
import type { HostFacts } from '../platform/types.ts';
import { systemPathOf, volatilePathOf, VOLATILE_FS_TYPES } from '../platform/system-paths.ts';

export interface SafetyInput {
  facts: HostFacts;
  host: string;
  /** --adopt-link: replace a goroot link that points at something else than a toolchain, recording it */
  adoptLink?: boolean;
  /** only the versions_dir checks (prune never touches goroot) */
  versionsDirOnly?: boolean;
}

interface Place {
  label: string;
  path: string;
  physical: string | null | undefined;
  fsType: string | null | undefined;
}

function describe(p: Place, physical: string): string {
  return physical === p.path ? `${p.label} ${p.path}` : `${p.label} ${p.path} (physically ${physical})`;
}

function placeError(p: Place, host: string): GofleetError | null {
  for (const path of [p.path, p.physical ?? p.path]) {
    const system = systemPathOf(path);
    if (system !== null) {
      return new GofleetError('SYSTEM_PATH', `${host}: ${describe(p, path)} is a system path (${system}); refusing to touch it`, { host });
    }
  }
  for (const path of [p.path, p.physical ?? p.path]) {
    const volatile = volatilePathOf(path);
    if (volatile !== null) {
      return new GofleetError('VOLATILE_PATH', `${host}: ${describe(p, path)} is under ${volatile}, which does not survive a reboot`, { host });
    }
  }
  if (p.fsType && VOLATILE_FS_TYPES.includes(p.fsType)) {
    return new GofleetError('VOLATILE_PATH', `${host}: ${describe(p, p.physical ?? p.path)} is on a ${p.fsType} mount, which does not survive a reboot`, { host });
  }
  return null;
}

/** Is goroot a link gofleet may replace: to a managed version, or to a Go toolchain (VERSION and bin/go)? */
function linkIsOurs(facts: HostFacts): boolean {
  if (facts.managed.active !== null) return true;
  const phys = facts.goroot.physical;
  const vdir = facts.managed.dirPhysical;
  // a dangling link into versions_dir (a version removed by hand) is still a managed link
  if (phys && vdir && phys.startsWith(`${vdir}/`)) return true;
  return facts.goroot.version !== null && facts.goroot.hasGo !== false;
}

export function checkGorootSafety(input: SafetyInput): GofleetError | null {
  const { facts, host } = input;
  const versionsDir: Place = {
    label: 'versions_dir',
    path: facts.managed.dirPhysical ?? '',
    physical: facts.managed.dirPhysical,
    fsType: facts.managed.dirFsType,
  };
  const goroot: Place = { label: 'goroot', path: facts.goroot.path, physical: facts.goroot.physical, fsType: facts.goroot.fsType };
  const places = input.versionsDirOnly ? [versionsDir] : [goroot, versionsDir];
  for (const p of places) {
    if (!p.path) continue;
    const err = placeError(p, host);
    if (err) return err;
  }
  if (input.versionsDirOnly || facts.goroot.state !== 'link' || linkIsOurs(facts) || input.adoptLink) return null;
  const target = facts.goroot.target ?? '?';
  return new GofleetError(
    'GOROOT_NOT_TOOLCHAIN',
    `${host}: goroot ${facts.goroot.path} is a link to ${target}, which is not a Go toolchain (no VERSION and bin/go) nor a managed version; refusing to repoint it`,
    { host },
  );
}
