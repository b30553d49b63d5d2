// Find what a campaign touches in one checkout: every go.mod and go.work (multi-module repos and
// workspaces) and the files that may pin a Go version. Directories the go command ignores are skipped
// (vendor, testdata, names starting with . or _), and so are node_modules and symlinks.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pinFileKind } from './pins.ts';
import type { FileKind } from '../shared/types.ts';

export interface GoFile {
  /** directory relative to the repo, '.' for the root */
  dir: string;
  kind: FileKind;
  /** path relative to the repo: go.mod, svc/go.mod, go.work */
  file: string;
}

export interface RepoLayout {
  goFiles: GoFile[];
  /** repo-relative paths of files that may pin a Go version */
  pinFiles: string[];
}

const SKIP_DIRS = new Set(['vendor', 'testdata', 'node_modules']);
const MAX_DEPTH = 12;

function relJoin(dir: string, name: string): string {
  return dir === '.' ? name : `${dir}/${name}`;
}

async function walk(root: string, dir: string, depth: number, out: RepoLayout): Promise<void> {
  const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = relJoin(dir, e.name);
    if (e.isDirectory()) {
      if (depth < MAX_DEPTH && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.') && !e.name.startsWith('_')) await walk(root, rel, depth + 1, out);
    } else if (e.isFile()) {
      if (e.name === 'go.mod') out.goFiles.push({ dir, kind: 'module', file: rel });
      else if (e.name === 'go.work') out.goFiles.push({ dir, kind: 'workspace', file: rel });
      else if (pinFileKind(rel) !== null) out.pinFiles.push(rel);
    }
  }
}

/** GitHub workflows live in a dot-directory, which the walk skips. */
async function workflowFiles(root: string): Promise<string[]> {
  const workflows = await readdir(join(root, '.github', 'workflows'), { withFileTypes: true }).catch(() => []);
  return workflows.filter((e) => e.isFile()).map((e) => `.github/workflows/${e.name}`).filter((f) => pinFileKind(f) !== null);
}

/** Walk a checkout. go files come sorted by directory, a go.work before the go.mod beside it. */
export async function discoverRepo(root: string): Promise<RepoLayout> {
  const out: RepoLayout = { goFiles: [], pinFiles: [] };
  await walk(root, '.', 0, out);
  out.pinFiles.push(...(await workflowFiles(root)));
  out.goFiles.sort((a, b) => (a.dir === b.dir ? (a.kind === 'workspace' ? -1 : 1) : dirOrder(a.dir, b.dir)));
  out.pinFiles.sort();
  return out;
}

function dirOrder(a: string, b: string): number {
  if (a === '.') return -1;
  if (b === '.') return 1;
  return a < b ? -1 : 1;
}

/** The go file a repo-relative path belongs to: the one in the nearest enclosing directory (a go.work wins a tie). */
export function owningGoFile(goFiles: readonly GoFile[], path: string): GoFile | null {
  let best: GoFile | null = null;
  for (const g of goFiles) {
    const inside = g.dir === '.' || path === g.dir || path.startsWith(`${g.dir}/`);
    if (!inside) continue;
    const depth = g.dir === '.' ? 0 : g.dir.split('/').length;
    const bestDepth = best === null ? -1 : best.dir === '.' ? 0 : best.dir.split('/').length;
    if (depth > bestDepth || (depth === bestDepth && best?.kind === 'module' && g.kind === 'workspace')) best = g;
  }
  return best ?? goFiles[0] ?? null;
}
