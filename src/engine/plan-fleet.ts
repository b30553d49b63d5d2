// Pure: facts of every host + target -> the fleet plan that `plan` prints and `upgrade` follows.
// The hosts are grouped into the waves planWaves (waves.ts) computed; default: one wave.

import { GofleetError } from '../errors.ts';
import { describeBusy } from './drain-host.ts';
import type { HostFactsResult } from './facts-host.ts';
import type { InstallMethod } from '../platform/types.ts';
import type { HeldBack } from '../releases/min-age.ts';
import { planHost, type PlanAction } from './plan-host.ts';
import type { Distribution } from './context.ts';
import { decideDelivery, type Delivery } from './decide-delivery.ts';
import { windowsWarnings, winrmWarnings } from './windows-notes.ts';

export interface PlannedHost {
  name: string;
  from: string | null;
  to: string;
  actions: PlanAction[];
  skip: GofleetError | null;
  /** processes using the toolchain now (builds in flight): `upgrade` waits for them (a note, not a skip) */
  busy?: string;
  /** what will bite on a Windows host (windows-notes.ts): a stray GOROOT, a go that shadows goroot\bin, no elevation,
   *  a WinRM shell memory cap too small for the verification build */
  warnings?: string[];
  /** what the method means for this host (--method msi: one Go per arch, how it rolls back) */
  notes?: string[];
  /** how the archive would reach the host (decide-delivery.ts), and why when there is something to say */
  delivery?: Delivery;
  deliveryReason?: string;
}

export interface FleetPlan {
  target: string;
  /** --method; absent: zip */
  method?: InstallMethod;
  /** --distribution (plan always says; absent: not decided, as in older callers) */
  distribution?: Distribution;
  waves: { hosts: PlannedHost[] }[];
  /** --min-age: the release-age policy and the newer releases it held back (absent without --min-age) */
  age?: { minAge: string; heldBack: HeldBack[] };
}

/** `url`: where a host may pull the file from (null: push only) */
export type ArchiveLookup = (os: string, arch: string) => { filename: string; size: number; url?: string | null } | GofleetError;

/** `waves`: host names per wave, in rollout order (planWaves); hosts it does not name go in one last wave. */
export function planFleet(
  facts: HostFactsResult[],
  target: string,
  archiveFor: ArchiveLookup,
  waves?: readonly (readonly string[])[],
  options: { adoptLink?: boolean; method?: InstallMethod; age?: FleetPlan['age']; distribution?: Distribution } = {},
): FleetPlan {
  const method = options.method ?? 'zip';
  const hosts = facts.map((r): PlannedHost => {
    if (!r.facts || !r.privilege) {
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
      privilege: r.privilege,
      host: r.name,
      ...(options.adoptLink ? { adoptLink: true } : {}),
      ...(method === 'msi' ? { method } : {}),
      ...(archive instanceof GofleetError ? {} : { archive: { filename: archive.filename, size: archive.size } }),
    });
    const d = options.distribution && !p.skip && p.actions.length > 0
      ? decideDelivery({ distribution: options.distribution, stages: p.actions.includes('stage'), cached: !p.needsUpload, url: archive instanceof GofleetError ? null : archive.url, ...(r.reach ? { reach: r.reach } : {}) })
      : null;
    const delivery = d ? { delivery: d.delivery, ...(d.reason ? { deliveryReason: d.reason } : {}) } : {};
    const busy = r.facts.busy ?? [];
    const note = busy.length > 0 && !p.skip && p.actions.length > 0 ? { busy: `busy: ${describeBusy(busy)}` } : {};
    const warnings = [...(r.paths ? windowsWarnings(r.facts, r.paths.goroot, r.privilege.problem !== undefined) : []), ...winrmWarnings(r.limits)];
    return { name: r.name, from: p.from, to: target, actions: p.actions, skip: p.skip, notes: p.notes, ...delivery, ...note, ...(warnings.length > 0 ? { warnings } : {}) };
  });
  return { target, method, ...(options.distribution ? { distribution: options.distribution } : {}), waves: groupWaves(hosts, waves), ...(options.age ? { age: options.age } : {}) };
}

function groupWaves(hosts: PlannedHost[], waves: readonly (readonly string[])[] | undefined): { hosts: PlannedHost[] }[] {
  if (!waves) return [{ hosts }];
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const grouped = waves.map((names) => ({ hosts: names.flatMap((n) => byName.get(n) ?? []) })).filter((w) => w.hosts.length > 0);
  const named = new Set(waves.flat());
  const rest = hosts.filter((h) => !named.has(h.name));
  return rest.length > 0 ? [...grouped, { hosts: rest }] : grouped;
}

/** docs/design.md `plan --json` shape, plus `method` and, where there are some, a host's `notes`. */
export function planJson(plan: FleetPlan): unknown {
  return {
    target: plan.target,
    method: plan.method ?? 'zip',
    ...(plan.distribution ? { distribution: plan.distribution } : {}),
    // only under --min-age, so a plan without it keeps the DESIGN shape
    ...(plan.age ? { min_age: plan.age.minAge, held_back: plan.age.heldBack } : {}),
    waves: plan.waves.map((w) => ({
      hosts: w.hosts.map((h) => ({
        name: h.name,
        from: h.from,
        to: h.to,
        actions: h.actions,
        skip: h.skip ? { code: h.skip.code, message: h.skip.message } : null,
        // Windows hosts only, and only when there is something to say (windows-notes.ts)
        ...(h.warnings ? { warnings: h.warnings } : {}),
        // only when there is something to say (--method msi), so a zip plan keeps the DESIGN shape
        ...(h.notes?.length ? { notes: h.notes } : {}),
        // with --distribution known: push / pull / cached / none, and the reason for auto's choice
        ...(h.delivery ? { delivery: h.delivery, ...(h.deliveryReason ? { delivery_reason: h.deliveryReason } : {}) } : {}),
      })),
    })),
  };
}
