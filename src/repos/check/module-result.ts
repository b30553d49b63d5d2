// From what happened to one go.mod / go.work (plan, findings, steps, failure, the file afterwards) to the
// ModuleResult the report and JSON show. Pure.

import type { Classified } from './classify-failure.ts';
import type { ModFile } from '../shared/parse-mod-file.ts';
import type { FilePlan } from '../bump/plan-repo.ts';
import type { FailureClass, Finding, ModuleResult, ModuleResultKind, StepName, StepResult } from '../shared/types.ts';

export interface Entry {
  plan: FilePlan;
  findings: Finding[];
  steps: StepResult[];
  failure: (Classified & { step: StepName }) | null;
  /** the file as it reads after the run (null: not re-read, e.g. check --static) */
  after: ModFile | null;
  changed: string[];
}

export function newEntry(plan: FilePlan): Entry {
  return { plan, findings: [], steps: [], failure: null, after: null, changed: [] };
}

/** Append findings, dropping exact repeats (the same known-bad dependency from go.mod and from go list). */
export function addFindings(e: Entry, findings: readonly Finding[]): void {
  for (const f of findings) if (!e.findings.some((x) => x.code === f.code && x.message === f.message)) e.findings.push(f);
}

export function resultKind(findings: readonly Finding[]): ModuleResultKind {
  if (findings.some((f) => f.severity === 'fail')) return 'fail';
  if (findings.some((f) => f.severity === 'warn')) return 'warn';
  return 'pass';
}

export function failureFinding(failure: Classified & { step: StepName }): Finding {
  const first = failure.firstError.split('\n')[0] ?? '';
  return { code: failure.code, severity: 'fail', message: `${failure.step} failed: ${first}`, hint: failure.hint };
}

/** Codes whose failing finding means the build breaks (the rest are go.mod/go.work matters). */
const BUILD_FINDINGS = new Set(['KNOWN_BAD_DEPENDENCY']);

/**
 * The class and first error of a module that fails by a finding, with no failed step (a known-bad
 * dependency, a go line above the target): the table row still says what is wrong.
 */
function findingFailure(findings: readonly Finding[]): { class: FailureClass; firstError: string } | null {
  const f = findings.find((x) => x.severity === 'fail');
  if (!f) return null;
  return { class: BUILD_FINDINGS.has(f.code) ? 'build' : 'gomod', firstError: `${f.code}: ${f.message}` };
}

export function toModuleResult(e: Entry): ModuleResult {
  const f = e.plan.file;
  const findings = e.failure ? [...e.findings, failureFinding(e.failure)] : [...e.findings];
  const byFinding = e.failure ? null : findingFailure(findings);
  const to = e.after?.go?.version ?? e.plan.lines.go;
  const toolchainTo = e.after ? (e.after.toolchain?.name ?? null) : e.plan.lines.toolchain;
  return {
    dir: f.dir,
    kind: f.kind,
    module: f.mod.module,
    from: f.mod.go?.version ?? null,
    to,
    toolchainFrom: f.mod.toolchain?.name ?? null,
    toolchainTo,
    result: resultKind(findings),
    class: e.failure?.class ?? byFinding?.class ?? null,
    findings,
    firstError: e.failure?.firstError ?? byFinding?.firstError ?? null,
    steps: e.steps,
    changed: e.changed,
  };
}
