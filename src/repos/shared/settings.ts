// What one campaign run was asked to do, and the effects it may use (a context object: tests can swap `run`).

import type { OnExisting } from './git-branch.ts';
import type { LineOptions } from './go-line.ts';
import type { RunCommand } from './run-command.ts';
import type { CampaignCommand, PinnedToolchain, RepoResult, StepName, StepResult } from './types.ts';

/** bump --matrix: what a CI matrix without the target gets (bump/plan-pins.ts). */
export type MatrixMode = 'add' | 'replace-oldest';
export const MATRIX_MODES: readonly MatrixMode[] = ['add', 'replace-oldest'];

export interface CampaignSettings {
  command: CampaignCommand;
  toolchain: PinnedToolchain;
  /** validated --go-line / --toolchain-line */
  lines: Required<LineOptions>;
  testTimeoutMs: number;
  /** check --static: no go commands at all */
  staticOnly: boolean;
  /** bump --all-pins: rewrite .go-version, Dockerfile and CI pins too */
  allPins: boolean;
  /** bump --matrix: a CI matrix without the target gets it added, or its oldest entry replaced */
  matrix: MatrixMode;
  /** bump --commit */
  commit: { branch: string; onExisting: OnExisting } | null;
}

export type ProgressEvent =
  | { kind: 'repo-start'; repo: string }
  | { kind: 'step'; repo: string; file: string; step: StepName; status: StepResult['status']; durationMs: number }
  | { kind: 'repo-done'; repo: string; result: RepoResult };

export interface CampaignContext {
  run: RunCommand;
  /** the environment go and git run with (GOPROXY, GOFLAGS, GOMODCACHE … pass through) */
  env: NodeJS.ProcessEnv;
  /** where scratch copies, worktrees and clones go */
  tmpDir: string;
  onProgress?: (e: ProgressEvent) => void;
}
