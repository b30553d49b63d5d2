// All repositories of a campaign, --parallel at a time, results in input order. Repos given as clone URLs
// are cloned (shallow) into the work dir first.

import { createLimiter } from '../util/limiter.ts';
import { cloneRepo } from './discover/clone-repo.ts';
import type { RepoTarget } from './discover/read-targets.ts';
import { runRepo } from './run-repo.ts';
import type { CampaignContext, CampaignSettings } from './shared/settings.ts';
import type { RepoResult } from './shared/types.ts';
import { gitRunnerOf } from './shared/work-root.ts';
import { asGofleetError } from '../errors.ts';

export interface CampaignRun {
  targets: readonly RepoTarget[];
  parallel: number;
  /** where URL targets are cloned */
  workDir: string;
}

async function one(t: RepoTarget, s: CampaignSettings, ctx: CampaignContext, workDir: string): Promise<RepoResult> {
  ctx.onProgress?.({ kind: 'repo-start', repo: t.display });
  let path = t.path;
  if (t.url !== null) {
    try {
      path = await cloneRepo(gitRunnerOf(ctx), t.url, workDir);
    } catch (err) {
      const e = asGofleetError(err);
      return { path: t.url, source: t.url, modules: [], git: null, error: { code: e.code, message: e.message, hint: e.hint } };
    }
  }
  const result = await runRepo(path, t.url, s, ctx);
  ctx.onProgress?.({ kind: 'repo-done', repo: t.display, result });
  return result;
}

export function runCampaign(c: CampaignRun, s: CampaignSettings, ctx: CampaignContext): Promise<RepoResult[]> {
  const limit = createLimiter(Math.max(1, c.parallel));
  return Promise.all(c.targets.map((t) => limit(() => one(t, s, ctx, c.workDir))));
}
