// The dynamic steps for one module, with the pinned toolchain: go mod tidy, go mod vendor (vendored modules
// only), go list -m all (dependency go lines and versions), go build ./..., go vet ./..., go test ./... (with
// a timeout). Stops at the first failing step and classifies it. Effectful (runs go); the judgement lives in classify-failure.ts.
// When the go line crossed 1.22, a passing build is followed by the loop-variable listing (loopvar.ts): info
// findings, never a failure, and not a step of its own.

import { readFile } from 'node:fs/promises';
import { devNull } from 'node:os';
import { join } from 'node:path';
import { compareVersions, parseVersion } from '../../releases/version.ts';
import { classifyFailure, type Classified } from './classify-failure.ts';
import { knownBadFindings, type Dependency } from './known-bad.ts';
import { crossesLoopvar, listLoopvarChanges } from './loopvar.ts';
import { parseModFile } from '../shared/parse-mod-file.ts';
import { runGo, STEP_TIMEOUT_MS, type GoRunner } from '../shared/run-go.ts';
import type { Finding, StepName, StepResult } from '../shared/types.ts';

export interface VerifyTarget {
  /** absolute module directory */
  dir: string;
  /** absolute go.work path for workspace members, else 'off' */
  gowork: string;
  /**
   * the go line before the edit (null: the file had none). Given, and the go line in `dir`/go.mod is at
   * 1.22 or later after the build while this is below, the loops that become per-iteration are listed.
   */
  goFrom?: string | null;
  /**
   * the module has vendor/modules.txt: a `vendor` step follows `tidy`, and `go list -m all` (which the go
   * command refuses in vendor mode) runs with -mod=readonly
   */
  vendor?: boolean;
}

export interface VerifyOutcome {
  steps: StepResult[];
  failure: (Classified & { step: StepName }) | null;
  findings: Finding[];
  /**
   * the deps step passed and the built modules are known: its KNOWN_BAD_DEPENDENCY findings (selected
   * versions, graph-only ones as info) replace those read statically from go.mod
   */
  knownBadFromGraph: boolean;
  /** a failed test step: the packages `go test` reported FAIL for (import paths) */
  failedPackages: string[];
}

const NO_PACKAGES = /matched no packages|^no packages to (?:vet|test)$/m;

/** Modules with a package the module builds, tests included (`go list -e -deps -test ./...`); null: unknown. */
async function builtModules(r: GoRunner, target: VerifyTarget): Promise<Set<string> | null> {
  const args = ['list', '-e', '-deps', '-test', ...(target.vendor ? ['-mod=readonly'] : []), '-f', '{{with .Module}}{{.Path}}{{end}}', './...'];
  const res = await runGo(r, target.dir, target.gowork, args);
  if (res.exitCode !== 0) return null;
  return new Set(res.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== ''));
}

function depsFindings(stdout: string, target: string, built: Set<string> | null): Finding[] {
  const deps: Dependency[] = [];
  const out: Finding[] = [];
  for (const line of stdout.split('\n')) {
    const [path, version, goVersion, main] = line.split('\t');
    if (!path || main === 'true') continue;
    if (version) deps.push({ path, version });
    if (goVersion && parseVersion(goVersion) && compareVersions(goVersion, target) > 0) {
      out.push({
        code: 'DEPENDENCY_GO_LINE_ABOVE_TARGET', severity: 'fail',
        message: `${path}@${version} declares go ${goVersion}, newer than the target ${target}`,
        hint: 'The module go line may not be below its dependencies\': pick a newer target or an older version of the dependency.',
      });
    }
  }
  return [...out, ...knownBadFindings(deps, target, built ? { built } : {})];
}

