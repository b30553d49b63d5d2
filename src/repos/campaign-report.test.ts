import { test } from 'node:test';
import assert from 'node:assert/strict';
import { campaignJson, campaignPassed, campaignTable, findingsText } from './campaign-report.ts';
import type { ModuleResult, RepoResult } from './shared/types.ts';

function mod(over: Partial<ModuleResult>): ModuleResult {
  return {
    dir: '.', kind: 'module', module: 'example.com/a', from: '1.22', to: '1.27.0', toolchainFrom: null, toolchainTo: 'go1.27.3',
    result: 'pass', class: null, findings: [], firstError: null, steps: [{ name: 'build', status: 'pass', durationMs: 12 }], changed: [], ...over,
  };
}

const repos: RepoResult[] = [
  {
    path: '/r/a', source: null, git: null, error: null,
    modules: [
      mod({ kind: 'workspace', module: null, result: 'warn', findings: [{ code: 'GOWORK_BELOW_MEMBER', severity: 'warn', message: 'go.work lists go 1.21', hint: 'bump it' }] }),
      mod({ dir: 'svc', result: 'fail', class: 'build', firstError: 'link: x: invalid reference to runtime.stopTheWorld\nmore', findings: [{ code: 'GODEBUG_DEFAULTS_CHANGE', severity: 'info', message: 'm', hint: 'h' }] }),
    ],
  },
  { path: '/r/b', source: null, git: null, modules: [], error: { code: 'REPO_NO_MODULES', message: '/r/b: no go.mod or go.work found', hint: 'h' } },
  { path: '/r/c', source: null, modules: [], error: null, git: { branch: 'gofleet/go1.27.3', base: 'a'.repeat(40), commit: 'b'.repeat(40), action: 'skipped' } },
];

const name = (r: RepoResult): string => r.path.slice(3);

test('the campaign table has one row per go file, errors and skipped branches', () => {
  assert.equal(campaignTable(repos, name, 40), [
    'repo  module      from  to      result   class            first error',
    '----  ----------  ----  ------  -------  ---------------  ----------------------------------------',
    'a     go.work     1.22  1.27.0  warn     -',
    'a     svc/go.mod  1.22  1.27.0  fail     build            link: x: invalid reference to runtime.s…',
    'b     -           -     -       error    REPO_NO_MODULES  /r/b: no go.mod or go.work found',
    'c     -           -     -       skipped  -                branch gofleet/go1.27.3 exists',
    '',
  ].join('\n'));
});

test('findingsText lists warn/fail findings with hints, errors, git outcomes and counts info findings', () => {
  const text = findingsText(repos, name);
  assert.match(text, /^a go\.work: warn GOWORK_BELOW_MEMBER: go\.work lists go 1\.21\n {4}hint: bump it\n/);
  assert.match(text, /b: error REPO_NO_MODULES: .*\n {4}hint: h\n/);
  assert.match(text, /c: branch gofleet\/go1\.27\.3 skipped at bbbbbbbbbbbb \(base aaaaaaaaaaaa\)\n/);
  assert.match(text, /\(1 informational finding — /);
  assert.doesNotMatch(text, /GODEBUG_DEFAULTS_CHANGE/);
});

test('the JSON document keeps the DESIGN.md names and adds snake_case extras', () => {
  const doc = campaignJson({ command: 'check', toolchain: { version: 'go1.27.3', go: '/g/bin/go', gotoolchain: 'local', how: 'x' }, repos }) as {
    repos: { modules: Record<string, unknown>[] }[];
    summary: unknown;
  };
  const m = doc.repos[0]?.modules[1] ?? {};
  for (const key of ['dir', 'from', 'to', 'result', 'class', 'findings', 'first_error']) assert.ok(key in m, key);
  assert.equal(m.first_error, 'link: x: invalid reference to runtime.stopTheWorld\nmore');
  assert.deepEqual(m.steps, [{ name: 'build', status: 'pass', duration_ms: 12 }]);
  assert.deepEqual((m.findings as unknown[])[0], { code: 'GODEBUG_DEFAULTS_CHANGE', message: 'm', hint: 'h', severity: 'info' });
  assert.deepEqual(doc.summary, { pass: 0, warn: 1, fail: 1, errors: 1 });
});

test('campaignPassed: no failed module, no repo error, nothing left uncommitted', () => {
  assert.equal(campaignPassed(repos), false);
  assert.equal(campaignPassed([repos[2] as RepoResult]), true);
  assert.equal(campaignPassed([{ ...(repos[2] as RepoResult), git: { branch: 'b', base: 'x', commit: null, action: 'not-committed' } }]), false);
  assert.equal(campaignPassed([{ ...(repos[0] as RepoResult), modules: [mod({ result: 'warn' })] }]), true);
});
