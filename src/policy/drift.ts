// Drift: one host's facts against its channel's resolved version (docs/design.md "Policy"). Pure.
// status: compliant | behind | ahead | off_pin (a pinned host on another version) | misconfigured (the
// version is right, but GOTOOLCHAIN, another go on the login PATH or a stale machine GOROOT is not) |
// unknown (unreachable, facts unreadable, or the channel could not be resolved) | unassigned (no
// assignment matches: outside the policy, not drift). `reasons` says why for every status but compliant.

import type { HostFactsResult } from '../engine/facts-host.ts';
import { shadowingInstalls, windowsPathKey } from '../engine/windows-notes.ts';
import type { HostFacts } from '../platform/types.ts';
import { compareVersions } from '../version/go-version.ts';
import type { Assignment, Channel, GoToolchainMode } from './types.ts';

export type DriftStatus = 'compliant' | 'behind' | 'ahead' | 'off_pin' | 'misconfigured' | 'unknown' | 'unassigned';

export interface DriftInput {
  host: Pick<HostFactsResult, 'name' | 'reachable' | 'facts' | 'paths' | 'error'>;
  assignment?: Assignment;
  channel?: Channel;
  /** the channel's version now (go1.27.3), or null when it could not be resolved (see wantedError) */
  wanted: string | null;
  wantedError?: string;
}

export interface DriftResult {
  name: string;
  status: DriftStatus;
  /** the version goroot runs (else the login PATH's go), null when none or unknown */
  active: string | null;
  wanted: string | null;
  channel: string | null;
  /** 0-based index of the matching assignment in `assign` */
  assignment: number | null;
  reasons: string[];
  /** what could not be checked on this host (not drift) */
  notes: string[];
}

/** Statuses that mean "the host is off policy" (exit 2). */
export const DRIFTED: ReadonlySet<DriftStatus> = new Set(['behind', 'ahead', 'off_pin', 'misconfigured']);

/** The version a host runs: what goroot's go answers, its VERSION file, then the go on the login PATH. */
export function activeVersion(f: HostFacts): string | null {
  return f.goroot.goVersion || f.goroot.version || f.go?.version || null;
}

export function classifyDrift(input: DriftInput): DriftResult {
  const { host, assignment, channel, wanted } = input;
  const base = { name: host.name, wanted, channel: channel?.name ?? null, assignment: assignment?.index ?? null, notes: [] as string[] };
  if (!assignment || !channel) return { ...base, status: 'unassigned', active: null, reasons: ['no assignment of the policy matches this host'] };
  const f = host.facts;
  if (!f) {
    const why = host.error ? `${host.error.code}: ${host.error.message}` : 'no facts';
    return { ...base, status: 'unknown', active: null, reasons: [host.reachable ? `facts could not be read (${why})` : `unreachable (${why})`] };
  }
  const active = activeVersion(f);
  if (wanted === null) return { ...base, status: 'unknown', active, reasons: [`channel ${channel.name} could not be resolved: ${input.wantedError ?? 'unknown error'}`] };
  const reasons: string[] = [];
  let status: DriftStatus = 'compliant';
  if (active === null) {
    status = channel.target.kind === 'pin' ? 'off_pin' : 'behind';
    reasons.push(`no Go toolchain found (goroot ${f.goroot.path} is ${f.goroot.state}, none on the login PATH); channel ${channel.name} wants ${wanted}`);
  } else if (channel.target.kind === 'pin') {
    if (compareVersions(active, wanted) !== 0) {
      status = 'off_pin';
      reasons.push(`runs ${active}; channel ${channel.name} pins ${wanted}`);
    }
  } else {
    const cmp = compareVersions(active, wanted);
    const what = `channel ${channel.name} (track ${channel.target.spec}${channel.minAge ? `, min_age ${channel.minAge}` : ''}) is at ${wanted}`;
    if (cmp < 0) {
      status = 'behind';
      reasons.push(`runs ${active}; ${what}`);
    } else if (cmp > 0) {
      status = 'ahead';
      reasons.push(`runs ${active}, newer than ${what}${channel.allowDowngrade ? '; allow_downgrade: a reconcile moves it down' : '; without allow_downgrade a reconcile leaves it'}`);
    }
  }
  const extra = configDrift(f, host.paths?.goroot ?? f.goroot.path, assignment.gotoolchain ?? channel.gotoolchain, base.notes);
  if (extra.length > 0 && status === 'compliant') status = 'misconfigured';
  return { ...base, status, active, reasons: [...reasons, ...extra] };
}

/** GOTOOLCHAIN as the policy sees it: local, auto (also unset: the official go.env says auto, and name+auto, path), or a forced toolchain. */
function toolchainMode(value: string | null): GoToolchainMode | 'forced' {
  if (value === 'local') return 'local';
  if (value === null || value === '' || value === 'auto' || value === 'path' || /\+(auto|path)$/.test(value)) return 'auto';
  return 'forced';
}

/** Drift beyond the version: GOTOOLCHAIN, another go on the login PATH, a stale machine GOROOT. */
function configDrift(f: HostFacts, goroot: string, expect: GoToolchainMode | undefined, notes: string[]): string[] {
  const out: string[] = [];
  const toolchain = f.windows ? f.windows.goToolchain : f.go?.gotoolchain;
  if (expect !== undefined) {
    if (toolchain === undefined) notes.push('GOTOOLCHAIN not checked: these facts do not report it');
    else if (toolchainMode(toolchain) !== expect) {
      const shown = toolchain === null ? 'GOTOOLCHAIN unset (go.env makes it auto)' : `GOTOOLCHAIN=${toolchain}`;
      out.push(`${shown} where the policy says ${expect}${expect === 'local' ? ': a go.mod can make go run another toolchain than the installed one' : ''}`);
    }
  }
  const login = f.go;
  const goVersionAtRoot = f.goroot.goVersion || f.goroot.version;
  if (login && goVersionAtRoot && f.goroot.hasGo !== false && !samePath(login.goroot, f.goroot.physical ?? goroot, goroot, Boolean(f.windows))) {
    out.push(`the login PATH finds ${login.path} (${login.version}, GOROOT ${login.goroot}), not the go in ${goroot}`);
  }
  if (f.windows) {
    const w = f.windows;
    if (w.machineGoroot && windowsPathKey(w.machineGoroot) !== windowsPathKey(goroot)) out.push(`stale machine GOROOT=${w.machineGoroot} (goroot is ${goroot})`);
    for (const i of shadowingInstalls(w, goroot)) out.push(`another go (${i.source}) at ${i.path}${i.version ? ` (${i.version})` : ''} besides ${goroot}\\bin`);
  }
  return out;
}

function samePath(a: string, physical: string, goroot: string, windows: boolean): boolean {
  const key = (p: string) => (windows ? windowsPathKey(p) : p.replace(/\/+$/, ''));
  return key(a) === key(physical) || key(a) === key(goroot);
}
