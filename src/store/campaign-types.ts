// What the journal keeps of a repository campaign (`repos bump --push [--pr]`, `repos status`).
// Times are milliseconds since the epoch.

export type CampaignPrState = 'open' | 'draft' | 'merged' | 'closed';
export type CampaignCiState = 'success' | 'failure' | 'pending' | 'none';

export interface CampaignRepo {
  /** the clone URL or local path the campaign was given: the row's identity */
  repo: string;
  path: string;
  branch: string;
  /** the PR/MR target branch */
  base: string | null;
  /** the pushed branch tip */
  commit: string | null;
  /** push URL without credentials */
  remote: string | null;
  push: string | null;
  forge: 'github' | 'gitlab' | null;
  forgeApi: string | null;
  project: string | null;
  prNumber: number | null;
  prUrl: string | null;
  prState: CampaignPrState | null;
  ciState: CampaignCiState | null;
  error: { code: string; message: string } | null;
  updated: number;
}

export interface Campaign {
  name: string;
  created: number;
  updated: number;
  target: string | null;
  branch: string;
  /** in the order the campaign listed them */
  repos: CampaignRepo[];
}

/** What `repos status` refreshes from the forge. */
export interface CampaignRepoState {
  prUrl?: string | null;
  prState: CampaignPrState | null;
  ciState: CampaignCiState | null;
  commit?: string | null;
  error: { code: string; message: string } | null;
}

export interface CampaignStore {
  readonly path: string;
  /** create or update the campaign and upsert these repos (repos recorded earlier and not given are kept) */
  saveCampaign(c: { name: string; target: string | null; branch: string }, repos: readonly Omit<CampaignRepo, 'updated'>[], at?: number): void;
  getCampaign(name: string): Campaign | null;
  listCampaigns(): Omit<Campaign, 'repos'>[];
  updateRepoState(campaign: string, repo: string, state: CampaignRepoState, at?: number): void;
  close(): void;
}
