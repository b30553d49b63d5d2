// The pieces of `npm run demo` that decide where things go and what hosts are called, apart from the run
// itself so that they can be tested (test/e2e/demo-parts.test.ts) without starting a fleet.

import { readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the demo keeps its toolchain archives (~150 MB, reused by the next demo): a user cache directory,
 * never the checkout (the test suite keeps its own in .cache/fixtures). GOFLEET_FIXTURES_DIR still wins.
 */
export function demoFixturesDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env.GOFLEET_FIXTURES_DIR) return env.GOFLEET_FIXTURES_DIR;
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'gofleet-demo');
}

/** The names the demo's inventory gives its hosts: every line the demo prints about a host uses these. */
export function demoHostNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `demo-${i + 1}`);
}

/** What of the demo's work directory stays after it: the journal and its run logs (the log path it printed). */
export const KEPT = ['state'];

/**
 * Remove the throwaway fleet (hosts, archives, release source) from `work` and keep the journal and run logs,
 * so that the log path the summary printed, `history` and `show` still work after the demo. Returns the
 * kept paths.
 */
export function tidyDemoDir(work: string): string[] {
  for (const entry of readdirSync(work)) {
    if (!KEPT.includes(entry)) rmSync(join(work, entry), { recursive: true, force: true });
  }
  return readdirSync(work).map((entry) => join(work, entry));
}
