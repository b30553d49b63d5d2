// Which known vulnerabilities a Go toolchain version has, from a database's stdlib/toolchain records, and the first
// version that fixes them all. Pure: the one function the facts command and drift (branch policy) call.

import { compareVersions, parseVersion, type GoVersion } from '../version/go-version.ts';
import { semverToGo } from './go-semver.ts';
import type { AffectedEntry, VulnMatch, VulnRecord } from './types.ts';

export interface VulnReport {
  /** the host's version as matched (go1.26.8) */
  version: string;
  /** known vulnerabilities, in the database's id order */
  vulns: VulnMatch[];
  /** the lowest version at or above the host's that has none of them; null when none is published (or no vulns) */
  fixedAll: string | null;
}

/** The report for one host's toolchain; null when the host has no go or reports a version gofleet cannot order
 *  (a devel build): such a toolchain cannot be matched, which is not the same as having no known vulnerability. */
export function toolchainVulns(hostVersion: string | null | undefined, records: readonly VulnRecord[]): VulnReport | null {
  const host = hostVersion ? parseVersion(hostVersion.trim().split(/\s+/)[0] ?? '') : null;
  if (!host) return null;
  const vulns = matchVulns(host, records);
  return { version: host.name, vulns, fixedAll: fixedAll(vulns, records) };
}

/** The records that affect `host`, each with its first fix at or above the host's version. */
export function matchVulns(host: GoVersion, records: readonly VulnRecord[]): VulnMatch[] {
  const out: VulnMatch[] = [];
  for (const r of [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const hits = r.affected.map((a) => ({ a, state: entryState(host, a) })).filter((h) => h.state.affected);
    if (hits.length === 0) continue;
    const fixes = hits.map((h) => h.state.fixed);
    // every affected entry must be fixed; the record is fixed by the highest of their fixes
    const fixed = fixes.includes(null) ? null : (fixes as GoVersion[]).reduce((x, y) => (compareVersions(x, y) >= 0 ? x : y));
    out.push({ id: r.id, aliases: r.aliases, summary: r.summary, packages: hits.flatMap((h) => h.a.imports), fixed: fixed?.name ?? null });
  }
  return out;
}

interface EntryState {
  affected: boolean;
  /** the first fixed event above the host's version while affected */
  fixed: GoVersion | null;
}

/** OSV SEMVER evaluation: walk the events in version order; introduced opens, fixed closes. */
export function entryState(host: GoVersion, entry: AffectedEntry): EntryState {
  const events = entry.events
    .map((e) => ({ fixed: 'fixed' in e, at: eventVersion('fixed' in e ? e.fixed : e.introduced) }))
    .sort((x, y) => (x.at === null ? -1 : y.at === null ? 1 : compareVersions(x.at, y.at)));
  let affected = false;
  for (const e of events) {
    if (e.at === null || compareVersions(e.at, host) <= 0) affected = !e.fixed;
    else if (affected && e.fixed) return { affected, fixed: e.at };
  }
  return { affected, fixed: null };
}

/** null stands for "0" (the beginning); the parser has checked every other version. */
function eventVersion(text: string): GoVersion | null {
  return text === '0' ? null : semverToGo(text);
}

function fixedAll(vulns: readonly VulnMatch[], records: readonly VulnRecord[]): string | null {
  if (vulns.length === 0 || vulns.some((v) => v.fixed === null)) return null;
  const ids = new Set(vulns.map((v) => v.id));
  const relevant = records.filter((r) => ids.has(r.id));
  // every fixed event of those records above the host is a candidate (the fix of one may bring back another)
  const fixes = relevant.flatMap((r) => r.affected.flatMap((a) => a.events.flatMap((e) => ('fixed' in e ? [semverToGo(e.fixed)?.name ?? ''] : []))));
  const lowest = vulns.map((v) => v.fixed as string).sort(compareVersions)[0] as string;
  const candidates = [...new Set(fixes)].filter((c) => c && compareVersions(c, lowest) >= 0).sort(compareVersions);
  for (const c of candidates) {
    if (matchVulns(parseVersion(c) as GoVersion, relevant).length === 0) return c;
  }
  return null;
}
