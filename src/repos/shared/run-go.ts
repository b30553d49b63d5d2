// Run a go command for a campaign: the pinned toolchain's binary, the campaign environment (go-env.ts),
// a timeout. The outcome is data (run-command.ts); nothing here decides what a failure means.

import { goCommandEnv } from './go-env.ts';
import type { CommandResult, RunCommand } from './run-command.ts';
import type { PinnedToolchain, StepName, StepResult } from './types.ts';

export interface GoRunner {
  run: RunCommand;
  env: NodeJS.ProcessEnv;
  toolchain: PinnedToolchain;
  testTimeoutMs: number;
  onStep?: (step: StepName, status: StepResult['status'], durationMs: number) => void;
}

export const STEP_TIMEOUT_MS = 15 * 60_000;

/** `go ARGS` in `dir`, with GOWORK set to `gowork` (an absolute go.work path or 'off'). */
export function runGo(r: GoRunner, dir: string, gowork: string, args: string[], timeoutMs = STEP_TIMEOUT_MS): Promise<CommandResult> {
  return r.run(r.toolchain.go, args, { cwd: dir, env: goCommandEnv(r.env, r.toolchain, gowork), timeoutMs });
}
