// The forge side of `repos bump --commit --push [--pr]`, after the bump: for every repo whose campaign branch
// has a commit, push it (push-branch.ts), then open or reuse its pull/merge request. One repo's failure is
// that repo's result (a stable code and hint); the others go on.

import { asGofleetError, GofleetError } from '../../errors.ts';
import { forgeTarget, safeUrl, type ForgeKind } from '../forges/forge-target.ts';
import type { ForgeClients } from '../forges/forge-clients.ts';
import { gitTopLevel, gitTry, type GitRunner } from '../shared/git-branch.ts';
import { prBody, prTitle } from './pr-body.ts';
import type { PublishOutcome } from '../shared/publish-outcome.ts';
import { pushBranch, resolveRemote, type RemoteInfo } from './push-branch.ts';
import type { PinnedToolchain, RepoResult } from '../shared/types.ts';

export interface PublishSettings {
  campaign: string;
  /** open or update a PR/MR (otherwise push only) */
  pr: boolean;
  draft: boolean;
  /** remote name (default origin) */
  remote: string;
  /** --base: the PR target branch (default: the remote's HEAD branch) */
  base?: string;
  forge?: ForgeKind;
  /** --forge-url: API root */
  forgeUrl?: string;
  toolchain: PinnedToolchain;
}

export type { PublishOutcome } from '../shared/publish-outcome.ts';

export interface PublishContext {
  git: GitRunner;
  env: NodeJS.ProcessEnv;
  clients: ForgeClients;
  /** branch tips gofleet pushed in earlier runs of this campaign (from the journal), by repo key */
  knownTips?: (repo: string) => string[];
  onProgress?: (repo: string, text: string) => void;
}

/** true when the bump left a commit on the campaign branch worth publishing. */
export function publishable(r: RepoResult): boolean {
  return r.error === null && r.git !== null && r.git.commit !== null && r.git.action !== 'not-committed';
}

/** The branch a PR should target: --base, else the push remote's HEAD (ls-remote --symref), else the checkout's branch. */
async function baseBranch(g: GitRunner, top: string, remote: RemoteInfo, s: PublishSettings, campaignBranch: string): Promise<string | null> {
  if (s.base) return s.base;
  const sym = await gitTry(g, top, ['ls-remote', '--symref', '--', remote.pushUrl, 'HEAD']);
  const m = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(sym.stdout);
  if (m?.[1]) return m[1];
  const cur = await gitTry(g, top, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  const name = cur.stdout.trim();
  return cur.exitCode === 0 && name !== '' && name !== campaignBranch ? name : null;
}

export async function publishRepo(r: RepoResult, s: PublishSettings, ctx: PublishContext): Promise<PublishOutcome> {
  const out: PublishOutcome = { remote: null, push: null, base: null, forge: null, pr: null, error: null };
  const git = r.git;
  if (!git?.commit) return out;
  try {
    const top = (await gitTopLevel(ctx.git, r.path)) ?? r.path;
    const remote = await resolveRemote(ctx.git, top, s.remote, r.source);
    out.remote = safeUrl(remote.pushUrl);
    const known = ctx.knownTips?.(r.source ?? r.path) ?? [];
    out.push = await pushBranch(ctx.git, { repo: top, remote, branch: git.branch, commit: git.commit, known });
    ctx.onProgress?.(r.path, `${git.branch} ${out.push} (${out.remote})`);
    if (!s.pr) return out;
    out.forge = forgeTarget(remote.fetchUrl, { env: ctx.env, ...(s.forge ? { forge: s.forge } : {}), ...(s.forgeUrl ? { apiUrl: s.forgeUrl } : {}) });
    out.base = await baseBranch(ctx.git, top, remote, s, git.branch);
    if (out.base === null) throw new GofleetError('BAD_OPTION', `${r.path}: cannot tell the branch to open the pull request against; pass --base BRANCH`);
    const input = { campaign: s.campaign, target: s.toolchain.version, toolchainHow: s.toolchain.how.startsWith('GOTOOLCHAIN') ? s.toolchain.how : 'GOTOOLCHAIN=local', modules: r.modules };
    out.pr = await ctx.clients(out.forge).ensurePullRequest({ project: out.forge.project, head: git.branch, base: out.base, title: prTitle(input), body: prBody(input), draft: s.draft });
    ctx.onProgress?.(r.path, `${out.forge.kind === 'github' ? 'pull request' : 'merge request'} ${out.pr.action}: ${out.pr.url}`);
  } catch (err) {
    const e = asGofleetError(err);
    out.error = { code: e.code, message: e.message, hint: e.hint };
  }
  return out;
}

/** Publish every repo in order (the forge throttle is shared, so there is nothing to gain in parallel). */
export async function publishCampaign(results: readonly RepoResult[], s: PublishSettings, ctx: PublishContext): Promise<RepoResult[]> {
  const out: RepoResult[] = [];
  for (const r of results) out.push(publishable(r) ? { ...r, publish: await publishRepo(r, s, ctx) } : r);
  return out;
}
