// `check` changes nothing: it bumps and builds a scratch copy of the checkout (without .git) in a temp dir.

import { cp, mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';

export interface ScratchCopy {
  dir: string;
  dispose(): Promise<void>;
}

export async function scratchCopy(repo: string, tmpDir: string): Promise<ScratchCopy> {
  const parent = await mkdtemp(join(tmpDir, 'gofleet-check-'));
  const dir = join(parent, basename(repo) || 'repo');
  await cp(repo, dir, { recursive: true, verbatimSymlinks: true, filter: (src) => basename(src) !== '.git' });
  return {
    dir,
    // the go command leaves read-only files only in GOMODCACHE, never in the module tree
    dispose: () => rm(parent, { recursive: true, force: true }),
  };
}
