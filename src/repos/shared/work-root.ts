// Where a repo is worked on: check -> a scratch copy (check --static -> the checkout, read only);
// bump -> the checkout itself; bump --commit -> a temporary git worktree at HEAD.

import { realpath } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { GofleetError } from '../../errors.ts';
import { closeWorktree, gitTopLevel, openWorktree, type GitRunner, type Worktree } from './git-branch.ts';
import { scratchCopy } from './scratch-copy.ts';
import type { CampaignContext, CampaignSettings } from './settings.ts';
import type { GitOutcome } from './types.ts';

export interface WorkRoot {
  /** the directory that stands for the repo during this run */
  root: string;
  /** true when root is not the checkout itself (replace paths leaving the repo must be made absolute) */
  moved: boolean;
  worktree: Worktree | null;
  /** the git top level the worktree belongs to */
  gitTop: string | null;
  dispose(): Promise<void>;
}

export function gitRunnerOf(ctx: CampaignContext): GitRunner {
  return { run: ctx.run, env: ctx.env, tmpDir: ctx.tmpDir };
}

const nothing = async (): Promise<void> => undefined;

export async function openWorkRoot(path: string, s: CampaignSettings, ctx: CampaignContext): Promise<WorkRoot | { skipped: GitOutcome }> {
  if (s.command === 'check' && s.staticOnly) return { root: path, moved: false, worktree: null, gitTop: null, dispose: nothing };
  if (s.command === 'check') {
    const copy = await scratchCopy(path, ctx.tmpDir);
    return { root: copy.dir, moved: true, worktree: null, gitTop: null, dispose: copy.dispose };
  }
  if (!s.commit) return { root: path, moved: false, worktree: null, gitTop: null, dispose: nothing };
  const g = gitRunnerOf(ctx);
  const top = await gitTopLevel(g, path);
  if (top === null) throw new GofleetError('REPO_GIT_FAILED', `${path} is not inside a git checkout; --commit needs one`);
  const wt = await openWorktree(g, top, s.commit.branch, s.commit.onExisting);
  if ('skipped' in wt) return wt;
  const sub = relative(await realpath(top), await realpath(path));
  return { root: join(wt.dir, sub), moved: true, worktree: wt, gitTop: top, dispose: () => closeWorktree(g, top, wt) };
}
