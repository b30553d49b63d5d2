// The loop-variable listing: the parser on real compiler output (testdata/go-output/loopvar-*-go1.26.8.txt,
// captured with /usr/local/go go1.26.8 from a module bumped from `go 1.21` to `go 1.26.0`), the 1.22 crossing
// rule, verifyModule's wiring (scripted go, real go.mod files) and the report. The real toolchain runs in
// test/e2e/repos-loopvar.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { campaignJson, campaignTable } from '../campaign-report.ts';
import { crossesLoopvar, LOOPVAR_CODE, LOOPVAR_HINT, loopvarArgs, loopvarFinding, parseLoopvarOutput } from './loopvar.ts';
import type { RunCommand } from '../shared/run-command.ts';
import type { GoRunner } from '../shared/run-go.ts';
import type { ModuleResult, PinnedToolchain, RepoResult } from '../shared/types.ts';
import { verifyModule } from './verify-module.ts';

const captured = (name: string): string => readFileSync(new URL(`./testdata/go-output/${name}.txt`, import.meta.url), 'utf8');

const EXPECTED = [
  { file: 'main.go', line: 11, col: 9, variable: 'v', alloc: 'heap' },
  { file: 'main.go', line: 15, col: 6, variable: 'i', alloc: 'stack' },
  { file: 'store/store.go', line: 6, col: 9, variable: 'n', alloc: 'heap' },
];

test('go list -export -test output: each loop once, test files included, inlined copies and headers skipped', () => {
  assert.deepEqual(parseLoopvarOutput(captured('loopvar-list-go1.26.8')), [
    ...EXPECTED,
    { file: 'store/store_test.go', line: 7, col: 9, variable: 'name', alloc: 'stack' },
  ]);
});

test('go build output (no test files) parses the same way', () => {
  assert.deepEqual(parseLoopvarOutput(captured('loopvar-build-go1.26.8')), EXPECTED);
});

test('other lines are not loops: errors, package lines, the hash-bisect form without allocation', () => {
  const text = [
    '# example.com/x',
    'x.go:3:23: cannot use "s" (untyped string constant) as int value in return statement',
    'x.go:9:2: loop variable v now per-iteration',
    'example.com/x',
    'C:/src/x.go:4:5: loop variable k now per-iteration, stack-allocated\r',
  ].join('\n');
  assert.deepEqual(parseLoopvarOutput(text), [{ file: 'C:/src/x.go', line: 4, col: 5, variable: 'k', alloc: 'stack' }]);
});

test('1.22 is crossed only from below 1.22 to 1.22 or later; a missing go line is 1.16', () => {
  const cases: [string | null, string | null, boolean][] = [
    ['1.21', '1.26.0', true],
    ['1.21.13', '1.22.0', true],
    ['1.21rc2', '1.22', true],
    [null, '1.27.0', true],
    ['1.20', '1.21.0', false],
    ['1.22', '1.27.0', false],
    ['1.22.0', '1.26.0', false],
    ['1.24.0', '1.27.0', false],
    ['1.21.0', null, false],
    ['banana', '1.27.0', false],
  ];
  for (const [from, to, want] of cases) assert.equal(crossesLoopvar(from, to), want, `${from} -> ${to}`);
});

test('the finding is info, counts heap allocations, shows the first loops and carries the whole list', () => {
  const loops = parseLoopvarOutput(captured('loopvar-list-go1.26.8'));
  const f = loopvarFinding(loops);
  assert.ok(f);
  assert.deepEqual([f.code, f.severity, f.hint], [LOOPVAR_CODE, 'info', LOOPVAR_HINT]);
  assert.equal(f.message, 'go 1.22: 4 loop variables now per-iteration (2 heap-allocated): main.go:11:9 v, main.go:15:6 i, store/store.go:6:9 n, … (1 more)');
  assert.equal(f.loops?.length, 4);
  assert.match(loopvarFinding(loops.slice(0, 1), true)?.message ?? '', /^go 1\.22: 1 loop variable now per-iteration \(1 heap-allocated\): main\.go:11:9 v; the compiler output was cut/);
  assert.equal(loopvarFinding([]), null);
});

