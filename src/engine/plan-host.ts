// Pure: facts + target + policy -> what the upgrade would do on one host. Used by `plan` and by `upgrade`
// (which re-plans each host from fresh facts right before touching it).

import { GofleetError } from '../errors.ts';
import type { HostFacts, InstallMethod, PrivilegeDecision } from '../platform/types.ts';
import { checkGorootSafety } from './check-goroot-safety.ts';
import { osSupports } from './os-support.ts';
import { planMsi } from './plan-msi.ts';

/** `msi`: the official Windows MSI installed into goroot (--method msi, plan-msi.ts) instead of `switch` */
export type PlanAction = 'adopt' | 'stage' | 'switch' | 'msi' | 'verify';

export interface HostPlan {
  from: string | null;
  to: string;
  actions: PlanAction[];
  /** why nothing will be done: a blocking problem, or null */
  skip: GofleetError | null;
  /** already at the target: nothing to do */
  unchanged: boolean;
  /** the archive must be pushed (not in the host's cache and not installed) */
  needsUpload: boolean;
  /** what the user should know about how the host is changed (--method msi: one Go per arch, how it rolls back) */
  notes: string[];
}

export interface PlanInput {
  facts: HostFacts;
  target: string;
  /** how the host's scripts run, as its dialect decided (PlatformDialect.privilege) */
  privilege: PrivilegeDecision;
  /** archive to stage, when known: its name and size (for the disk check) */
  archive?: { filename: string; size: number };
  host: string;
  /** --adopt-link: a goroot link to something that is not a toolchain may be replaced (its target is recorded) */
  adoptLink?: boolean;
  /** --method (default zip); with msi, `archive` is the .msi */
  method?: InstallMethod;
}

/** An extracted Go tree is about 3.5x its .tar.gz; keep a margin. */
const EXTRACT_FACTOR = 4;

export function planHost(input: PlanInput): HostPlan {
  const { facts, target, host } = input;
  const from = facts.managed.active ?? facts.goroot.version;
  const base = { from, to: target, actions: [] as PlanAction[], skip: null, unchanged: false, needsUpload: false, notes: [] as string[] };
  // first: a goroot at a system path is refused even when it looks like it is at the target
  const unsafe = checkGorootSafety({ facts, host, ...(input.adoptLink ? { adoptLink: true } : {}) });
  if (unsafe) return { ...base, skip: unsafe };
  // a POSIX host under --method msi is skipped even when at the target: the method cannot apply to it at all
  if (input.method === 'msi' && facts.os !== 'windows') return { ...base, skip: planMsi({ facts, from, host }).skip };
  if (facts.goroot.state === 'link' && facts.managed.active === target && facts.managed.unverified === target) {
    // switched by a run whose host script died before verifying: never "unchanged"; the script verifies it now
    // and rolls back to what it recorded on failure (a junction: the zip method's business, never the MSI's)
    if (input.method === 'msi') return { ...base, skip: planMsi({ facts, from, host }).skip };
    const skip = blocker(input);
    return skip ? { ...base, skip } : { ...base, actions: ['verify'] };
  }
  if (from === target && (facts.goroot.state === 'link' || facts.goroot.state === 'dir')) {
    // trust what the toolchain answers, not the name of the directory the link points at
    if (facts.goroot.goVersion === undefined || facts.goroot.goVersion === target) return { ...base, unchanged: true };
    const answer = facts.goroot.goVersion === null ? 'does not run' : `answers ${facts.goroot.goVersion}`;
    return {
      ...base,
      skip: new GofleetError('VERIFY_FAILED', `${host}: ${facts.goroot.path} is ${target} by name but its go ${answer}`, {
        host,
        hint: `Reinstall it: \`gofleet use\` another version, \`gofleet prune\` to remove ${target}, then upgrade again.`,
      }),
    };
  }
  const skip = blocker(input);
  if (skip) return { ...base, skip };
  const msi = input.method === 'msi' ? planMsi({ facts, from, host }) : null;
  if (msi?.skip) return { ...base, skip: msi.skip };
  // a version that failed verification is not reused: it is staged again from the archive (the MSI always is)
  const installed = msi === null && facts.managed.versions.includes(target) && !(facts.managed.failed ?? []).includes(target);
  const cached = input.archive ? facts.cachedArchives.includes(input.archive.filename) : false;
  const actions: PlanAction[] = msi ? [...msi.actions] : [];
  if (msi === null) {
    if (facts.goroot.state === 'dir') actions.push('adopt');
    if (!installed) actions.push('stage');
    actions.push('switch', 'verify');
  }
  const needsUpload = !installed && !cached;
  if (!installed && input.archive && facts.freeBytes !== null) {
    const need = input.archive.size * EXTRACT_FACTOR + (needsUpload ? input.archive.size : 0);
    if (facts.freeBytes < need) {
      return {
        ...base,
        skip: new GofleetError(
          'DISK_FULL',
          `${host}: ${mib(facts.freeBytes)} free under versions_dir, ${mib(need)} needed to stage ${input.archive.filename}`,
          { host },
        ),
      };
    }
  }
  return { ...base, actions, needsUpload, notes: msi?.notes ?? [] };
}

function blocker({ facts, privilege, host, target }: PlanInput): GofleetError | null {
  if (facts.goroot.state === 'other') {
    return new GofleetError('ADOPT_FAILED', `${host}: ${facts.goroot.path} is neither a directory nor a link; refusing to touch it`, { host });
  }
  const os = osSupports(facts, target);
  if (!os.ok) return new GofleetError('OS_TOO_OLD', `${host}: ${target} needs ${os.need} or later; the host runs ${os.have}`, { host });
  if (facts.lock && !facts.lock.stale) {
    return new GofleetError('HOST_LOCKED', `${host}: locked by run ${facts.lock.run} (pid ${facts.lock.pid}) since ${facts.lock.since}`, { host });
  }
  const p = privilege.problem;
  if (p) return new GofleetError(p.code, p.message, { host, ...(p.hint ? { hint: p.hint } : {}) });
  return null;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 1048576)} MiB`;
}
