// The rollout policy, pure: which hosts go in which wave (--canary, --waves) and when to stop (--max-fail).
//
// Order: with --canary or --waves, hosts tagged `canary` come first (in inventory order), then the others (in
// inventory order). Without either: one wave of every host, in inventory order.
// Waves:
// - `--canary N`: wave 1 is the first N hosts of that order (every host when N >= the fleet).
// - `--waves LIST`: comma-separated CUMULATIVE sizes over the hosts the list applies to (every selected host, or
//   the hosts left after the canary wave). Each entry is a count (`3`) or a percentage (`10%`, rounded up, at
//   least 1 host), and says how many of those hosts are done once its wave ends: `1,10%,50%,100%` over 40 hosts
//   gives waves of 1, 3, 16 and 20 hosts. An entry that adds no host (`10%` of 5 hosts = 1, after `1`) adds no
//   wave; entries beyond the fleet are capped; hosts the list does not reach make one last wave, so `--waves 1`
//   is one host, then all the others. Entries of the same kind must not decrease (`5,3` is refused).
// Failure budget (`--max-fail N|P%`): failed, rolled_back and unreachable hosts count as failures. `N` failures
// are allowed per wave and overall; `P%` is of the wave's size per wave and of the fleet's size overall, rounded
// down (`0` or `0%`: no failure tolerated). Once either is exceeded no further host starts (hosts in flight
// finish); the run-fleet executor skips the rest with BUDGET_EXCEEDED. Default: no budget, every wave runs.

import { GofleetError } from '../errors.ts';
import type { FinalStatus } from './events.ts';

/** One `--waves` entry: a host count, or a percentage such as "10%" (a plain numeric string counts too). */
export type WaveStep = number | string;

export interface WavePolicy {
  canary?: number;
  /** a list, or the `--waves` text ("1,10%,50%,100%") */
  waves?: readonly WaveStep[] | string;
}

/** `--max-fail`: a number of hosts, or a percentage of the wave / fleet. */
export type MaxFail = { count: number } | { percent: number };

type Entry = { count: number } | { percent: number };

const COUNT = /^\d+$/;
const PERCENT = /^\d+(\.\d+)?%$/;

function badWaves(text: string, why: string): GofleetError {
  return new GofleetError('BAD_OPTION', `--waves "${text}": ${why}`, {
    hint: 'Give cumulative wave sizes, counts or percentages of the hosts, e.g. --waves 1,10%,50%,100%.',
  });
}

/** Parse and check a `--waves` list; throws BAD_OPTION. */
export function parseWaves(steps: readonly WaveStep[] | string): Entry[] {
  const text = typeof steps === 'string' ? steps : steps.join(',');
  const raw = typeof steps === 'string' ? steps.split(',') : steps.map(String);
  if (raw.length === 0 || text.trim() === '') throw badWaves(text, 'the list is empty');
  const entries = raw.map((part): Entry => {
    const s = part.trim();
    if (COUNT.test(s) && Number(s) >= 1 && Number.isSafeInteger(Number(s))) return { count: Number(s) };
    const p = Number(s.slice(0, -1));
    if (PERCENT.test(s) && p > 0 && p <= 100) return { percent: p };
    throw badWaves(text, `"${s}" is not a host count (1 or more) or a percentage (above 0%, at most 100%)`);
  });
  for (let i = 1; i < entries.length; i++) {
    const [a, b] = [entries[i - 1] as Entry, entries[i] as Entry];
    const down = 'count' in a && 'count' in b ? b.count < a.count : 'percent' in a && 'percent' in b && b.percent < a.percent;
    if (down) throw badWaves(text, 'entries are cumulative (hosts done after each wave) and must not decrease');
  }
  return entries;
}

/** Split `hosts` into waves by the policy (see the rules at the top of this file); never an empty wave. */
export function planWaves<H extends { name: string; tags: readonly string[] }>(hosts: readonly H[], policy: WavePolicy = {}): H[][] {
  const entries = policy.waves === undefined ? undefined : parseWaves(policy.waves);
  const { canary } = policy;
  if (canary !== undefined && !(Number.isSafeInteger(canary) && canary >= 1)) {
    throw new GofleetError('BAD_OPTION', `--canary must be a whole number of hosts, 1 or more, got "${canary}"`);
  }
  if (hosts.length === 0) return [];
  if (canary === undefined && entries === undefined) return [[...hosts]];
  const ordered = [...hosts.filter((h) => h.tags.includes('canary')), ...hosts.filter((h) => !h.tags.includes('canary'))];
  const waves: H[][] = [];
  let rest = ordered;
  if (canary !== undefined) {
    waves.push(rest.slice(0, canary));
    rest = rest.slice(canary);
  }
  let done = 0;
  for (const e of entries ?? []) {
    const reach = Math.min(rest.length, 'count' in e ? e.count : Math.max(1, Math.ceil((e.percent * rest.length) / 100 - 1e-9)));
    if (reach > done) waves.push(rest.slice(done, reach));
    done = Math.max(done, reach);
  }
  if (done < rest.length) waves.push(rest.slice(done));
  return waves;
}

/** Parse `--max-fail N|P%`; throws BAD_OPTION. */
export function parseMaxFail(text: string): MaxFail {
  const s = text.trim();
  if (COUNT.test(s) && Number.isSafeInteger(Number(s))) return { count: Number(s) };
  const p = Number(s.slice(0, -1));
  if (PERCENT.test(s) && p <= 100) return { percent: p };
  throw new GofleetError('BAD_OPTION', `--max-fail "${text}": give a number of hosts (0 or more) or a percentage (0% to 100%)`, {
    hint: 'E.g. --max-fail 0 (stop at the first failure), --max-fail 2, or --max-fail 10% (of each wave and of the fleet).',
  });
}

export function maxFailText(limit: MaxFail): string {
  return 'count' in limit ? String(limit.count) : `${limit.percent}%`;
}

/** Failures `limit` tolerates among `size` hosts (percentages round down). */
export function allowedFailures(limit: MaxFail, size: number): number {
  return 'count' in limit ? limit.count : Math.floor((limit.percent * size) / 100 + 1e-9);
}

export function isFailure(status: FinalStatus): boolean {
  return status === 'failed' || status === 'rolled_back' || status === 'unreachable';
}

/** Counts failures per wave and overall against `--max-fail`; `spent()` says why the rollout must stop. */
export class FailureBudget {
  private wave = 0;
  private waveSize = 0;
  private waveFailures = 0;
  private failures = 0;

  constructor(
    private readonly limit: MaxFail | undefined,
    private readonly fleetSize: number,
  ) {}

  startWave(wave: number, size: number): void {
    this.wave = wave;
    this.waveSize = size;
    this.waveFailures = 0;
  }

  record(status: FinalStatus): void {
    if (!isFailure(status)) return;
    this.waveFailures++;
    this.failures++;
  }

  /** Why no further host may start (a sentence), or null while the budget holds. */
  spent(): string | null {
    if (!this.limit) return null;
    const flag = `--max-fail ${maxFailText(this.limit)}`;
    const inWave = allowedFailures(this.limit, this.waveSize);
    if (this.waveFailures > inWave) {
      return `wave ${this.wave}: ${this.waveFailures} of ${this.waveSize} host(s) failed, ${flag} allows ${inWave}`;
    }
    const overall = allowedFailures(this.limit, this.fleetSize);
    if (this.failures > overall) return `${this.failures} of ${this.fleetSize} host(s) failed, ${flag} allows ${overall}`;
    return null;
  }
}
