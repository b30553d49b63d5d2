// Waves in the HTML report: hosts grouped by the wave they went out in (when there was more than one). The wave comes from the host itself
// (`wave` in the show document) or, for journals that do not carry it there, from the run's wave-start events.

import type { JournalEvent } from '../store/index.ts';
import type { HtmlHost, HtmlRun } from './html-input.ts';

export interface WaveGroup {
  /** null: the hosts of a run without waves (or hosts no wave named) */
  wave: number | null;
  hosts: HtmlHost[];
}

/** host name -> wave number, from the journal's wave-start events (a host named twice keeps its first wave). */
export function wavesFromEvents(events: JournalEvent[]): Map<string, number> {
  const waves = new Map<string, number>();
  for (const e of events) {
    if (e.kind !== 'wave-start') continue;
    const { wave, hosts } = e.payload;
    if (typeof wave !== 'number' || !Array.isArray(hosts)) continue;
    for (const h of hosts) if (typeof h === 'string' && !waves.has(h)) waves.set(h, wave);
  }
  return waves;
}

/** The run with each host's wave filled in from `waves` where the host does not carry one itself. */
export function withWaves(run: HtmlRun, waves: Map<string, number>): HtmlRun {
  if (waves.size === 0) return run;
  return { ...run, hosts: run.hosts.map((h) => (typeof h.wave === 'number' ? h : { ...h, wave: waves.get(h.name) ?? null })) };
}

/** Hosts grouped by wave, waves in order, hosts in run order within each; one group when no host has a wave. */
export function groupByWave(hosts: HtmlHost[]): WaveGroup[] {
  const groups = new Map<number | null, HtmlHost[]>();
  for (const h of hosts) {
    const key = waveOf(h);
    const list = groups.get(key);
    if (list) list.push(h);
    else groups.set(key, [h]);
  }
  return [...groups]
    .sort(([a], [b]) => (a ?? Infinity) - (b ?? Infinity))
    .map(([wave, list]) => ({ wave, hosts: list }));
}

/** True when the hosts fall into more than one group (a run that went out in a single wave is shown flat). */
export function hasWaves(hosts: HtmlHost[]): boolean {
  const first = hosts[0] === undefined ? null : waveOf(hosts[0]);
  return hosts.some((h) => waveOf(h) !== first);
}

function waveOf(h: HtmlHost): number | null {
  return typeof h.wave === 'number' ? h.wave : null;
}
