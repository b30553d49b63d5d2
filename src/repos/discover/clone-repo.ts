// A repo given as a clone URL (file://, https://, ssh://, git@host:path) is cloned shallow into the work dir.

import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { git, type GitRunner } from '../shared/git-branch.ts';

export function isCloneUrl(text: string): boolean {
  return /^(?:file|https?|ssh|git):\/\//.test(text) || /^[\w.-]+@[\w.-]+:/.test(text);
}

/** The directory name a URL clones into: file:///x/app.git -> app. */
export function cloneName(url: string): string {
  const last = url.replace(/\/+$/, '').split(/[/:]/).pop() ?? 'repo';
  return last.replace(/\.git$/, '') || 'repo';
}

export async function cloneRepo(g: GitRunner, url: string, workDir: string): Promise<string> {
  await mkdir(workDir, { recursive: true });
  const dir = join(await mkdtemp(join(workDir, `${cloneName(url)}-`)), cloneName(url));
  await git(g, workDir, ['clone', '--depth', '1', '--quiet', '--', url, dir]);
  return dir;
}
