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

/** The URL a host would pull from, when it lacks the target and its archive (else nothing to probe). */
function reachUrlFor(facts: HostFacts, target: string, lookup: ArchiveLookup): string | null {
  if (facts.os === 'unknown' || facts.managed.versions.includes(target)) return null;
  const file = lookup(facts.os, facts.arch);
  if (file instanceof Error || facts.cachedArchives.includes(file.filename)) return null;
  return file.url ?? null;
}
