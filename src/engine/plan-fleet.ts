// Pure: facts of every host + target -> the fleet plan that `plan` prints and `upgrade` follows.
// One wave for now; canary and waves are computed here too once the rollout policy lands.

import { GofleetError } from '../errors.ts';
import type { HostFactsResult } from './facts-host.ts';
import { planHost, type PlanAction } from './plan-host.ts';

export interface PlannedHost {
  name: string;
  from: string | null;
  to: string;
  actions: PlanAction[];
  skip: GofleetError | null;
}

export interface FleetPlan {
  target: string;
  waves: { hosts: PlannedHost[] }[];
}

export type ArchiveLookup = (os: string, arch: string) => { filename: string; size: number } | GofleetError;

export function planFleet(facts: HostFactsResult[], target: string, archiveFor: ArchiveLookup): FleetPlan {
  const hosts = facts.map((r): PlannedHost => {
    if (!r.facts) {
      const skip = new GofleetError(r.error?.code ?? 'HOST_UNREACHABLE', r.error?.message ?? `${r.name}: unreachable`);
      return { name: r.name, from: null, to: target, actions: [], skip };
    }
    const archive = archiveFor(r.facts.os, r.facts.arch);
    const from = r.facts.managed.active ?? r.facts.goroot.version;
    if (archive instanceof GofleetError && !r.facts.managed.versions.includes(target) && from !== target) {
      return { name: r.name, from, to: target, actions: [], skip: archive };
    }
    const p = planHost({
      facts: r.facts,
      target,
      become: r.become,
      host: r.name,
      ...(archive instanceof GofleetError ? {} : { archive }),
    });
    return { name: r.name, from: p.from, to: target, actions: p.actions, skip: p.skip };
  });
  return { target, waves: [{ hosts }] };
}

/** DESIGN.md `plan --json` shape. */
export function planJson(plan: FleetPlan): unknown {
  return {
    target: plan.target,
    waves: plan.waves.map((w) => ({
      hosts: w.hosts.map((h) => ({
        name: h.name,
        from: h.from,
        to: h.to,
        actions: h.actions,
        skip: h.skip ? { code: h.skip.code, message: h.skip.message } : null,
      })),
    })),
  };
}
