// One CI verdict per PR: success, failure, pending or none. Pure.
// GitHub has two systems: commit statuses (combined: `pending` with total_count 0 means "no statuses", not
// "waiting") and check runs (all of GitHub Actions). Both are read and the worse verdict wins.

import type { CiState } from './forge-types.ts';

const RANK: Record<CiState, number> = { none: 0, success: 1, pending: 2, failure: 3 };

/** The worse of several verdicts: failure > pending > success > none. */
export function worstCi(states: readonly CiState[]): CiState {
  return states.reduce<CiState>((a, b) => (RANK[b] > RANK[a] ? b : a), 'none');
}

export interface CombinedStatus {
  state: string;
  total_count: number;
}

export interface CheckRun {
  status: string;
  conclusion: string | null;
}

function statusCi(s: CombinedStatus): CiState {
  if (s.total_count === 0) return 'none';
  if (s.state === 'success') return 'success';
  if (s.state === 'failure' || s.state === 'error') return 'failure';
  return 'pending';
}

const PASSING = new Set(['success', 'neutral', 'skipped']);

function checkRunCi(r: CheckRun): CiState {
  if (r.status !== 'completed') return 'pending';
  return PASSING.has(r.conclusion ?? '') ? 'success' : 'failure';
}

export function githubCi(status: CombinedStatus, runs: readonly CheckRun[]): CiState {
  return worstCi([statusCi(status), ...runs.map(checkRunCi)]);
}

const GITLAB: Record<string, CiState> = {
  success: 'success',
  failed: 'failure',
  canceled: 'failure',
  canceling: 'failure',
  skipped: 'none',
  manual: 'pending',
  created: 'pending',
  waiting_for_resource: 'pending',
  waiting_for_callback: 'pending',
  preparing: 'pending',
  pending: 'pending',
  running: 'pending',
  scheduled: 'pending',
};

/** A GitLab pipeline status (null: no pipeline). */
export function gitlabCi(status: string | null | undefined): CiState {
  return status ? (GITLAB[status] ?? 'pending') : 'none';
}
