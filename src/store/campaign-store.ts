// Campaign reads and writes in the same SQLite journal as fleet runs (tables from migration 3). Opened on its
// own handle, the same way as the run journal: private file, WAL, migrated to the latest schema.

import { openDatabase } from './open-store.ts';
import type { Campaign, CampaignRepo, CampaignStore } from './campaign-types.ts';

interface RepoRow {
  repo: string;
  path: string;
  branch: string;
  base: string | null;
  commit_sha: string | null;
  remote: string | null;
  push: string | null;
  forge: CampaignRepo['forge'];
  forge_api: string | null;
  project: string | null;
  pr_number: number | null;
  pr_url: string | null;
  pr_state: CampaignRepo['prState'];
  ci_state: CampaignRepo['ciState'];
  error_code: string | null;
  error_message: string | null;
  updated: number;
}

function toRepo(r: RepoRow): CampaignRepo {
  return {
    repo: r.repo,
    path: r.path,
    branch: r.branch,
    base: r.base,
    commit: r.commit_sha,
    remote: r.remote,
    push: r.push,
    forge: r.forge,
    forgeApi: r.forge_api,
    project: r.project,
    prNumber: r.pr_number,
    prUrl: r.pr_url,
    prState: r.pr_state,
    ciState: r.ci_state,
    error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
    updated: r.updated,
  };
}

export function openCampaignStore(path: string): CampaignStore {
  const db = openDatabase(path);
  const upsertCampaign = db.prepare(`
    INSERT INTO campaigns (name, created, updated, target, branch) VALUES (@name, @at, @at, @target, @branch)
    ON CONFLICT (name) DO UPDATE SET updated = @at, target = @target, branch = @branch`);
  const nextOrd = db.prepare(`SELECT coalesce(max(ord), -1) + 1 AS n FROM campaign_repos WHERE campaign = ?`);
  const upsertRepo = db.prepare(`
    INSERT INTO campaign_repos (campaign, repo, ord, path, branch, base, commit_sha, remote, push, forge, forge_api, project,
                                pr_number, pr_url, pr_state, ci_state, error_code, error_message, updated)
    VALUES (@campaign, @repo, @ord, @path, @branch, @base, @commit, @remote, @push, @forge, @forgeApi, @project,
            @prNumber, @prUrl, @prState, @ciState, @errorCode, @errorMessage, @at)
    ON CONFLICT (campaign, repo) DO UPDATE SET path = @path, branch = @branch,
      -- a re-run that stopped early (push or forge error) keeps what earlier runs learnt
      base = coalesce(@base, base), remote = coalesce(@remote, remote), forge = coalesce(@forge, forge),
      forge_api = coalesce(@forgeApi, forge_api), project = coalesce(@project, project),
      pr_number = coalesce(@prNumber, pr_number), pr_url = coalesce(@prUrl, pr_url), pr_state = coalesce(@prState, pr_state),
      -- a new tip has unknown CI until the next status refresh
      ci_state = CASE WHEN @commit IS NULL OR @commit IS commit_sha THEN coalesce(@ciState, ci_state) ELSE @ciState END,
      commit_sha = coalesce(@commit, commit_sha), push = coalesce(@push, push),
      error_code = @errorCode, error_message = @errorMessage, updated = @at`);
  const getOne = db.prepare(`SELECT name, created, updated, target, branch FROM campaigns WHERE name = ?`);
  const getRepos = db.prepare(`SELECT * FROM campaign_repos WHERE campaign = ? ORDER BY ord`);
  const list = db.prepare(`SELECT name, created, updated, target, branch FROM campaigns ORDER BY updated DESC, name`);
  const updateState = db.prepare(`
    UPDATE campaign_repos SET pr_url = coalesce(@prUrl, pr_url), pr_state = @prState, ci_state = @ciState,
      commit_sha = coalesce(@commit, commit_sha), error_code = @errorCode, error_message = @errorMessage, updated = @at
    WHERE campaign = @campaign AND repo = @repo`);
  const touch = db.prepare(`UPDATE campaigns SET updated = @at WHERE name = @name`);

  return {
    path,
    saveCampaign: db.transaction((c: { name: string; target: string | null; branch: string }, repos: readonly Omit<CampaignRepo, 'updated'>[], at = Date.now()) => {
      upsertCampaign.run({ ...c, at });
      for (const r of repos) {
        const ord = (nextOrd.get(c.name) as { n: number }).n;
        upsertRepo.run({ ...r, campaign: c.name, ord, errorCode: r.error?.code ?? null, errorMessage: r.error?.message ?? null, at });
      }
    }),
    getCampaign(name) {
      const c = getOne.get(name) as Omit<Campaign, 'repos'> | undefined;
      return c ? { ...c, repos: (getRepos.all(name) as RepoRow[]).map(toRepo) } : null;
    },
    listCampaigns: () => list.all() as Omit<Campaign, 'repos'>[],
    updateRepoState: (campaign, repo, s, at = Date.now()) => {
      db.transaction(() => {
        updateState.run({ campaign, repo, prUrl: s.prUrl ?? null, prState: s.prState, ciState: s.ciState, commit: s.commit ?? null, errorCode: s.error?.code ?? null, errorMessage: s.error?.message ?? null, at });
        touch.run({ name: campaign, at });
      })();
    },
    close: () => void db.close(),
  };
}
