// `repos status CAMPAIGN`: what the journal knows of a campaign, refreshed from the forge (PR/MR state and
// CI), stored back, and shown as a table or a JSON document. Also how bump results become campaign rows.

import type { Campaign, CampaignRepo, CampaignStore } from '../../store/index.ts';
import { asGofleetError } from '../../errors.ts';
import { renderTable } from '../../util/text-table.ts';
import type { ForgeClients } from '../forges/forge-clients.ts';
import type { RepoResult } from '../shared/types.ts';

/** The campaign rows for the repos a bump published (a repo is identified by its clone URL or path). */
export function campaignRows(results: readonly RepoResult[]): Omit<CampaignRepo, 'updated'>[] {
  return results.flatMap((r) => {
    const p = r.publish;
    if (!p || !r.git) return [];
    return [{
      repo: r.source ?? r.path,
      path: r.path,
      branch: r.git.branch,
      base: p.base,
      commit: p.push !== null ? r.git.commit : null,
      remote: p.remote,
      push: p.push,
      forge: p.forge?.kind ?? null,
      forgeApi: p.forge?.apiUrl ?? null,
      project: p.forge?.project ?? null,
      prNumber: p.pr?.number ?? null,
      prUrl: p.pr?.url ?? null,
      prState: p.pr?.state ?? null,
      ciState: null,
      error: p.error ? { code: p.error.code, message: p.error.message } : null,
    }];
  });
}

async function refreshOne(r: CampaignRepo, clients: ForgeClients): Promise<Parameters<CampaignStore['updateRepoState']>[2] | null> {
  if (!r.forge || !r.forgeApi || !r.project) return null;
  try {
    const client = clients({ kind: r.forge, apiUrl: r.forgeApi });
    if (r.prNumber !== null) {
      const st = await client.pullRequestStatus(r.project, r.prNumber);
      return { prUrl: st.url, prState: st.state, ciState: st.ci, commit: st.sha, error: null };
    }
    if (r.commit === null) return null;
    return { prState: null, ciState: await client.commitCi(r.project, r.commit), error: null };
  } catch (err) {
    const e = asGofleetError(err);
    return { prState: r.prState, ciState: r.ciState, error: { code: e.code, message: e.message } };
  }
}

/** Refresh every repo of the campaign from its forge, store the result, and return the campaign as stored. */
export async function refreshCampaign(store: CampaignStore, c: Campaign, clients: ForgeClients, now: () => number = Date.now): Promise<Campaign> {
  for (const r of c.repos) {
    const state = await refreshOne(r, clients);
    if (state) store.updateRepoState(c.name, r.repo, state, now());
  }
  return store.getCampaign(c.name) ?? c;
}

export function statusJson(c: Campaign): Record<string, unknown> {
  return {
    campaign: c.name,
    target: c.target,
    branch: c.branch,
    created: new Date(c.created).toISOString(),
    updated: new Date(c.updated).toISOString(),
    repos: c.repos.map((r) => ({
      repo: r.repo,
      path: r.path,
      branch: r.branch,
      base: r.base,
      commit: r.commit,
      remote: r.remote,
      push: r.push,
      forge: r.forge,
      project: r.project,
      pr: r.prNumber !== null ? { number: r.prNumber, url: r.prUrl, state: r.prState } : null,
      ci: r.ciState,
      error: r.error,
      updated: new Date(r.updated).toISOString(),
    })),
  };
}

export function statusTable(c: Campaign): string {
  const rows = c.repos.map((r) => [
    r.project ?? r.repo,
    r.branch,
    r.prNumber !== null ? `${r.forge === 'gitlab' ? '!' : '#'}${r.prNumber}` : '-',
    r.prState ?? '-',
    r.ciState ?? '-',
    r.error ? `${r.error.code}: ${r.error.message}` : (r.prUrl ?? r.push ?? '-'),
  ]);
  return renderTable(['repo', 'branch', 'pr', 'state', 'ci', 'url / error'], rows);
}

/** true when no repo carries an error after the refresh. */
export function statusClean(c: Campaign): boolean {
  return c.repos.every((r) => r.error === null);
}