function stepArgs(step: StepName, testTimeoutMs: number, vendor: boolean): string[] {
  switch (step) {
    case 'tidy':
      return ['mod', 'tidy'];
    case 'vendor':
      return ['mod', 'vendor'];
    case 'deps':
      return ['list', '-m', ...(vendor ? ['-mod=readonly'] : []), '-f', '{{.Path}}\t{{.Version}}\t{{.GoVersion}}\t{{.Main}}', 'all'];
    case 'build':
      // a lone main package would otherwise leave its binary in the checkout
      return ['build', '-o', devNull, './...'];
    case 'vet':
      return ['vet', './...'];
    case 'test':
      return ['test', `-timeout=${Math.max(1, Math.round(testTimeoutMs / 1000))}s`, './...'];
    case 'edit':
      return [];
  }
}

/** The listing, when the module's go line (as it reads now, after edit and tidy) crossed 1.22. */
async function loopvarFindings(r: GoRunner, target: VerifyTarget, from: string | null): Promise<Finding[]> {
  const text = await readFile(join(target.dir, 'go.mod'), 'utf8').catch(() => null);
  const to = text === null ? null : (parseModFile(text, 'module').go?.version ?? null);
  return to !== null && crossesLoopvar(from, to) ? listLoopvarChanges(r, target.dir, target.gowork) : [];
}

/** Import paths `go test` reported as failing (`FAIL\tpath\t0.01s`, `FAIL\tpath [build failed]`). */
export function failedTestPackages(output: string): string[] {
  const out = new Set<string>();
  for (const m of output.matchAll(/^FAIL\t(\S+)(?:\t| \[)/gm)) if (m[1]) out.add(m[1]);
  return [...out];
}

/** `steps` with `vendor` after `tidy` for a vendored module (and without it otherwise). */
export function stepsFor(steps: readonly StepName[], vendor: boolean): StepName[] {
  const out: StepName[] = steps.filter((s) => s !== 'vendor');
  const at = out.indexOf('tidy');
  if (vendor) out.splice(at + 1, 0, 'vendor');
  return out;
}

/** Run `steps` in order (tidy, vendor, deps, build, vet, test), stopping at the first failure. */
export async function verifyModule(r: GoRunner, target: VerifyTarget, requested: readonly StepName[]): Promise<VerifyOutcome> {
  const results: StepResult[] = [];
  const findings: Finding[] = [];
  const vendor = target.vendor === true;
  const steps = stepsFor(requested, vendor);
  let knownBadFromGraph = false;
  for (const step of steps) {
    // go mod tidy / go mod vendor work on one module and ignore go.work; run them so, with GOFLAGS as given
    const gowork = step === 'tidy' || step === 'vendor' ? 'off' : target.gowork;
    const timeout = step === 'test' ? r.testTimeoutMs + 60_000 : STEP_TIMEOUT_MS;
    const res = await runGo(r, target.dir, gowork, stepArgs(step, r.testTimeoutMs, vendor), timeout);
    const ok = res.exitCode === 0 || (!res.timedOut && (step === 'vet' || step === 'test') && NO_PACKAGES.test(res.output) && !/^(?:FAIL|---)/m.test(res.output));
    results.push({ name: step, status: ok ? 'pass' : 'fail', durationMs: res.durationMs });
    r.onStep?.(step, ok ? 'pass' : 'fail', res.durationMs);
    if (step === 'deps' && ok) {
      const built = await builtModules(r, target);
      knownBadFromGraph = built !== null;
      findings.push(...depsFindings(res.stdout, r.toolchain.version, built));
    }
    if (step === 'build' && ok && target.goFrom !== undefined) findings.push(...(await loopvarFindings(r, target, target.goFrom)));
    if (!ok) {
      const c = classifyFailure(step, res.output, { timedOut: res.timedOut });
      for (const rest of steps.slice(steps.indexOf(step) + 1)) results.push({ name: rest, status: 'skipped', durationMs: 0 });
      const failedPackages = step === 'test' ? failedTestPackages(res.output) : [];
      return { steps: results, failure: { ...c, step }, findings, knownBadFromGraph, failedPackages };
    }
  }
  return { steps: results, failure: null, findings, knownBadFromGraph, failedPackages: [] };
}
