// verifyModule with a scripted `run` (the context swap) — the real go runs in test/e2e/repos-*.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommandOptions, CommandResult, RunCommand } from '../shared/run-command.ts';
import type { GoRunner } from '../shared/run-go.ts';
import { failedTestPackages, stepsFor, verifyModule } from './verify-module.ts';

interface Call {
  args: readonly string[];
  env: CommandOptions['env'];
  timeoutMs: number | undefined;
}

function scripted(answers: Record<string, Partial<CommandResult>>): { run: RunCommand; calls: Call[] } {
  const calls: Call[] = [];
  const run: RunCommand = async (_file, args, o) => {
    calls.push({ args, env: o.env, timeoutMs: o.timeoutMs });
    const a = answers[args[0] === 'mod' || args[0] === 'list' ? args.slice(0, 2).join(' ') : (args[0] ?? '')] ?? {};
    return { exitCode: 0, output: '', stdout: '', timedOut: false, durationMs: 1, ...a };
  };
  return { run, calls };
}

function runner(run: RunCommand): GoRunner {
  return { run, env: { GOFLAGS: '-mod=mod' }, toolchain: { version: 'go1.27.3', go: '/tc/bin/go', gotoolchain: 'local', how: 't' }, testTimeoutMs: 30_000 };
}

const ALL = ['tidy', 'deps', 'build', 'vet', 'test'] as const;

test('every step runs with the pinned toolchain; tidy without the workspace, the rest inside it', async () => {
  const { run, calls } = scripted({});
  const out = await verifyModule(runner(run), { dir: '/r/svc', gowork: '/r/go.work' }, ALL);
  assert.equal(out.failure, null);
  assert.deepEqual(calls.map((c) => c.args.join(' ')), [
    'mod tidy',
    'list -m -f {{.Path}}\t{{.Version}}\t{{.GoVersion}}\t{{.Main}} all',
    'list -e -deps -test -f {{with .Module}}{{.Path}}{{end}} ./...',
    'build -o /dev/null ./...',
    'vet ./...',
    'test -timeout=30s ./...',
  ]);
  assert.deepEqual(calls.map((c) => [c.env.GOTOOLCHAIN, c.env.GOWORK, c.env.GOFLAGS]), [
    ['local', 'off', '-mod=mod'],
    ['local', '/r/go.work', undefined],
    ['local', '/r/go.work', undefined],
    ['local', '/r/go.work', undefined],
    ['local', '/r/go.work', undefined],
    ['local', '/r/go.work', undefined],
  ]);
  assert.equal(calls[5]?.timeoutMs, 90_000);
});

test('the first failure stops the run, is classified and the rest is skipped', async () => {
  const { run, calls } = scripted({ build: { exitCode: 1, output: '# x\n./a.go:3:1: undefined: y\n' } });
  const out = await verifyModule(runner(run), { dir: '/r', gowork: 'off' }, ALL);
  assert.equal(calls.length, 4);
  assert.deepEqual(out.steps.map((s) => `${s.name}:${s.status}`), ['tidy:pass', 'deps:pass', 'build:fail', 'vet:skipped', 'test:skipped']);
  assert.deepEqual([out.failure?.step, out.failure?.class, out.failure?.code, out.failure?.firstError], ['build', 'build', 'BUILD_FAILED', './a.go:3:1: undefined: y']);
});

test('a module without packages passes vet and test ("no packages to vet")', async () => {
  const none = { exitCode: 1, output: 'go: warning: "./..." matched no packages\nno packages to vet\n' };
  const { run } = scripted({ vet: none, test: { ...none, output: 'go: warning: "./..." matched no packages\nno packages to test\n' } });
  const out = await verifyModule(runner(run), { dir: '/r', gowork: 'off' }, ALL);
  assert.equal(out.failure, null);
});

test('go list -m all: dependencies above the target and known-bad versions become findings', async () => {
  const stdout = [
    'example.com/app\t\t1.27.0\ttrue',
    'example.com/newer\tv1.0.0\t1.28.0\tfalse',
    'github.com/bytedance/sonic\tv1.11.0\t1.16\tfalse',
    'example.com/fine\tv1.2.0\t1.21\tfalse',
  ].join('\n');
  const { run } = scripted({ 'list -m': { stdout }, 'list -e': { stdout: 'example.com/app\ngithub.com/bytedance/sonic\n' } });
  const out = await verifyModule(runner(run), { dir: '/r', gowork: 'off' }, ['deps']);
  assert.deepEqual(out.findings.map((f) => `${f.severity}:${f.code}`), ['fail:DEPENDENCY_GO_LINE_ABOVE_TARGET', 'fail:KNOWN_BAD_DEPENDENCY']);
  assert.match(out.findings[0]?.message ?? '', /^example\.com\/newer@v1\.0\.0 declares go 1\.28\.0/);
});

