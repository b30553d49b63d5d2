// Turn a failed go command's output into a class (build, vet, test, download, gomod), a stable code, the
// first relevant error lines and a hint. The step that failed gives the default class; what the output
// says refines it (a `go build` that could not download is a download failure, not a build failure).
// Patterns come from real go output (see testdata/go-output and repos.md). Pure.

import type { FailureClass, StepName } from '../shared/types.ts';

export interface Classified {
  class: FailureClass;
  code: string;
  /** up to three lines */
  firstError: string;
  hint: string;
}

interface Rule {
  re: RegExp;
  class: FailureClass;
  code: string;
  hint: string;
  steps?: StepName[];
  /** the line to quote: default the line `re` matches; null: the first error-looking line */
  line?: RegExp | null;
}

const RULES: Rule[] = [
  {
    re: /invalid reference to \S+/, class: 'build', code: 'LINKNAME_REFUSED',
    hint: 'A dependency reaches into the standard library with //go:linkname, which Go 1.23+ linkers refuse: upgrade it (see KNOWN_BAD_DEPENDENCY findings); -ldflags=-checklinkname=0 is only a stopgap.',
  },
  {
    re: /^go: go\.(?:mod|work) requires go >= \S+ \(running go \S+?[;)]/m, class: 'gomod', code: 'GO_LINE_ABOVE_TOOLCHAIN',
    hint: 'The go line is newer than the pinned toolchain: pick a newer target, or lower the go line if nothing needs it.',
  },
  {
    re: /^go: \S+@\S+ requires go >= \S+ \(running go \S+?[;)]/m, class: 'gomod', code: 'DEPENDENCY_NEEDS_NEWER_GO',
    hint: 'A dependency declares a go line above the target toolchain: pick a newer target or require an older version of that dependency.',
  },
  {
    re: /listed in go\.work file requires go >= \S+, but go\.work lists go/, class: 'gomod', code: 'GOWORK_BELOW_MEMBER',
    hint: 'Raise the go.work go line to its members\' (go work use, or gofleet repos bump, which bumps go.work with them).',
  },
  {
    re: /-mod may only be set to readonly or vendor when in workspace mode/, class: 'gomod', code: 'GOFLAGS_MOD_IN_WORKSPACE',
    hint: 'Remove -mod=mod from GOFLAGS for workspace builds (or set GOWORK=off).',
  },
  {
    re: /errors parsing go\.(?:mod|work)|invalid go version|unknown directive: \w+|invalid toolchain/, class: 'gomod', code: 'GOMOD_INVALID',
    hint: 'The go command cannot read go.mod/go.work: fix the reported line. Toolchains before 1.21 cannot parse 1.N.P go lines or toolchain lines.',
  },
  {
    re: /toolchain not available|download go1\S* for \S+:/, class: 'download', code: 'TOOLCHAIN_DOWNLOAD_FAILED',
    hint: 'The go command tried to download a toolchain: pin one that is installed (--toolchain DIR) or allow downloads through GOPROXY.',
  },
  {
    re: /checksum mismatch|SECURITY ERROR/, class: 'download', code: 'CHECKSUM_MISMATCH',
    hint: 'A downloaded module does not match go.sum: do not paper over it; check the proxy and the go.sum history.',
  },
  {
    re: /module lookup disabled by GOPROXY=off|dial tcp|no such host|i\/o timeout|connection refused|TLS handshake|proxyconnect|: 404 Not Found|: 410 Gone|unrecognized import path|reading (?:https?|file):\/\/\S+: |unknown revision|invalid version: /,
    class: 'download', code: 'DOWNLOAD_FAILED',
    hint: 'A module could not be downloaded: check GOPROXY/GOPRIVATE/GONOSUMDB and network access, or pre-fill the module cache.',
  },
  {
    re: /replacement directory \S+ does not exist/, class: 'gomod', code: 'REPLACE_DIR_MISSING',
    hint: 'A replace directive points at a directory that is not there: check it out next to the repository, or replace with a module version.',
  },
  {
    re: /inconsistent vendoring/, class: 'gomod', code: 'VENDOR_INCONSISTENT',
    hint: 'vendor/ does not match go.mod: run `go mod vendor` with the target toolchain and commit vendor/ (gofleet repos bump does this for modules with vendor/modules.txt).',
  },
  {
    re: /missing go\.sum entry|updates to go\.mod needed|import lookup disabled by -mod=|no required module provides package|go\.mod file not found/,
    class: 'gomod', code: 'GOMOD_OUT_OF_DATE',
    hint: 'go.mod/go.sum do not match the code: run `go mod tidy` and commit the result.',
  },
  {
    re: /^panic: test timed out after \S+/m, class: 'test', code: 'TEST_TIMEOUT', steps: ['test'],
    hint: 'A test hit the timeout: raise --test-timeout, or look for a hang (timer channels changed with asynctimerchan in 1.23).',
  },
  {
    re: /\[(?:build|setup) failed\]/, class: 'build', code: 'TEST_BUILD_FAILED', steps: ['test'], line: null,
    hint: 'Test files do not compile with the target toolchain: fix the reported line.',
  },
  {
    re: /non-constant format string in call to/, class: 'vet', code: 'VET_FAILED', steps: ['vet', 'test'],
    hint: 'From go 1.24 (go line) vet reports non-constant format strings: write Printf("%s", msg) or use Print.',
  },
];