async function withModule(goLine: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gofleet-loopvar-'));
  try {
    await writeFile(join(dir, 'go.mod'), `module example.com/m\n\ngo ${goLine}\n`);
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function scripted(listing: { exitCode: number; output: string }): { r: GoRunner; calls: string[][] } {
  const calls: string[][] = [];
  const run: RunCommand = async (_file, args) => {
    calls.push([...args]);
    const mine = args[0] === 'list' && args.includes('-export');
    return { exitCode: mine ? listing.exitCode : 0, output: mine ? listing.output : '', stdout: '', timedOut: false, durationMs: 1 };
  };
  return { calls, r: { run, env: {}, toolchain: { version: 'go1.26.8', go: '/tc/bin/go', gotoolchain: 'local', how: 't' }, testTimeoutMs: 30_000 } };
}

test('verifyModule lists loops after a passing build when the go line crossed 1.22, and only then', async () => {
  const output = captured('loopvar-list-go1.26.8');
  await withModule('1.26.0', async (dir) => {
    const crossed = scripted({ exitCode: 0, output });
    const out = await verifyModule(crossed.r, { dir, gowork: 'off', goFrom: '1.21' }, ['build', 'vet']);
    assert.deepEqual(crossed.calls.map((a) => a[0]), ['build', 'list', 'vet']);
    assert.deepEqual(crossed.calls[1], loopvarArgs());
    assert.deepEqual(out.steps.map((s) => s.name), ['build', 'vet'], 'the listing is not a step');
    assert.deepEqual(out.findings.map((f) => [f.code, f.severity, f.loops?.length]), [[LOOPVAR_CODE, 'info', 4]]);
    assert.equal(out.failure, null);

    for (const goFrom of ['1.22.0', '1.24.0', undefined]) {
      const s = scripted({ exitCode: 0, output });
      const o = await verifyModule(s.r, { dir, gowork: 'off', ...(goFrom === undefined ? {} : { goFrom }) }, ['build', 'vet']);
      assert.deepEqual(s.calls.map((a) => a[0]), ['build', 'vet'], `from ${goFrom}`);
      assert.deepEqual(o.findings, []);
    }

    const failed = scripted({ exitCode: 1, output: 'go: something broke\n' });
    const f = await verifyModule(failed.r, { dir, gowork: 'off', goFrom: null }, ['build']);
    assert.deepEqual(f.findings.map((x) => [x.code, x.severity, x.message]), [['LOOPVAR_LIST_FAILED', 'info', 'could not list the loops that change in go 1.22: go: something broke']]);
    assert.equal(f.failure, null);
  });
  await withModule('1.21.0', async (dir) => {
    const s = scripted({ exitCode: 0, output });
    await verifyModule(s.r, { dir, gowork: 'off', goFrom: '1.20' }, ['build']);
    assert.deepEqual(s.calls.map((a) => a[0]), ['build'], 'a bump that stays below 1.22 lists nothing');
  });
});

const TOOLCHAIN: PinnedToolchain = { version: 'go1.26.8', go: '/tc/bin/go', gotoolchain: 'local', how: 't' };

function mod(dir: string, findings: ModuleResult['findings']): ModuleResult {
  return { dir, kind: 'module', module: `example.com/${dir}`, from: '1.21', to: '1.26.0', toolchainFrom: null, toolchainTo: 'go1.26.8', result: 'pass', class: null, findings, firstError: null, steps: [], changed: [] };
}

test('the campaign table shows the count in a loopvar column (only when listed); JSON carries the list', () => {
  const f = loopvarFinding(parseLoopvarOutput(captured('loopvar-list-go1.26.8')));
  assert.ok(f);
  const other = { code: 'GODEBUG_DEFAULTS_CHANGE', message: 'm', hint: 'h', severity: 'info' as const };
  const repo: RepoResult = { path: '/r', source: null, modules: [mod('a', [f]), mod('b', [other])], git: null, error: null };
  const table = campaignTable([repo], () => 'r').split('\n');
  assert.match(table[0] ?? '', /^repo\s+module\s+from\s+to\s+result\s+class\s+loopvar\s+first error$/);
  assert.match(table[2] ?? '', /^r\s+a\/go\.mod\s+1\.21\s+1\.26\.0\s+pass\s+-\s+4$/);
  assert.match(table[3] ?? '', /^r\s+b\/go\.mod\s+1\.21\s+1\.26\.0\s+pass\s+-\s+-$/);
  const plain = campaignTable([{ ...repo, modules: [mod('b', [other])] }], () => 'r');
  assert.doesNotMatch(plain, /loopvar/);

  const doc = campaignJson({ command: 'check', toolchain: TOOLCHAIN, repos: [repo] }) as { repos: { modules: { findings: Record<string, unknown>[] }[] }[] };
  const [json] = doc.repos[0]?.modules[0]?.findings ?? [];
  assert.deepEqual(json?.loops, f.loops);
  assert.deepEqual((json?.loops as unknown[])[0], { file: 'main.go', line: 11, col: 9, variable: 'v', alloc: 'heap' });
  assert.deepEqual(doc.repos[0]?.modules[1]?.findings, [other], 'other findings keep their shape');
});
