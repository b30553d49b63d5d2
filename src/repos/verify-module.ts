// The dynamic steps for one module, with the pinned toolchain: go mod tidy, go list -m all (dependency go
// lines and versions), go build ./..., go vet ./..., go test ./... (with a timeout). Stops at the first
// failing step and classifies it. Effectful (runs go); the judgement lives in classify-failure.ts.

import { devNull } from 'node:os';
import { compareVersions, parseVersion } from '../releases/version.ts';
import { classifyFailure, type Classified } from './classify-failure.ts';
import { knownBadFindings, type Dependency } from './known-bad.ts';
import { runGo, STEP_TIMEOUT_MS, type GoRunner } from './run-go.ts';
import type { Finding, StepName, StepResult } from './types.ts';

export interface VerifyTarget {
  /** absolute module directory */
  dir: string;
  /** absolute go.work path for workspace members, else 'off' */
  gowork: string;
}

export interface VerifyOutcome {
  steps: StepResult[];
  failure: (Classified & { step: StepName }) | null;
  findings: Finding[];
}

const NO_PACKAGES = /matched no packages|^no packages to (?:vet|test)$/m;

function depsFindings(stdout: string, target: string): Finding[] {
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
  return [...out, ...knownBadFindings(deps, target)];
}

function stepArgs(step: StepName, testTimeoutMs: number): string[] {
  switch (step) {
    case 'tidy':
      return ['mod', 'tidy'];
    case 'deps':
      return ['list', '-m', '-f', '{{.Path}}\t{{.Version}}\t{{.GoVersion}}\t{{.Main}}', 'all'];
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

/** Run `steps` in order (tidy, deps, build, vet, test), stopping at the first failure. */
export async function verifyModule(r: GoRunner, target: VerifyTarget, steps: readonly StepName[]): Promise<VerifyOutcome> {
  const results: StepResult[] = [];
  const findings: Finding[] = [];
  for (const step of steps) {
    // go mod tidy works on one module and ignores go.work; run it so, with GOFLAGS as given
    const gowork = step === 'tidy' ? 'off' : target.gowork;
    const timeout = step === 'test' ? r.testTimeoutMs + 60_000 : STEP_TIMEOUT_MS;
    const res = await runGo(r, target.dir, gowork, stepArgs(step, r.testTimeoutMs), timeout);
    const ok = res.exitCode === 0 || (!res.timedOut && (step === 'vet' || step === 'test') && NO_PACKAGES.test(res.output) && !/^(?:FAIL|---)/m.test(res.output));
    results.push({ name: step, status: ok ? 'pass' : 'fail', durationMs: res.durationMs });
    r.onStep?.(step, ok ? 'pass' : 'fail', res.durationMs);
    if (step === 'deps' && ok) findings.push(...depsFindings(res.stdout, r.toolchain.version));
    if (!ok) {
      const c = classifyFailure(step, res.output, { timedOut: res.timedOut });
      for (const rest of steps.slice(steps.indexOf(step) + 1)) results.push({ name: rest, status: 'skipped', durationMs: 0 });
      return { steps: results, failure: { ...c, step }, findings };
    }
  }
  return { steps: results, failure: null, findings };
}
