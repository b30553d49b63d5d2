// A test that already fails before the bump is not the bump's fault. When tests fail on the target, the
// failing packages run again on the toolchain the module uses today, against its go.mod/go.work as they
// were: packages failing there too are `preexisting` (reported, the module does not fail for them), the
// rest are `regression`s. "Today's toolchain" follows GOTOOLCHAIN=auto: the local go, unless the old
// toolchain line (or go line) asks for a newer release. Effectful (runs go, swaps files back and forth).

import { readFile, rm, writeFile } from 'node:fs/promises';
import { compareVersions, parseVersion } from '../../releases/version.ts';
import type { ModFile } from '../shared/parse-mod-file.ts';
import { resolveToolchain } from '../shared/resolve-toolchain.ts';
import { runGo, type GoRunner } from '../shared/run-go.ts';
import type { Finding, PinnedToolchain } from '../shared/types.ts';
import { failedTestPackages } from './verify-module.ts';

export interface RerunTarget {
  /** absolute module directory */
  dir: string;
  /** absolute go.work path, or 'off' */
  gowork: string;
  /** the module's go.mod before the bump */
  before: ModFile;
  /** absolute paths -> content before the bump (null: absent), put back for the run and undone after */
  originals: Map<string, string | null>;
  /** packages that failed on the target */
  failed: string[];
  /** a directory without go.mod, for `go env` */
  cwd: string;
}

export interface RerunOutcome {
  preexisting: string[];
  regression: string[];
  /** the toolchain the failing tests ran on again (null: none could be found or run) */
  current: PinnedToolchain | null;
  findings: Finding[];
}

/** The release the module builds with today (GOTOOLCHAIN=auto): the local go or the newer one go.mod asks for. */
export async function currentVersion(r: GoRunner, before: ModFile, cwd: string): Promise<string | null> {
  const res = await r.run('go', ['env', 'GOVERSION'], { cwd, env: { ...r.env, GOTOOLCHAIN: 'local' }, timeoutMs: 60_000 });
  let version = res.exitCode === 0 && parseVersion(res.stdout.trim()) ? res.stdout.trim() : null;
  const go = before.go?.version;
  const wants = [before.toolchain?.name ?? null, go && /^1\.\d+\.\d+$/.test(go) ? `go${go}` : null];
  for (const w of wants) if (w && parseVersion(w) && (version === null || compareVersions(w, version) > 0)) version = w;
  return version;
}

async function swap(files: Map<string, string | null>): Promise<Map<string, string | null>> {
  const now = new Map<string, string | null>();
  for (const [abs, text] of files) {
    now.set(abs, await readFile(abs, 'utf8').catch(() => null));
    if (text === null) await rm(abs, { force: true });
    else await writeFile(abs, text);
  }
  return now;
}

/** Run the failed packages' tests on today's toolchain and sort them into preexisting and regression. */
export async function rerunFailedTests(r: GoRunner, t: RerunTarget): Promise<RerunOutcome> {
  const unknown = (why: string): RerunOutcome => ({
    preexisting: [], regression: [...t.failed], current: null,
    findings: [{ code: 'TEST_BASELINE_UNKNOWN', severity: 'info', message: `could not run the failing tests on the current toolchain: ${why}`, hint: 'The failure counts as a regression; run the tests with the old toolchain by hand to compare.' }],
  });
  const version = await currentVersion(r, t.before, t.cwd);
  if (version === null) return unknown('no local go');
  if (compareVersions(version, r.toolchain.version) === 0) return unknown(`the module already uses ${version}`);
  let current: PinnedToolchain;
  try {
    current = await resolveToolchain({ spec: version, env: r.env, run: r.run, cwd: t.cwd });
  } catch (err) {
    return unknown(err instanceof Error ? err.message : String(err));
  }
  const edited = await swap(t.originals);
  let output: string;
  let exitCode: number | null;
  try {
    const res = await runGo({ ...r, toolchain: current }, t.dir, t.gowork, ['test', `-timeout=${Math.max(1, Math.round(r.testTimeoutMs / 1000))}s`, ...t.failed], r.testTimeoutMs + 60_000);
    ({ output, exitCode } = res);
  } finally {
    await swap(edited);
  }
  const failing = new Set(failedTestPackages(output));
  if (exitCode !== 0 && failing.size === 0) return { ...unknown(`${current.version}: ${output.trim().split('\n')[0] ?? ''}`), current };
  const preexisting = t.failed.filter((p) => failing.has(p));
  const regression = t.failed.filter((p) => !failing.has(p));
  const findings: Finding[] = [];
  if (preexisting.length > 0) {
    findings.push({ code: 'TEST_PREEXISTING', severity: 'warn', message: `${preexisting.join(', ')}: tests fail on ${current.version} too (the toolchain the module uses today), so not because of the bump`, hint: 'Fix or skip these tests separately; they do not block the bump.' });
  }
  if (regression.length > 0) {
    findings.push({ code: 'TEST_REGRESSION', severity: 'info', message: `${regression.join(', ')}: tests pass on ${current.version} (the toolchain the module uses today) and fail on ${r.toolchain.version}`, hint: 'The bump breaks these tests: look at GODEBUG default changes for the go line range crossed.' });
  }
  return { preexisting, regression, current, findings };
}
