// The hook a rollout calls between waves (`--pause`, `--pause-after`): the CLI decides how to wait or whom to
// ask; the engine only learns whether to go on. It is never called before the first wave, nor when the failure
// budget is spent or the run was interrupted (those stop the rollout without asking).

import type { HostSpec } from '../inventory/types.ts';

/** The wave about to start. */
export interface UpcomingWave {
  /** 1-based number of the wave about to start (2 or more) */
  wave: number;
  /** how many waves the rollout has */
  waves: number;
  hosts: readonly HostSpec[];
}

/** `stop`: this wave and every later one are skipped, untouched (INTERRUPTED, so `resume RUN` can continue). */
export type WaveDecision = 'continue' | 'stop';

/** Called before each wave after the first; a hook that throws counts as `stop`. */
export type BeforeWave = (next: UpcomingWave) => Promise<WaveDecision>;
