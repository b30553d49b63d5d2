// `bump --push`: push the campaign branch to the repo's remote. Idempotent: a remote branch already at the
// commit is left alone (up-to-date); a new branch is pushed; a branch the bump replaced is force-pushed with
// --force-with-lease pinned to the tip just read — and only when that tip is one gofleet pushed itself (or
// the push is a fast-forward), so commits someone else added to the campaign branch are never overwritten.

import { GofleetError, type ErrorCode } from '../../errors.ts';
import { safeUrl } from '../forges/forge-target.ts';
import { gitTry, type GitRunner } from '../shared/git-branch.ts';
import type { PushAction } from '../shared/publish-outcome.ts';

export type { PushAction } from '../shared/publish-outcome.ts';

export interface RemoteInfo {
  /** the remote's name, or null when pushing straight to the clone URL */
  name: string | null;
  /** where the forge is read from */
  fetchUrl: string;
  /** where commits go (`git remote get-url --push`) */
  pushUrl: string;
}

/** The remote `name` of `repo`; without one, the clone URL the repo came from (if any). */
export async function resolveRemote(g: GitRunner, repo: string, name: string, fallbackUrl: string | null): Promise<RemoteInfo> {
  const fetchUrl = await gitTry(g, repo, ['remote', 'get-url', '--', name]);
  if (fetchUrl.exitCode === 0) {
    const pushUrl = await gitTry(g, repo, ['remote', 'get-url', '--push', '--', name]);
    const f = fetchUrl.stdout.trim();
    return { name, fetchUrl: f, pushUrl: pushUrl.exitCode === 0 ? pushUrl.stdout.trim() : f };
  }
  if (fallbackUrl !== null) return { name: null, fetchUrl: fallbackUrl, pushUrl: fallbackUrl };
  throw new GofleetError('REPO_NO_REMOTE', `${repo}: no remote named ${name}`);
}

/** Which code a failed push gets, from git's output. Pure. */
export function classifyPushFailure(output: string): ErrorCode {
  if (/stale info|\[rejected\]|non-fast-forward|fetch first/i.test(output)) return 'PUSH_REJECTED';
  if (/permission denied|authentication failed|could not read (username|password)|access denied|not authorized|returned error: 40[13]|\b40[13]\b/i.test(output)) return 'PUSH_AUTH_FAILED';
  return 'PUSH_FAILED';
}

function lastLines(output: string): string {
  return output.trim().split('\n').slice(-3).map((l) => l.replace(/([a-z][\w+.-]*:\/\/)[^/@\s]*@/gi, '$1')).join(' / ');
}

async function remoteTip(g: GitRunner, repo: string, url: string, branch: string): Promise<string | null> {
  const r = await gitTry(g, repo, ['ls-remote', '--', url, `refs/heads/${branch}`]);
  if (r.exitCode !== 0) throw new GofleetError(classifyPushFailure(r.output), `git ls-remote ${safeUrl(url)}: ${lastLines(r.output) || `exit ${r.exitCode}`}`);
  const line = r.stdout.split('\n').find((l) => l.endsWith(`\trefs/heads/${branch}`));
  return line ? (line.split('\t')[0] ?? null) : null;
}

export interface PushRequest {
  repo: string;
  remote: RemoteInfo;
  branch: string;
  commit: string;
  /** tips gofleet pushed before (the campaign journal's commit); the remote-tracking ref is added here */
  known?: readonly string[];
}

async function revParse(g: GitRunner, repo: string, ref: string): Promise<string | null> {
  const r = await gitTry(g, repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

/**
 * A remote branch may be overwritten only when it is at a tip gofleet itself pushed (the remote-tracking ref,
 * or `known`), or when the push is a fast-forward. Anything else is someone else's work: PUSH_REJECTED.
 */
async function mayReplace(g: GitRunner, p: PushRequest, tip: string): Promise<boolean> {
  const tracking = p.remote.name ? await revParse(g, p.repo, `refs/remotes/${p.remote.name}/${p.branch}`) : null;
  if ([...(p.known ?? []), tracking].includes(tip)) return true;
  const ff = await gitTry(g, p.repo, ['merge-base', '--is-ancestor', tip, p.commit]);
  return ff.exitCode === 0;
}

export async function pushBranch(g: GitRunner, p: PushRequest): Promise<PushAction> {
  const tip = await remoteTip(g, p.repo, p.remote.pushUrl, p.branch);
  if (tip === p.commit) return 'up-to-date';
  if (tip !== null && !(await mayReplace(g, p, tip))) {
    throw new GofleetError('PUSH_REJECTED', `${p.branch} on ${safeUrl(p.remote.pushUrl)} is at ${tip.slice(0, 12)}, a commit gofleet did not push; not overwriting it`);
  }
  const dest = p.remote.name ?? p.remote.pushUrl;
  // the lease pins the tip just read: a push landing in between is refused by the remote, not overwritten
  const lease = tip === null ? [] : [`--force-with-lease=refs/heads/${p.branch}:${tip}`];
  const r = await gitTry(g, p.repo, ['push', '--no-verify', '--porcelain', ...lease, '--', dest, `${p.commit}:refs/heads/${p.branch}`]);
  if (r.exitCode !== 0) {
    throw new GofleetError(classifyPushFailure(r.output), `git push ${p.branch} to ${safeUrl(p.remote.pushUrl)}: ${lastLines(r.output) || `exit ${r.exitCode}`}`);
  }
  return tip === null ? 'pushed' : 'force-pushed';
}