test('a step stopped by the timeout is STEP_TIMEOUT', async () => {
  const { run } = scripted({ test: { exitCode: null, timedOut: true, output: '=== RUN TestSlow\n' } });
  const out = await verifyModule(runner(run), { dir: '/r', gowork: 'off' }, ['test']);
  assert.equal(out.failure?.code, 'STEP_TIMEOUT');
});

test('a vendored module: go mod vendor after tidy (without the workspace), go list -m all with -mod=readonly', async () => {
  const { run, calls } = scripted({});
  const out = await verifyModule(runner(run), { dir: '/r/svc', gowork: '/r/go.work', vendor: true }, ALL);
  assert.equal(out.failure, null);
  assert.deepEqual(out.steps.map((s) => s.name), ['tidy', 'vendor', 'deps', 'build', 'vet', 'test']);
  assert.deepEqual(calls.slice(0, 3).map((c) => [c.args.slice(0, 3).join(' '), c.env.GOWORK]), [
    ['mod tidy', 'off'],
    ['mod vendor', 'off'],
    ['list -m -mod=readonly', '/r/go.work'],
  ]);
});

test('a failing go mod vendor is a gomod failure and stops the module', async () => {
  const { run, calls } = scripted({ 'mod vendor': { exitCode: 1, output: 'go: example.com/x@v1.0.0: reading file:///p/example.com/x/@v/v1.0.0.zip: no such file or directory\n' } });
  const out = await verifyModule(runner(run), { dir: '/r', gowork: 'off', vendor: true }, ALL);
  assert.equal(calls.length, 2);
  assert.deepEqual(out.steps.map((s) => `${s.name}:${s.status}`), ['tidy:pass', 'vendor:fail', 'deps:skipped', 'build:skipped', 'vet:skipped', 'test:skipped']);
  assert.deepEqual([out.failure?.step, out.failure?.class, out.failure?.code], ['vendor', 'download', 'DOWNLOAD_FAILED']);
  const plain = await verifyModule(runner(scripted({ 'mod vendor': { exitCode: 1, output: 'go: something odd\n' } }).run), { dir: '/r', gowork: 'off', vendor: true }, ALL);
  assert.deepEqual([plain.failure?.class, plain.failure?.code], ['gomod', 'VENDOR_FAILED']);
});

test('stepsFor: vendor only for vendored modules, right after tidy', () => {
  assert.deepEqual(stepsFor(ALL, false), [...ALL]);
  assert.deepEqual(stepsFor(['tidy', 'vendor', 'build'], false), ['tidy', 'build']);
  assert.deepEqual(stepsFor(['tidy', 'build'], true), ['tidy', 'vendor', 'build']);
});

test('a known-bad version only in the module graph (not in go list -deps -test) is info, a built one fails (issue 9)', async () => {
  const stdout = ['example.com/app\t\t1.27.0\ttrue', 'golang.org/x/tools\tv0.1.0\t1.16\tfalse', 'github.com/bytedance/sonic\tv1.11.0\t1.16\tfalse'].join('\n');
  const { run } = scripted({ 'list -m': { stdout }, 'list -e': { stdout: '\nexample.com/app\ngithub.com/bytedance/sonic\n' } });
  const out = await verifyModule(runner(run), { dir: '/r', gowork: 'off' }, ['deps']);
  assert.equal(out.knownBadFromGraph, true);
  assert.deepEqual(out.findings.map((f) => `${f.severity}:${f.message.split(' ')[0]}`), ['info:golang.org/x/tools@v0.1.0', 'fail:github.com/bytedance/sonic@v1.11.0']);
  // the listing failed: nothing is known about what is built, every rule keeps its severity
  const unknown = await verifyModule(runner(scripted({ 'list -m': { stdout }, 'list -e': { exitCode: 1 } }).run), { dir: '/r', gowork: 'off' }, ['deps']);
  assert.equal(unknown.knownBadFromGraph, false);
  assert.deepEqual(unknown.findings.map((f) => f.severity), ['fail', 'fail']);
});

test('failedTestPackages: the FAIL lines of go test, build failures included', () => {
  const out = '--- FAIL: TestX (0.00s)\nFAIL\nFAIL\texample.com/a/b\t0.003s\nok  \texample.com/a/c\t0.001s\nFAIL\texample.com/a/d [build failed]\nFAIL\n';
  assert.deepEqual(failedTestPackages(out), ['example.com/a/b', 'example.com/a/d']);
});
