// `bump --commit`: work in a temporary git worktree cut from HEAD (the user's checkout and index are never
// touched), commit there, then point the campaign branch at the commit. Re-runs are idempotent: an existing
// branch is skipped (--on-existing skip) or replaced — and when the new commit has the same parent and tree
// as the branch tip, the old commit is kept, so the branch does not move.

import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GofleetError } from '../../errors.ts';
import type { CommandResult, RunCommand } from './run-command.ts';
import type { GitOutcome } from './types.ts';

export interface GitRunner {
  run: RunCommand;
  env: NodeJS.ProcessEnv;
  tmpDir: string;
}

export type OnExisting = 'skip' | 'replace';

function gitEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
}

export function gitTry(g: GitRunner, cwd: string, args: string[], stdin?: string): Promise<CommandResult> {
  return g.run('git', args, { cwd, env: gitEnv(g.env), timeoutMs: 120_000, ...(stdin !== undefined ? { stdin } : {}) });
}

export async function git(g: GitRunner, cwd: string, args: string[], stdin?: string): Promise<string> {
  const r = await gitTry(g, cwd, args, stdin);
  if (r.exitCode !== 0) {
    throw new GofleetError('REPO_GIT_FAILED', `git ${args.join(' ')} (in ${cwd}): ${r.output.trim().split('\n').slice(-3).join(' / ') || `exit ${r.exitCode}`}`);
  }
  return r.stdout.trim();
}

/** The top of the git checkout containing `path`, or null when it is not in one. */
export async function gitTopLevel(g: GitRunner, path: string): Promise<string | null> {
  const r = await gitTry(g, path, ['rev-parse', '--show-toplevel']);
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

export interface Worktree {
  dir: string;
  base: string;
  /** the branch tip before this run, or null */
  existing: string | null;
}

/** A detached worktree at HEAD, or null (with the outcome) when the branch exists and is to be skipped. */
export async function openWorktree(g: GitRunner, repo: string, branch: string, onExisting: OnExisting): Promise<Worktree | { skipped: GitOutcome }> {
  await git(g, repo, ['check-ref-format', '--branch', branch]);
  const base = await git(g, repo, ['rev-parse', '--verify', 'HEAD^{commit}']);
  const tip = await gitTry(g, repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
  const existing = tip.exitCode === 0 ? tip.stdout.trim() : null;
  if (existing !== null && onExisting === 'skip') return { skipped: { branch, base, commit: existing, action: 'skipped' } };
  const parent = await mkdtemp(join(g.tmpDir, 'gofleet-worktree-'));
  const dir = join(parent, 'wt');
  await git(g, repo, ['worktree', 'add', '--detach', '--quiet', dir, base]);
  return { dir, base, existing };
}

/** Remove the worktree and its directory (best effort). */
export async function closeWorktree(g: GitRunner, repo: string, wt: Worktree): Promise<void> {
  await gitTry(g, repo, ['worktree', 'remove', '--force', wt.dir]);
  await rm(join(wt.dir, '..'), { recursive: true, force: true });
  await gitTry(g, repo, ['worktree', 'prune']);
}

async function identity(g: GitRunner, dir: string): Promise<string[]> {
  const email = await gitTry(g, dir, ['config', '--get', 'user.email']);
  const name = await gitTry(g, dir, ['config', '--get', 'user.name']);
  const out: string[] = [];
  if (name.exitCode !== 0 || name.stdout.trim() === '') out.push('-c', 'user.name=gofleet');
  if (email.exitCode !== 0 || email.stdout.trim() === '') out.push('-c', 'user.email=gofleet@localhost');
  return out;
}

export interface CommitRequest {
  repo: string;
  worktree: Worktree;
  branch: string;
  /** repo-relative files to commit */
  files: readonly string[];
  message: string;
}

/** Commit `files` in the worktree and move the branch there (or keep an identical existing tip). */
export async function commitToBranch(g: GitRunner, c: CommitRequest): Promise<GitOutcome> {
  const { dir, base, existing } = c.worktree;
  if (c.files.length > 0) await git(g, dir, ['add', '-A', '--', ...c.files]);
  const staged = await gitTry(g, dir, ['diff', '--cached', '--quiet']);
  if (staged.exitCode === 0) return { branch: c.branch, base, commit: existing, action: 'up-to-date' };
  await git(g, dir, [...(await identity(g, dir)), 'commit', '--no-verify', '--quiet', '-F', '-'], c.message);
  const made = await git(g, dir, ['rev-parse', 'HEAD']);
  if (existing !== null) {
    const [oldParent, oldTree, newTree] = await Promise.all([
      gitTry(g, dir, ['rev-parse', '--verify', '--quiet', `${existing}^`]),
      git(g, dir, ['rev-parse', `${existing}^{tree}`]),
      git(g, dir, ['rev-parse', `${made}^{tree}`]),
    ]);
    if (oldParent.stdout.trim() === base && oldTree === newTree) return { branch: c.branch, base, commit: existing, action: 'unchanged' };
  }
  await git(g, c.repo, ['branch', '--force', '--quiet', c.branch, made]);
  return { branch: c.branch, base, commit: made, action: existing === null ? 'created' : 'replaced' };
}
