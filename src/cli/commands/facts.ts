// gofleet facts -i INV [--limit PAT] [--json] [--vulndb DIR|URL]

import { gatherFacts } from '../../engine/gather-facts.ts';
import type { HostFactsResult } from '../../engine/facts-host.ts';
import type { HostSpec } from '../../inventory/types.ts';
import { sshConfigNoteLines, sshConfigNotesField } from '../../report/ssh-config-notes.ts';
import { factsSummary } from '../../report/summary.ts';
import { hostToolchainVersion, vulnLines, vulnsField } from '../../report/host-vulns.ts';
import { loadVulnDb, toolchainVulns, type VulnDb, type VulnReport } from '../../vulndb/index.ts';
import { windowsFactLines, windowsFactsField } from '../../report/windows-facts.ts';
import { winrmFactLines, winrmFactsField } from '../../report/winrm-facts.ts';
import { exitCodeForResults } from '../exit-code.ts';
import { printJson, type CliIo } from '../io.ts';
import type { Runtime } from '../runtime.ts';

/** With --vulndb, each host's toolchain matched against the database (loaded first: a bad one fails fast). */
export interface FactsVulns {
  db: VulnDb;
  reports: Map<string, VulnReport | null>;
}

/** The --vulndb database (facts, drift), loaded before any host is contacted so a bad one fails fast; null without. */
export async function vulnDbOption(rt: Runtime): Promise<VulnDb | null> {
  return typeof rt.raw.vulndb === 'string' ? loadVulnDb(rt.raw.vulndb) : null;
}

/** Each host's toolchain matched against `db`. */
export function matchVulns(results: readonly HostFactsResult[], db: VulnDb): FactsVulns {
  return { db, reports: new Map(results.map((r) => [r.name, toolchainVulns(hostToolchainVersion(r), db.records)])) };
}

/** `vulndb` of facts --json and drift --json. */
export function vulnDbJson(db: VulnDb): { source: string; modified: string | null; records: number } {
  return { source: db.source, modified: db.modified, records: db.records.length };
}

export async function factsCommand(rt: Runtime, io: CliIo): Promise<number> {
  const db = await vulnDbOption(rt);
  const results = await gatherFacts(rt.hosts, rt.context('facts'), rt.options.parallel);
  const vulns = db && matchVulns(results, db);
  if (rt.options.json) printJson(io, factsJson(results, rt.hosts, vulns));
  else io.out(factsText(results, rt.hosts) + (vulns ? vulnLines(results, vulns.reports, vulns.db) : ''));
  return exitCodeForResults(results.map((r) => ({ status: r.facts ? 'unchanged' : r.reachable ? 'failed' : 'unreachable', error: r.error })));
}

/** The human output: the facts table, a line or two for each Windows host, one for each WinRM host's quotas, then a
 *  line for each host with ssh config notes. */
export function factsText(results: HostFactsResult[], hosts: readonly HostSpec[]): string {
  return factsSummary(results) + windowsFactLines(results) + winrmFactLines(results) + sshConfigNoteLines(hosts);
}

/** docs/design.md `facts --json` shape, plus extra fields; `hosts` gives each entry its ssh config notes. */
export function factsJson(results: HostFactsResult[], hosts: readonly HostSpec[] = [], vulns: FactsVulns | null = null): unknown {
  const specs = new Map(hosts.map((h) => [h.name, h]));
  return {
    ...(vulns ? { vulndb: vulnDbJson(vulns.db) } : {}),
    hosts: results.map((r) => {
      const f = r.facts;
      return {
        name: r.name,
        reachable: r.reachable,
        os: f?.os ?? null,
        arch: f?.arch ?? null,
        go: f?.go?.version
          ? { version: f.go.version, goroot: f.go.goroot, path: f.go.path, gopath: f.go.gopath, ...(f.go.gotoolchain !== undefined && { gotoolchain: f.go.gotoolchain }) }
          : null,
        managed: {
          active: f?.managed.active ?? null,
          versions: f?.managed.versions ?? [],
          previous: f?.managed.previous ?? null,
          // only when the host has one to report (a switch never verified, versions that failed verification)
          ...(f?.managed.unverified ? { unverified: f.managed.unverified } : {}),
          ...(f?.managed.failed?.length ? { failed: f.managed.failed } : {}),
        },
        error: r.error ? { code: r.error.code, message: r.error.message, hint: r.error.hint } : null,
        kernel: f?.kernel ?? null,
        os_version: f?.osVersion ?? null,
        user: f?.user ?? null,
        privileges: f ? { root: f.isRoot, sudo: f.sudo, become: r.become, writable: f.writable } : null,
        goroot: f ? { ...f.goroot } : null,
        paths: r.paths ? { goroot: r.paths.goroot, versions_dir: r.paths.versionsDir } : null,
        free_bytes: f?.freeBytes ?? null,
        lock: f?.lock ?? null,
        warnings: r.warnings,
        ...windowsFactsField(r),
        ...winrmFactsField(r),
        ...sshConfigNotesField(specs.get(r.name)),
        ...(vulns ? vulnsField(vulns.reports.get(r.name)) : {}),
      };
    }),
  };
}
