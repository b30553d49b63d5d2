// Dependency versions known to break on newer toolchains (repos.md §3, "Known breakages"). A rule fires
// when the target toolchain is at or past `since` and the required version is below `fixedIn` (or matches
// `applies`). Pure.

import { compareVersions } from '../../releases/version.ts';
import { compareModuleVersions, pseudoVersionTime } from './module-version.ts';
import type { Finding, Severity } from '../shared/types.ts';

export interface KnownBadRule {
  /** module path */
  module: string;
  /** first toolchain that breaks it */
  since: string;
  /** first good version; null: no fixed version (every version is affected) */
  fixedIn: string | null;
  /** an extra test on the version (e.g. pseudo-versions before a date) */
  applies?: (version: string) => boolean;
  severity: Severity;
  /** what goes wrong, with the error text users see */
  symptom: string;
  hint: string;
}

const LINKNAME = 'Go 1.23+ linkers refuse //go:linkname references into the standard library that are not allow-listed';

export const KNOWN_BAD: readonly KnownBadRule[] = [
  {
    module: 'golang.org/x/tools', since: 'go1.25', fixedIn: 'v0.26.0', severity: 'fail',
    symptom: 'does not compile: internal/tokeninternal/tokeninternal.go: invalid array length -delta * delta (golang/go#74462)',
    hint: 'Upgrade golang.org/x/tools to v0.26.0 or later (go get golang.org/x/tools@latest).',
  },
  {
    module: 'github.com/bytedance/sonic', since: 'go1.23', fixedIn: 'v1.12.0', severity: 'fail',
    symptom: `fails to link: "github.com/bytedance/sonic/ast: invalid reference to encoding/json.safeSet" (${LINKNAME}; sonic#660)`,
    hint: 'Upgrade github.com/bytedance/sonic to v1.12.0 or later; -ldflags=-checklinkname=0 is only a stopgap.',
  },
  {
    module: 'github.com/fjl/memsize', since: 'go1.23', fixedIn: null, severity: 'fail',
    symptom: `fails to link: "github.com/fjl/memsize: invalid reference to runtime.stopTheWorld" (${LINKNAME})`,
    hint: 'Remove github.com/fjl/memsize (go-ethereum dropped it) or build with -ldflags=-checklinkname=0 as a stopgap.',
  },
  {
    module: 'github.com/grafana/pyroscope-go/godeltaprof', since: 'go1.23', fixedIn: 'v0.1.7', severity: 'fail',
    symptom: 'does not compile: "undefined: runtime_cyclesPerSecond" (reported for v0.1.6, juicefs#5047)',
    hint: 'Upgrade github.com/grafana/pyroscope-go/godeltaprof to the latest release.',
  },
  {
    module: 'github.com/modern-go/reflect2', since: 'go1.18', fixedIn: 'v1.0.2', severity: 'fail',
    symptom: 'crashes at run time: "fatal error: fault … reflect2.(*UnsafeMapType).UnsafeIterate" (map iteration ABI; reflect2#26)',
    hint: 'Upgrade github.com/modern-go/reflect2 to v1.0.2 (and github.com/json-iterator/go to v1.1.12).',
  },
  {
    module: 'github.com/json-iterator/go', since: 'go1.18', fixedIn: 'v1.1.12', severity: 'fail',
    symptom: 'crashes at run time through github.com/modern-go/reflect2 < v1.0.2 (map iteration ABI)',
    hint: 'Upgrade github.com/json-iterator/go to v1.1.12 or later.',
  },
  {
    module: 'golang.org/x/sys', since: 'go1.18', fixedIn: null, severity: 'warn',
    applies: (v) => (pseudoVersionTime(v) ?? '99999999999999') < '20201202000000',
    symptom: 'darwin builds fail: "unix/zsyscall_darwin_amd64.go:28:3: //go:linkname must refer to declared function or variable" (golang/go#51706)',
    hint: 'Upgrade golang.org/x/sys (any release from 2021 on) if anything builds for darwin.',
  },
];

export interface Dependency {
  path: string;
  version: string;
}

function isAffected(rule: KnownBadRule, version: string): boolean {
  if (rule.applies && !rule.applies(version)) return false;
  return rule.fixedIn === null || compareModuleVersions(version, rule.fixedIn) < 0;
}

export interface KnownBadOptions {
  rules?: readonly KnownBadRule[];
  /**
   * modules with a package the module builds (`go list -deps -test ./...`). Given, a dependency that is
   * only in the module graph (`go list -m all`) is never compiled, so its rule cannot bite: info, not the
   * rule's severity (zap's benchmarks module has an old golang.org/x/tools that `go mod why` says is unused).
   */
  built?: ReadonlySet<string>;
}

/** Findings for every dependency version that the table says breaks on `target` (a toolchain version). */
export function knownBadFindings(deps: readonly Dependency[], target: string, options: KnownBadOptions = {}): Finding[] {
  const rules = options.rules ?? KNOWN_BAD;
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const dep of deps) {
    for (const rule of rules) {
      if (rule.module !== dep.path || compareVersions(target, rule.since) < 0 || !isAffected(rule, dep.version)) continue;
      const key = `${dep.path}@${dep.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const range = rule.fixedIn ? ` (fixed in ${rule.fixedIn})` : '';
      if (options.built && !options.built.has(dep.path)) {
        findings.push({
          code: 'KNOWN_BAD_DEPENDENCY', severity: 'info',
          message: `${key}${range} is in the module graph but no package of it is built (go list -deps -test ./...), so it cannot break the build: ${rule.symptom}`,
          hint: `Nothing to do for this module; ${rule.hint}`,
        });
        continue;
      }
      findings.push({
        code: 'KNOWN_BAD_DEPENDENCY',
        severity: rule.severity,
        message: `${key}${range} is known to break from ${rule.since} on: ${rule.symptom}`,
        hint: rule.hint,
      });
    }
  }
  return findings;
}
