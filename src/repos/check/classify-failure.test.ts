// Outputs in testdata/go-output were captured from real go commands (go1.27.3 unless the name says
// otherwise; go1.19.8 for build-go119-parse) on tiny modules; see docs/repos.md.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classifyFailure, firstErrorLines } from './classify-failure.ts';
import type { FailureClass, StepName } from '../shared/types.ts';

function output(name: string): string {
  return readFileSync(new URL(`./testdata/go-output/${name}.txt`, import.meta.url), 'utf8');
}

const CASES: [file: string, step: StepName, cls: FailureClass, code: string, first: RegExp][] = [
  ['build-compile', 'build', 'build', 'BUILD_FAILED', /^lib\/lib\.go:3:23: cannot use "s"/],
  ['build-link-linkname', 'build', 'build', 'LINKNAME_REFUSED', /^link: github\.com\/bytedance\/sonic\/ast: invalid reference to runtime\.stopTheWorld$/],
  ['vet-printf', 'vet', 'vet', 'VET_FAILED', /^main\.go:7:13: non-constant format string in call to fmt\.Printf$/],
  ['test-fail', 'test', 'test', 'TEST_FAILED', /^--- FAIL: TestAdd \(0\.00s\)\nadd_test\.go:7: Add\(2, 3\) = -1, want 5$/],
  ['test-panic', 'test', 'test', 'TEST_FAILED', /^--- FAIL: TestPanics \(0\.00s\)\npanic: assignment to entry in nil map/],
  ['test-timeout', 'test', 'test', 'TEST_TIMEOUT', /^panic: test timed out after 1s\nrunning tests:\nTestSlow \(1s\)$/],
  ['test-build-failed', 'test', 'build', 'TEST_BUILD_FAILED', /^\.\/x_test\.go:5:43: cannot use X\(\)/],
  ['tidy-download', 'tidy', 'download', 'DOWNLOAD_FAILED', /github\.com\/pkg\/errors: cannot find module providing package .*GOPROXY=off/],
  ['tidy-not-in-proxy', 'tidy', 'download', 'DOWNLOAD_FAILED', /^go: example\.com\/nf imports\nexample\.com\/missing: .*no such file or directory$/],
  ['tidy-dep-too-new', 'tidy', 'gomod', 'DEPENDENCY_NEEDS_NEWER_GO', /^go: example\.com\/needsnew@v1\.0\.0 requires go >= 1\.28\.0 \(running go 1\.27\.3; GOTOOLCHAIN=local\)$/],
  ['build-go-too-new', 'build', 'gomod', 'GO_LINE_ABOVE_TOOLCHAIN', /^go: go\.mod requires go >= 1\.28\.0/],
  ['tidy-invalid-go', 'tidy', 'gomod', 'GOMOD_INVALID', /go\.mod:3: invalid go version '1\.22\.x'/],
  ['build-go119-parse', 'build', 'gomod', 'GOMOD_INVALID', /^go: errors parsing go\.mod:\n.*invalid go version '1\.22\.0'/],
  ['build-toolchain-download', 'build', 'download', 'TOOLCHAIN_DOWNLOAD_FAILED', /^go: download go1\.28\.0 for linux\/amd64: toolchain not available$/],
  ['build-checksum-mismatch', 'build', 'download', 'CHECKSUM_MISMATCH', /^verifying example\.com\/needsnew@v1\.0\.0: checksum mismatch\ndownloaded: h1:/],
  ['build-missing-sum', 'build', 'gomod', 'GOMOD_OUT_OF_DATE', /^main\.go:3:8: missing go\.sum entry/],
  ['build-dep-too-new', 'build', 'gomod', 'GOMOD_OUT_OF_DATE', /missing go\.sum entry/],
  ['build-no-required-module', 'build', 'gomod', 'GOMOD_OUT_OF_DATE', /import lookup disabled by -mod=readonly/],
  ['build-gowork-below', 'build', 'gomod', 'GOWORK_BELOW_MEMBER', /^go: module \.\.\/api listed in go\.work file requires go >= 1\.22\.0, but go\.work lists go 1\.21.*\ngo work use$/],
  ['build-inconsistent-vendoring', 'build', 'gomod', 'VENDOR_INCONSISTENT', /^go: inconsistent vendoring in \S+:\nexample\.com\/words@v1\.0\.0: is explicitly required in go\.mod, but not marked as explicit in vendor\/modules\.txt$/],
  ['build-gowork-modflag', 'build', 'gomod', 'GOFLAGS_MOD_IN_WORKSPACE', /^go: -mod may only be set/],
];

for (const [file, step, cls, code, first] of CASES) {
  test(`classify ${file} (${step}) -> ${cls} ${code}`, () => {
    const c = classifyFailure(step, output(file));
    assert.equal(c.class, cls);
    assert.equal(c.code, code);
    assert.match(c.firstError, first);
    assert.ok(c.firstError.split('\n').length <= 3);
    assert.ok(c.hint.length > 20);
  });
}

test('a missing replacement directory is its own gomod code', () => {
  const c = classifyFailure('tidy', 'go: example.com/app imports\n\texample.com/lib: example.com/lib@v0.0.0: replacement directory ../lib does not exist\n');
  assert.deepEqual([c.class, c.code, c.firstError], ['gomod', 'REPLACE_DIR_MISSING', 'go: example.com/app imports\nexample.com/lib: example.com/lib@v0.0.0: replacement directory ../lib does not exist']);
});

test('the step decides when the output says nothing more specific', () => {
  assert.deepEqual(
    [classifyFailure('vet', 'x.go:1:1: something odd').class, classifyFailure('tidy', 'go: weird').class, classifyFailure('test', 'FAIL\tx\t0.1s').class],
    ['vet', 'gomod', 'test'],
  );
});

test('a step killed by our own timeout is STEP_TIMEOUT', () => {
  const c = classifyFailure('test', '=== RUN   TestSlow\n', { timedOut: true });
  assert.equal(c.code, 'STEP_TIMEOUT');
  assert.equal(c.class, 'test');
});

test('firstErrorLines skips download chatter, package headers and stack frames', () => {
  assert.equal(firstErrorLines('go: downloading x v1\n# example.com/a\n./a.go:1:2: undefined: y\n', 'build'), './a.go:1:2: undefined: y');
  assert.equal(firstErrorLines('', 'build'), '');
});
