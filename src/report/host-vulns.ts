// What `facts --vulndb` adds (issue 13): per host, the known vulnerabilities of its toolchain and the first version
// that fixes them all — a line for people, a `vulns` list in the JSON. A host whose go is missing or cannot be
// ordered says so: "unknown" is never shown as "no known vulnerabilities".

import type { HostFactsResult } from '../engine/facts-host.ts';
import type { VulnDb, VulnReport } from '../vulndb/index.ts';
import { safeText as t } from './safe-text.ts';

const IDS_SHOWN = 5;

/** The version matched for a host: what the go on its login PATH reports, else its managed active version. */
export function hostToolchainVersion(r: HostFactsResult): string | null {
  return r.facts?.go?.version ?? r.facts?.managed.active ?? null;
}

/** "go1.26.8: 3 known vulnerabilities, fixed in go1.26.9 (GO-...)" — for one report. */
export function vulnSummary(report: VulnReport): string {
  const n = report.vulns.length;
  if (n === 0) return `${report.version}: no known vulnerabilities`;
  const count = `${n} known vulnerabilit${n === 1 ? 'y' : 'ies'}`;
  const fix = report.fixedAll ? `fixed in ${report.fixedAll}` : 'no fixed version published for all of them';
  const ids = report.vulns.slice(0, IDS_SHOWN).map((v) => v.id).join(', ') + (n > IDS_SHOWN ? `, +${n - IDS_SHOWN} more` : '');
  return `${report.version}: ${count}, ${fix} (${ids})`;
}

/** The human lines: a heading naming the database, then one line per host. */
export function vulnLines(results: readonly HostFactsResult[], reports: ReadonlyMap<string, VulnReport | null>, db: VulnDb): string {
  const width = Math.max(...results.map((r) => t(r.name).length));
  const lines = results.map((r) => {
    const report = reports.get(r.name) ?? null;
    const what = report ? vulnSummary(report) : !r.facts ? 'not checked (no facts)' : 'not checked (no go toolchain gofleet can match)';
    return `  ${t(r.name).padEnd(width)}  ${t(what)}`;
  });
  return `Known vulnerabilities (${t(db.source)}${db.modified ? `, modified ${db.modified}` : ''}):\n${lines.join('\n')}\n`;
}

/** The `vulns` field of a host's JSON entry: null when its toolchain could not be matched. */
export function vulnsField(report: VulnReport | null | undefined): { vulns: unknown; vulns_fixed_in: string | null } {
  if (!report) return { vulns: null, vulns_fixed_in: null };
  return {
    vulns: report.vulns.map((v) => ({ id: v.id, aliases: v.aliases, summary: v.summary, fixed: v.fixed, packages: v.packages })),
    vulns_fixed_in: report.fixedAll,
  };
}
