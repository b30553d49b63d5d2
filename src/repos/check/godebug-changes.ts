// Behaviour that follows the main module's go line rather than the toolchain (repos.md §3): GODEBUG
// defaults (go.dev/doc/godebug; go lines below 1.20 act as 1.20) and a few language/vet changes. Crossing a
// version when the go line is raised changes behaviour without any compile error, so a bump surfaces them.
// Pure.

import { compareVersions, parseVersion } from '../../releases/version.ts';
import type { Finding } from '../shared/types.ts';

/** GODEBUG settings whose default changes when the go line reaches the key (a language version). */
export const GODEBUG_DEFAULTS: Readonly<Record<string, readonly string[]>> = {
  '1.21': ['panicnil=0 (panic(nil) becomes a run-time error)'],
  '1.22': [
    'httpmuxgo121=0 (new ServeMux patterns; old registrations can conflict or panic)',
    'tls10server=0 (TLS 1.2 minimum for servers)',
    'tlsrsakex=0 (RSA key exchange suites removed)',
    'httplaxcontentlength=0',
    'gotypesalias=0',
    'x509usepolicies',
  ],
  '1.23': [
    'asynctimerchan=0 (unbuffered timer channels)',
    'tls3des=0',
    'x509negativeserial=0',
    'x509keypairleaf=1',
    'httpservecontentkeepheaders=0',
    'winsymlink, winreadlinkvolume',
    'tlskyber=1 (post-quantum key exchange on; some middleboxes break)',
  ],
  '1.24': [
    'randseednop=1 (rand.Seed is a no-op)',
    'rsa1024min=1',
    'x509rsacrt',
    'x509usepolicies=1',
    'tlsmlkem=1',
    'multipathtcp=2',
    'gotestjsonbuildtext',
    'x509sha1 removed (SHA-1 certificate signatures are no longer verifiable)',
  ],
  '1.25': [
    'decoratemappings=1',
    'embedfollowsymlinks=0',
    'containermaxprocs/updatemaxprocs (cgroup-aware GOMAXPROCS)',
    'tlssha1=0',
    'x509sha256skid=1',
    'allowmultiplevcs=0',
  ],
  '1.26': ['urlstrictcolons=1', 'tracebacklabels=1'],
};

/** Language and vet changes tied to the go line. */
export const LANGUAGE_CHANGES: Readonly<Record<string, string>> = {
  '1.22': 'for-loop variables are per iteration (goroutines/closures capturing the loop variable behave differently; check with -gcflags=-d=loopvar=2)',
  '1.24': 'go vet (and the vet run by go test) reports non-constant format strings in Printf-style calls',
};

function effective(goLine: string | null): string {
  const v = goLine ? parseVersion(goLine) : null;
  if (!v || compareVersions(`${v.major}.${v.minor}`, '1.20') < 0) return '1.20';
  return `${v.major}.${v.minor}`;
}

/** Language versions in (from, to], in order. */
function crossed(table: Readonly<Record<string, unknown>>, from: string | null, to: string): string[] {
  const lo = effective(from);
  const hi = effective(to);
  return Object.keys(table)
    .filter((k) => compareVersions(k, lo) > 0 && compareVersions(k, hi) <= 0)
    .sort(compareVersions);
}

/** The `godebug default=go1.X` of a go.mod, which freezes the defaults (null when absent). */
export function godebugDefault(godebug: readonly { key: string; value: string }[]): string | null {
  return godebug.find((g) => g.key === 'default')?.value ?? null;
}

/** info findings for what changes behaviour when the go line moves from `from` to `to`. */
export function behaviourFindings(from: string | null, to: string, godebug: readonly { key: string; value: string }[] = []): Finding[] {
  const findings: Finding[] = [];
  const frozen = godebugDefault(godebug);
  const versions = crossed(GODEBUG_DEFAULTS, from, to);
  if (versions.length > 0 && frozen === null) {
    findings.push({
      code: 'GODEBUG_DEFAULTS_CHANGE',
      severity: 'info',
      message: `raising the go line from ${from ?? '1.16 (none)'} to ${to} changes GODEBUG defaults: ` +
        versions.map((v) => `${v}: ${(GODEBUG_DEFAULTS[v] ?? []).join('; ')}`).join(' | '),
      hint: 'Behaviour changes, not build errors: test what these touch (HTTP routing, TLS, timers, x509), or keep old defaults with `godebug default=go1.X` / //go:debug lines.',
    });
  }
  for (const v of crossed(LANGUAGE_CHANGES, from, to)) {
    findings.push({ code: 'LANGUAGE_CHANGE', severity: 'info', message: `go ${v}: ${LANGUAGE_CHANGES[v]}`, hint: 'Covered by the build, vet and test steps; review code they do not exercise.' });
  }
  return findings;
}
