// `resume RUN` keeps the interrupted run's rollout (issue 14): the hosts still to do go in the waves the run
// planned for them, numbered as then, and the failure budget counts the failures the run already had. A host's wave
// is the one its wave-start journaled; a host of a wave that never started gets the wave planWaves gives it over the
// run's hosts in the run's order (the order run-start journaled, canary-tagged hosts already first: planned again
// without tags it splits the same way).

import type { HostSpec } from '../inventory/types.ts';
import type { PriorPlan } from './resume-host.ts';
import { planWaves, type WavePolicy } from './waves.ts';

/** One wave of the rollout as the loop goes through it. */
export interface PlannedWave {
  /** 1-based, the original run's number */
  wave: number;
  /** the hosts still to do, in the run's order (none: the wave is final already, only its failures count) */
  hosts: HostSpec[];
  /** the wave's size in the original plan (a percentage --max-fail is of it) */
  size: number;
  /** failures the wave already had */
  failed: number;
}

export interface RolloutPlan {
  waves: PlannedWave[];
  /** the hosts of the run (the budget's fleet) */
  fleetSize: number;
}

/** A fresh plan over `hosts`. */
export function freshPlan(hosts: readonly HostSpec[], policy: WavePolicy | undefined): RolloutPlan {
  const waves = planWaves(hosts, policy).map((w, i) => ({ wave: i + 1, hosts: w, size: w.length, failed: 0 }));
  return { waves, fleetSize: hosts.length };
}

/** The interrupted run's plan, with `hosts` (the ones still to do) in their waves; every wave of the run is listed. */
export function resumedPlan(hosts: readonly HostSpec[], prior: PriorPlan, policy: WavePolicy | undefined): RolloutPlan {
  if (prior.hosts.length === 0) return freshPlan(hosts, policy);
  const waveOf = new Map<string, number>();
  for (const [i, wave] of planWaves(prior.hosts.map((name) => ({ name, tags: [] as string[] })), policy).entries()) {
    for (const h of wave) waveOf.set(h.name, prior.waves.get(h.name) ?? i + 1);
  }
  const last = Math.max(...waveOf.values());
  const order = new Map(prior.hosts.map((name, i) => [name, i]));
  const byWave = new Map<number, PlannedWave>();
  const at = (n: number): PlannedWave => {
    let w = byWave.get(n);
    if (!w) byWave.set(n, (w = { wave: n, hosts: [], size: 0, failed: 0 }));
    return w;
  };
  for (const n of waveOf.values()) at(n).size++;
  for (const name of prior.failed) at(waveOf.get(name) ?? last).failed++;
  // a host the run did not list (none should be) goes with the last wave
  const todo = [...hosts].sort((a, b) => (order.get(a.name) ?? order.size) - (order.get(b.name) ?? order.size));
  for (const spec of todo) at(waveOf.get(spec.name) ?? last).hosts.push(spec);
  return { waves: [...byWave.values()].sort((a, b) => a.wave - b.wave), fleetSize: prior.hosts.length };
}
