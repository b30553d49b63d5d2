// Shared shapes of the repository side (`gofleet repos check|bump`). The JSON document printed by
// `--json` is built from these (DESIGN.md: repos, modules, from, to, result, class, findings, first_error).

import type { PublishOutcome } from './publish-outcome.ts';

/** How a module's run ended: `warn` means it builds and tests, but something needs a human look. */
export type ModuleResultKind = 'pass' | 'warn' | 'fail';

/** What kind of failure: the step that failed, refined by what its output says. */
export type FailureClass = 'build' | 'vet' | 'test' | 'download' | 'gomod';

/** `info` never changes a result; `warn` makes it warn; `fail` makes it fail. */
export type Severity = 'info' | 'warn' | 'fail';

export interface Finding {
  /** stable, SCREAMING_SNAKE (see docs/repos.md for the list) */
  code: string;
  message: string;
  hint: string;
  severity: Severity;
  /** LOOPVAR_PER_ITERATION only: the loops whose variable becomes per-iteration (loopvar.ts) */
  loops?: LoopvarChange[];
}

/** One loop the compiler lists under -d=loopvar=2 once the go line is 1.22 or later. */
export interface LoopvarChange {
  /** relative to the module directory, slash-separated */
  file: string;
  line: number;
  col: number;
  variable: string;
  /** heap: the variable escapes (a closure or &x outlives the iteration); stack: it does not */
  alloc: 'heap' | 'stack';
}

/** The steps run against every module (in a scratch copy for check, in place for bump); `vendor` only for
 * modules with vendor/modules.txt. */
export type StepName = 'edit' | 'tidy' | 'vendor' | 'deps' | 'build' | 'vet' | 'test';

export interface StepResult {
  name: StepName;
  status: 'pass' | 'fail' | 'skipped';
  durationMs: number;
}

export type FileKind = 'module' | 'workspace';

export interface ModuleResult {
  /** directory of the go.mod / go.work, relative to the repo ('.' for the root) */
  dir: string;
  kind: FileKind;
  /** the module path (null for a go.work) */
  module: string | null;
  /** the go line before (null when the file has none) */
  from: string | null;
  /** the go line after the bump */
  to: string;
  toolchainFrom: string | null;
  /** the toolchain line after the bump (null: none written) */
  toolchainTo: string | null;
  result: ModuleResultKind;
  class: FailureClass | null;
  findings: Finding[];
  firstError: string | null;
  steps: StepResult[];
  /** files (relative to the repo) this run changed: bump only */
  changed: string[];
}

export type GitAction = 'created' | 'replaced' | 'unchanged' | 'skipped' | 'up-to-date' | 'not-committed';

export interface GitOutcome {
  branch: string;
  /** the commit the branch was cut from */
  base: string;
  /** the branch tip after this run (null when nothing was committed) */
  commit: string | null;
  action: GitAction;
}

export interface RepoResult {
  /** absolute path of the checkout that was worked on */
  path: string;
  /** the clone URL when the repo was given as a URL */
  source: string | null;
  modules: ModuleResult[];
  git: GitOutcome | null;
  error: { code: string; message: string; hint: string } | null;
  /** bump --push/--pr: what happened on the remote and the forge (absent when not asked or nothing to push) */
  publish?: PublishOutcome;
}

export type CampaignCommand = 'check' | 'bump';

export interface PinnedToolchain {
  /** go1.27.3 */
  version: string;
  /** the go binary to run */
  go: string;
  /** GOTOOLCHAIN for every go command: `local` for a found binary, the version when the go command must switch */
  gotoolchain: string;
  /** how it was found, for messages */
  how: string;
}
