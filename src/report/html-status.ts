// How each host and step status looks in the HTML report: an icon and a word beside every colour, so the
// page reads the same in black-and-white print and for colour-blind readers (palette: Okabe–Ito).

import { FINAL_STATUSES } from '../store/final-status.ts';

export interface Look {
  /** CSS class suffix: `st-<key>` */
  key: string;
  icon: string;
  label: string;
}

const HOST_LOOKS: Record<string, Look> = {
  upgraded: { key: 'upgraded', icon: '✓', label: 'upgraded' },
  switched: { key: 'switched', icon: '⇄', label: 'switched' },
  pruned: { key: 'pruned', icon: '−', label: 'pruned' },
  unchanged: { key: 'unchanged', icon: '=', label: 'unchanged' },
  failed: { key: 'failed', icon: '✗', label: 'failed' },
  rolled_back: { key: 'rolled_back', icon: '↺', label: 'rolled back' },
  unreachable: { key: 'unreachable', icon: '⊘', label: 'unreachable' },
  skipped: { key: 'skipped', icon: '–', label: 'skipped' },
};

/** The look of a host status; a status a stopped run left behind (staging, ...) reads "did not finish". */
export function hostLook(status: string): Look {
  return HOST_LOOKS[status] ?? { key: 'unfinished', icon: '◌', label: `did not finish (${status})` };
}

/** Status order for counts: the final statuses, then hosts that did not finish. */
export const COUNT_ORDER: readonly string[] = [...FINAL_STATUSES, 'unfinished'];

export const COUNT_LABELS: Record<string, Look> = {
  ...HOST_LOOKS,
  unfinished: { key: 'unfinished', icon: '◌', label: 'did not finish' },
};

/** Hosts that need someone to look at them. */
export function needsAttention(status: string): boolean {
  return !['upgraded', 'switched', 'pruned', 'unchanged', 'skipped'].includes(status);
}

const STEP_LOOKS: Record<string, Look> = {
  ok: { key: 'ok', icon: '', label: 'ok' },
  fail: { key: 'fail', icon: '✗', label: 'failed' },
  skip: { key: 'skip', icon: '–', label: 'skipped' },
  running: { key: 'running', icon: '◌', label: 'did not finish' },
};

export function stepLook(status: string): Look {
  return STEP_LOOKS[status] ?? STEP_LOOKS.running ?? { key: 'running', icon: '◌', label: status };
}

/** Tally hosts by COUNT_ORDER key in one pass. */
export function countByStatus(statuses: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>(COUNT_ORDER.map((k) => [k, 0]));
  for (const s of statuses) {
    const key = hostLook(s).key;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
