// From the parsed go.mod/go.work files of one repo to what each one should say after the bump, and which
// go.work (if any) each module builds under. Workspaces are planned after their members so their go line
// is never below a member's. Pure.

import { posix } from 'node:path';
import type { GoFile } from '../discover/discover-repo.ts';
import { planLines, type LineOptions, type LinePlan } from '../shared/go-line.ts';
import type { ModFile } from '../shared/parse-mod-file.ts';
import { compareVersions, parseVersion } from '../../releases/version.ts';

export interface ParsedGoFile extends GoFile {
  mod: ModFile;
}

export interface FilePlan {
  file: ParsedGoFile;
  lines: LinePlan;
  /** modules: the repo-relative go.work that uses it (null: none, build with GOWORK=off) */
  workspace: string | null;
  /** workspaces: repo-relative dirs of the members found in this repo */
  members: string[];
}

/** Repo-relative directory a go.work `use` points at. */
export function memberDir(workspaceDir: string, use: string): string {
  const joined = posix.normalize(posix.join(workspaceDir === '.' ? '' : workspaceDir, use.replace(/\\/g, '/')));
  return joined === '' || joined === './' ? '.' : joined.replace(/\/$/, '');
}

function highest(versions: (string | null)[]): string | null {
  let best: string | null = null;
  for (const v of versions) if (v && parseVersion(v) && (best === null || compareVersions(v, best) > 0)) best = v;
  return best;
}

export function planRepo(files: readonly ParsedGoFile[], options: Required<LineOptions>): FilePlan[] {
  const modules = files.filter((f) => f.kind === 'module');
  const workspaces = files.filter((f) => f.kind === 'workspace');
  const membersOf = new Map(workspaces.map((w) => [w.file, w.mod.uses.map((u) => memberDir(w.dir, u)).filter((d) => modules.some((m) => m.dir === d))]));
  const moduleWorkspace = (dir: string): string | null => workspaces.find((w) => membersOf.get(w.file)?.includes(dir))?.file ?? null;
  const modulePlans = new Map(modules.map((m) => [m.dir, planLines({ go: m.mod.go?.version ?? null, toolchain: m.mod.toolchain?.name ?? null }, options)]));
  return files.map((f) => {
    if (f.kind === 'module') return { file: f, lines: modulePlans.get(f.dir) as LinePlan, workspace: moduleWorkspace(f.dir), members: [] };
    const members = membersOf.get(f.file) ?? [];
    const floor = highest(members.map((d) => modulePlans.get(d)?.go ?? null));
    const lines = planLines({ go: f.mod.go?.version ?? null, toolchain: f.mod.toolchain?.name ?? null }, options, floor);
    return { file: f, lines, workspace: null, members };
  });
}
