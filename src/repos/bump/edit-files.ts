// The writes of a bump: go/toolchain lines through `go mod edit` / `go work edit` (run by the pinned
// toolchain, so the result does not depend on which Go happens to be on PATH), pin rewrites, and making
// `replace` directories that point outside the checkout absolute while it is built from a copy elsewhere.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { LinePlan } from '../shared/go-line.ts';
import { isLocalPath, type ModFile } from '../shared/parse-mod-file.ts';
import { applyPinActions, type PinAction } from './plan-pins.ts';
import type { CommandResult } from '../shared/run-command.ts';
import type { FileKind } from '../shared/types.ts';
import { runGo, type GoRunner } from '../shared/run-go.ts';

/** Set the go/toolchain lines of one go.mod or go.work. */
export function applyLinePlan(r: GoRunner, absFile: string, kind: FileKind, lines: LinePlan, currentToolchain: string | null): Promise<CommandResult> {
  const args = [kind === 'module' ? 'mod' : 'work', 'edit', `-go=${lines.go}`];
  // -toolchain does not exist before Go 1.21: only pass it when there is something to write or remove
  if (lines.toolchain !== null) args.push(`-toolchain=${lines.toolchain}`);
  else if (currentToolchain !== null) args.push('-toolchain=none');
  args.push(absFile);
  return runGo(r, dirname(absFile), 'off', args);
}

export interface ReplaceEdit {
  /** go mod edit flag that makes the replacement absolute */
  apply: string;
  /** go mod edit flag that puts the original text back */
  undo: string;
}

/** Replacements of `mod` (at repo-relative `dir` of `repoRoot`) whose directory lies outside the repo. */
export function externalReplaces(mod: ModFile, dir: string, repoRoot: string): ReplaceEdit[] {
  const out: ReplaceEdit[] = [];
  for (const r of mod.replaces) {
    if (!isLocalPath(r.newPath) || isAbsolute(r.newPath)) continue;
    const abs = resolve(repoRoot, dir, r.newPath);
    const rel = relative(repoRoot, abs);
    if (!rel.startsWith('..')) continue;
    const old = r.oldVersion ? `${r.oldPath}@${r.oldVersion}` : r.oldPath;
    out.push({ apply: `-replace=${old}=${abs}`, undo: `-replace=${old}=${r.newPath}` });
  }
  return out;
}

/** Apply (or undo) replace edits to the go.mod at `absFile`. */
export function editReplaces(r: GoRunner, absFile: string, flags: string[]): Promise<CommandResult> {
  return runGo(r, dirname(absFile), 'off', ['mod', 'edit', ...flags, absFile]);
}

/** Apply the planned pin actions under `root`; returns the repo-relative files that changed. */
export async function rewritePinFiles(root: string, actions: readonly PinAction[]): Promise<string[]> {
  const changed: string[] = [];
  for (const file of [...new Set(actions.map((a) => a.pin.file))]) {
    const abs = join(root, file);
    const before = await readFile(abs, 'utf8');
    const after = applyPinActions(before, actions.filter((a) => a.pin.file === file));
    if (after !== before) {
      await writeFile(abs, after);
      changed.push(file);
    }
  }
  return changed;
}

/** Contents of repo-relative files (null: absent), to tell afterwards what a run changed. */
export async function snapshotFiles(root: string, files: readonly string[]): Promise<Map<string, string | null>> {
  const snap = new Map<string, string | null>();
  for (const f of files) snap.set(f, await readFile(join(root, f), 'utf8').catch(() => null));
  return snap;
}

/** The files whose content differs from the snapshot. */
export async function changedSince(root: string, snap: Map<string, string | null>): Promise<string[]> {
  const now = await snapshotFiles(root, [...snap.keys()]);
  return [...snap.keys()].filter((f) => now.get(f) !== snap.get(f)).sort();
}

/** Put `files` back as the snapshot has them (absent ones are removed); returns those it wrote. */
export async function restoreFiles(root: string, snap: Map<string, string | null>, files: readonly string[]): Promise<string[]> {
  const restored: string[] = [];
  for (const f of files) {
    if (!snap.has(f)) continue;
    const before = snap.get(f) ?? null;
    if (before === null) await rm(join(root, f), { force: true });
    else await writeFile(join(root, f), before);
    restored.push(f);
  }
  return restored;
}
