// Pure: is a host's operating system new enough for a Go release? The minimums are Go's own (release notes
// "Ports" sections, golang/wiki MinimumRequirements; see ../shared/reference/go-dist.md). A host below them
// would install a toolchain whose binaries refuse to start, so `plan` and `upgrade` skip it with OS_TOO_OLD.

import type { HostFacts } from '../platform/types.ts';
import { parseVersion } from '../releases/version.ts';

type Release = readonly [major: number, minor: number];

interface Minimum {
  /** the first Go release with this requirement */
  from: Release;
  /** the oldest OS version it supports, compared component by component */
  os: readonly number[];
  label: string;
}

/** Newest requirement first; the first whose `from` the target reaches applies. */
const MACOS: readonly Minimum[] = [
  { from: [1, 27], os: [13], label: 'macOS 13 Ventura' },
  { from: [1, 25], os: [12], label: 'macOS 12 Monterey' },
  { from: [1, 23], os: [11], label: 'macOS 11 Big Sur' },
  { from: [1, 21], os: [10, 15], label: 'macOS 10.15 Catalina' },
  { from: [1, 17], os: [10, 13], label: 'macOS 10.13' },
];

const LINUX_KERNEL: readonly Minimum[] = [
  { from: [1, 24], os: [3, 2], label: 'Linux kernel 3.2' },
  { from: [1, 0], os: [2, 6, 32], label: 'Linux kernel 2.6.32' },
];

/** Windows build numbers: 10240 is Windows 10 1507, the oldest Windows 10; Server 2016 is 14393. */
const WINDOWS_BUILD: readonly Minimum[] = [
  { from: [1, 21], os: [10240], label: 'Windows 10 or Windows Server 2016' },
  { from: [1, 11], os: [7601], label: 'Windows 7 or Windows Server 2008 R2' },
];

export interface OsSupport {
  ok: boolean;
  /** "macOS 12.7" — what the host runs, as compared */
  have?: string;
  /** "macOS 13 Ventura" — what the target needs */
  need?: string;
}

/** Unknown versions pass: a host we cannot read is not refused on a guess. */
export function osSupports(facts: Pick<HostFacts, 'os' | 'kernel' | 'osVersion'>, target: string): OsSupport {
  const v = parseVersion(target);
  if (!v) return { ok: true };
  const release: Release = [v.major, v.minor];
  if (facts.os === 'darwin') return check(MACOS, release, macosVersion(facts), (n) => `macOS ${n.join('.')}`);
  if (facts.os === 'linux') return check(LINUX_KERNEL, release, numbers(facts.kernel), (n) => `Linux kernel ${n.join('.')}`);
  if (facts.os === 'windows') return check(WINDOWS_BUILD, release, windowsBuild(facts.kernel), (n) => `Windows build ${n.join('.')}`);
  return { ok: true };
}

function check(table: readonly Minimum[], release: Release, have: number[] | null, describe: (n: number[]) => string): OsSupport {
  const min = table.find((m) => compare([...release], [...m.from]) >= 0);
  if (!min || !have) return { ok: true };
  return { ok: compare(have, [...min.os]) >= 0, have: describe(have), need: min.label };
}

/** "macOS 14.5" / "Mac OS X 10.15.7" from sw_vers; else from the Darwin kernel (Darwin 20 = macOS 11, ...). */
function macosVersion(facts: Pick<HostFacts, 'kernel' | 'osVersion'>): number[] | null {
  const m = /(?:mac\s*os(?:\s*x)?)\s+(\d+(?:\.\d+)*)/i.exec(facts.osVersion);
  if (m?.[1]) return numbers(m[1]);
  const darwin = numbers(facts.kernel);
  if (!darwin || darwin[0] === undefined) return null;
  const major = darwin[0];
  if (major >= 20) return [major - 9];
  if (major >= 4) return [10, major - 4];
  return null;
}

/** Windows facts carry the build number as the kernel ("10.0.17763" or "17763"). */
function windowsBuild(kernel: string): number[] | null {
  const n = numbers(kernel);
  if (!n) return null;
  const build = n.length >= 3 ? n[2] : n[0];
  return build === undefined ? null : [build];
}

/** The leading dotted numbers of a version string: "5.10.0-28-amd64" -> [5, 10, 0]. */
function numbers(text: string): number[] | null {
  const m = /^\s*(\d+(?:\.\d+)*)/.exec(text);
  return m?.[1] ? m[1].split('.').map(Number) : null;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
