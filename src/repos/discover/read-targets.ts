// Which repositories a campaign covers: PATHS on the command line and/or --from FILE (one per line, `#`
// comments; relative paths are relative to the file). Local paths must exist; clone URLs are kept as URLs.

import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { GofleetError } from '../../errors.ts';
import { isCloneUrl } from './clone-repo.ts';

export interface RepoTarget {
  /** what the user wrote, for tables */
  display: string;
  /** absolute local path ('' for URLs until cloned) */
  path: string;
  url: string | null;
}

/** Lines of a --from file: trimmed, without blanks and # comments. */
export function parseTargetList(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l !== '');
}

function toTarget(text: string, base: string, where: string): RepoTarget {
  if (isCloneUrl(text)) return { display: text, path: '', url: text };
  const path = resolve(base, text);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new GofleetError('REPO_NOT_FOUND', `${where}${text}: no such directory`, { location: where ? { file: where.replace(/: $/, '') } : undefined });
  }
  return { display: text, path, url: null };
}

export async function readTargets(paths: readonly string[], fromFile: string | undefined, cwd: string): Promise<RepoTarget[]> {
  const targets = paths.map((p) => toTarget(p, cwd, ''));
  if (fromFile !== undefined) {
    const file = resolve(cwd, fromFile);
    const text = await readFile(file, 'utf8').catch(() => {
      throw new GofleetError('REPO_NOT_FOUND', `--from ${fromFile}: cannot read the file`);
    });
    targets.push(...parseTargetList(text).map((l) => toTarget(l, dirname(file), `${fromFile}: `)));
  }
  if (targets.length === 0) throw new GofleetError('BAD_OPTION', 'no repositories given: pass PATHS or --from FILE');
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = t.url ?? t.path;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