const DEFAULTS: Record<StepName, Omit<Rule, 're'>> = {
  edit: { class: 'gomod', code: 'EDIT_FAILED', hint: 'go mod edit / go work edit failed on this file; see the message.' },
  tidy: { class: 'gomod', code: 'TIDY_FAILED', hint: '`go mod tidy` failed with the target toolchain; see the message.' },
  vendor: { class: 'gomod', code: 'VENDOR_FAILED', hint: '`go mod vendor` failed with the target toolchain; see the message (it needs every module in the module cache or through GOPROXY).' },
  deps: { class: 'gomod', code: 'DEPS_FAILED', hint: '`go list -m all` failed with the target toolchain; see the message.' },
  build: { class: 'build', code: 'BUILD_FAILED', hint: 'The code does not compile with the target toolchain: fix the reported line (or upgrade the dependency it is in).' },
  vet: { class: 'vet', code: 'VET_FAILED', hint: 'go vet of the target toolchain reports problems; fix them or the test step fails too.' },
  test: { class: 'test', code: 'TEST_FAILED', hint: 'Tests fail with the target toolchain: compare with the old one; GODEBUG default changes are a common cause.' },
};

const NOISE = /^(?:go: (?:downloading|finding|extracting|upgraded|added|found|switching) |#\s|exit status \d+$|FAIL$|ok\s|PASS$|\?\s|goroutine \d+ \[|created by |\s+\S+\.(?:go|s):\d+ \+0x|\S+\(.*\)$)/;
const ERROR_LINE = /^(?:\S+\.go:\d+(?::\d+)?: |link: |go: |verifying |panic: |--- FAIL: |\S+: )/;

/** Line i and the lines that continue it: indented ones, or any line after one ending in ':'. */
function takeWithContinuation(lines: string[], i: number, max: number): string[] {
  let start = i;
  while (start > 0 && /^\s+\S/.test(lines[start] ?? '') && (lines[start - 1] ?? '').trim() !== '' && i - start < max - 1) start--;
  const out = [lines[start]?.trim() ?? ''];
  for (let j = start + 1; j < lines.length && out.length < max; j++) {
    const l = lines[j] ?? '';
    const opens = (lines[j - 1] ?? '').trimEnd().endsWith(':') && l.trim() !== '';
    if ((!/^\s+\S/.test(l) && !opens) || /^\s+\S+\.(?:go|s):\d+ \+0x/.test(l)) break;
    out.push(l.trim());
  }
  return out;
}

function testError(lines: string[]): string[] {
  const out: string[] = [];
  const fail = lines.findIndex((l) => /^\s*--- FAIL: /.test(l));
  if (fail >= 0) out.push(...takeWithContinuation(lines, fail, 2));
  const panic = lines.findIndex((l) => l.startsWith('panic: '));
  if (panic >= 0 && out.length < 3) out.push(...takeWithContinuation(lines, panic, 3 - out.length));
  return out;
}

/** The first lines that say what went wrong (the line `hit` matched, when given). */
export function firstErrorLines(output: string, step: StepName, hit?: RegExp): string {
  const lines = output.replace(/\r/g, '').split('\n');
  if (step === 'test' && !/\[(?:build|setup) failed\]/.test(output)) {
    const t = testError(lines);
    if (t.length > 0) return t.join('\n');
  }
  let at = hit ? lines.findIndex((l) => hit.test(l)) : -1;
  if (at < 0) at = lines.findIndex((l) => ERROR_LINE.test(l) && !NOISE.test(l));
  if (at < 0) at = lines.findIndex((l) => l.trim() !== '' && !NOISE.test(l));
  if (at < 0) return output.trim().split('\n')[0] ?? '';
  return takeWithContinuation(lines, at, 3).join('\n');
}

/** Classify a failed step from its combined output. */
export function classifyFailure(step: StepName, output: string, options: { timedOut?: boolean } = {}): Classified {
  if (options.timedOut) {
    return { class: step === 'test' ? 'test' : DEFAULTS[step].class, code: 'STEP_TIMEOUT', firstError: firstErrorLines(output, step) || `${step} did not finish in time`, hint: `The ${step} step was stopped after the timeout: raise --test-timeout or look for a hang.` };
  }
  const rule = RULES.find((r) => (!r.steps || r.steps.includes(step)) && r.re.test(output));
  const chosen = rule ?? DEFAULTS[step];
  const quote = rule?.line === undefined ? rule?.re : rule.line;
  const lineRe = quote ? new RegExp(quote.source, quote.flags.replace('m', '')) : undefined;
  return { class: chosen.class, code: chosen.code, firstError: firstErrorLines(output, step, lineRe), hint: chosen.hint };
}
