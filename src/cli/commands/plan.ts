// gofleet plan -i INV --to SPEC [--limit PAT] [--canary N] [--waves LIST] [--json] — gathers facts, changes nothing.

import { gatherFacts } from '../../engine/gather-facts.ts';
import { planFleet, planJson, type FleetPlan } from '../../engine/plan-fleet.ts';
import { checkMethodHosts } from '../../engine/plan-msi.ts';
import type { HostSpec } from '../../inventory/types.ts';
import type { HostFacts } from '../../platform/types.ts';
import type { ArchiveLookup } from '../../engine/plan-fleet.ts';
import { sshConfigNoteLines, withSshConfigNotes } from '../../report/ssh-config-notes.ts';
import { planSummary } from '../../report/summary.ts';
import { EXIT } from '../exit-code.ts';
import { parseSha256Options } from '../sha256-option.ts';
import type { HostFactsResult } from '../../engine/facts-host.ts';
import { printJson, type CliIo } from '../io.ts';
import type { Runtime } from '../runtime.ts';
import { rolloutOf, waveNames } from './change.ts';

export async function planCommand(rt: Runtime, io: CliIo, spec: string): Promise<number> {
  const waves = waveNames(rt, rolloutOf(rt.raw));
  checkMethodHosts(rt.options.method, rt.hosts);
  const { version: target, heldBack } = await rt.resolveRelease(spec);
  const lookup = await rt.archiveLookup(target);
  const distribution = rt.options.distribution;
  // --distribution auto: each host that would need the archive probes the source URL (read-only, same connection)
  const reach = distribution === 'auto' ? { reachUrl: (f: HostFacts) => reachUrlFor(f, target, lookup) } : {};
  const facts = await gatherFacts(rt.hosts, rt.context('plan'), rt.options.parallel, reach);
  // the delivery column and JSON field only under pull / auto, so a default plan keeps the DESIGN shape
  const shown = distribution !== 'push' ? { distribution } : {};
  const age = rt.options.minAge !== undefined ? { age: { minAge: rt.options.minAge, heldBack } } : {};
  const plan = planFleet(facts, target, lookup, waves, { adoptLink: rt.options.adoptLink, method: rt.options.method, ...shown, ...age });
  // --sha256 against the files this plan needs, before the plan is shown: a bare HEX over two files is BAD_OPTION
  // (upgrade would fail the host needing the second), a FILE=HEX naming none of them is a warning (a typo?)
  if (rt.options.sha256?.length) {
    for (const w of parseSha256Options(rt.options.sha256).checkFiles(filesNeeded(plan, facts, lookup))) io.err(`warning: ${w}\n`);
  }
  if (rt.options.json) printJson(io, planDocument(plan, rt.hosts));
  else io.out(planText(plan, rt.hosts));
  const hosts = plan.waves.flatMap((w) => w.hosts);
  if (hosts.some((h) => h.skip && (h.skip.kind === 'unreachable' || h.skip.kind === 'auth' || h.skip.kind === 'hostkey'))) {
    return EXIT.unreachable;
  }
  return EXIT.ok;
}

/** The human output: the plan table, then a line for each host with ssh config notes. */
export function planText(plan: FleetPlan, hosts: readonly HostSpec[]): string {
  return planSummary(plan) + sshConfigNoteLines(hosts);
}

/** docs/design.md `plan --json`, each host entry with its ssh config notes (when it has any). */
export function planDocument(plan: FleetPlan, hosts: readonly HostSpec[]): unknown {
  const doc = planJson(plan) as { target: string; waves: { hosts: { name: string }[] }[] };
  return { ...doc, waves: doc.waves.map((w) => ({ ...w, hosts: withSshConfigNotes(w.hosts, hosts) })) };
}

/** The archive file names the plan's staging hosts need, in host order (a name once). */
export function filesNeeded(plan: FleetPlan, facts: readonly HostFactsResult[], lookup: ArchiveLookup): string[] {
  const byName = new Map(facts.map((r) => [r.name, r.facts]));
  const out = new Set<string>();
  for (const h of plan.waves.flatMap((w) => w.hosts)) {
    const f = byName.get(h.name);
    if (h.skip || !h.actions.includes('stage') || !f || f.os === 'unknown') continue;
    const file = lookup(f.os, f.arch);
    if (!(file instanceof Error)) out.add(file.filename);
  }
  return [...out];
}

/** The URL a host would pull from, when it lacks the target and its archive (else nothing to probe). */
function reachUrlFor(facts: HostFacts, target: string, lookup: ArchiveLookup): string | null {
  if (facts.os === 'unknown' || facts.managed.versions.includes(target)) return null;
  const file = lookup(facts.os, facts.arch);
  if (file instanceof Error || facts.cachedArchives.includes(file.filename)) return null;
  return file.url ?? null;
}
