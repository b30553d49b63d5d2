// What gofleet asks of a forge (GitHub, GitLab): open or reuse the pull/merge request of a campaign branch,
// and read back its state and CI. One client per forge API; both go through the campaign's forge fetch.

import type { ForgeKind } from './forge-target.ts';

/** A GitLab merge request counts as a pull request here. */
export type PrState = 'open' | 'draft' | 'merged' | 'closed';

/** Commit statuses and check runs (GitHub) or the head pipeline (GitLab), combined. */
export type CiState = 'success' | 'failure' | 'pending' | 'none';

export type PrAction = 'created' | 'updated' | 'unchanged';

export interface PrRequest {
  project: string;
  /** the campaign branch */
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
}

export interface PullRequestRef {
  number: number;
  url: string;
  state: PrState;
  action: PrAction;
}

export interface PrStatus {
  number: number;
  url: string;
  state: PrState;
  /** the head commit the forge knows */
  sha: string | null;
  ci: CiState;
}

export interface ForgeClient {
  kind: ForgeKind;
  /** an open PR/MR for the head branch is reused (its title/body updated when they differ), never duplicated */
  ensurePullRequest(r: PrRequest): Promise<PullRequestRef>;
  pullRequestStatus(project: string, number: number): Promise<PrStatus>;
  /** CI of a commit without a PR/MR */
  commitCi(project: string, sha: string): Promise<CiState>;
}
