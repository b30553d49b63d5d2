import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findPins } from '../discover/pins.ts';
import { applyPinActions, planPins } from './plan-pins.ts';
import { pinFindings } from '../check/static-findings.ts';

const CI = `jobs:
  test:
    strategy:
      matrix:
        go: ["1.25.x","1.26.x"]
        include:
          - go: 1.26.x
            race: true
    steps:
      - uses: actions/setup-go@v5
        with:
          go-version: \${{ matrix.go }}
  tinygo:
    steps:
      - uses: actions/setup-go@v5
        with:
          # TinyGo 0.31 supports Go up to 1.22
          go-version: '1.22'
      - uses: actions/setup-go@v5
        with:
          go-version: '1.22' # tinygo needs it
      - run: echo
        env:
          GO_VERSION: 1.24.2
    container: registry.example.com/tinygo/golang:1.22
`;

const bump = (mode: 'add' | 'replace-oldest'): string => applyPinActions(CI, planPins(findPins('.github/workflows/ci.yml', CI), 'go1.27.3', mode));

test('a matrix gets the target added once; include entries and commented pins stay; other tools are not Go pins (issue 9)', () => {
  const out = bump('add');
  assert.match(out, /go: \["1\.25\.x","1\.26\.x","1\.27\.x"\]\n/);
  assert.match(out, /- go: 1\.26\.x\n/);
  assert.match(out, /go-version: '1\.22'\n/);
  assert.match(out, /go-version: '1\.22' # tinygo needs it\n/);
  assert.match(out, /GO_VERSION: 1\.27\.3\n/);
  assert.match(out, /tinygo\/golang:1\.22\n/);
  // idempotent: a second run adds nothing (the matrix has the target)
  assert.equal(applyPinActions(out, planPins(findPins('.github/workflows/ci.yml', out), 'go1.27.3')), out);
});

test('--matrix replace-oldest replaces the oldest entry, and include entries naming it follow; never a duplicate', () => {
  const out = bump('replace-oldest');
  assert.match(out, /go: \["1\.27\.x","1\.26\.x"\]\n/);
  assert.match(out, /- go: 1\.26\.x\n/);
  const inc = 'm:\n  go: [1.25.x, 1.26.x]\n  include:\n    - go: 1.25.x\n      os: macos\n';
  const pins = findPins('.gitlab-ci.yml', inc);
  assert.equal(applyPinActions(inc, planPins(pins, 'go1.27.3', 'replace-oldest')), 'm:\n  go: [1.27.x, 1.26.x]\n  include:\n    - go: 1.27.x\n      os: macos\n');
  assert.equal(applyPinActions(inc, planPins(pins, 'go1.27.3', 'add')), 'm:\n  go: [1.25.x, 1.26.x, 1.27.x]\n  include:\n    - go: 1.25.x\n      os: macos\n');
  // a matrix that already has the target line is left alone
  const has = 'go-version: [ "1.26", "1.27" ]\n';
  assert.equal(applyPinActions(has, planPins(findPins('.gitlab-ci.yml', has), 'go1.27.3', 'replace-oldest')), has);
});

test('findings: held pins are PIN_HELD (not rewritten), a matrix is one finding, Dockerfile directives hold nothing', () => {
  const pins = findPins('.github/workflows/ci.yml', CI);
  const f = pinFindings(pins, 'go1.27.3', true).map((x) => `${x.severity}:${x.code}:${x.message.split(' ')[0]}`);
  assert.deepEqual(f, ['info:PIN_UPDATED:.github/workflows/ci.yml:5:', 'warn:PIN_HELD:.github/workflows/ci.yml:18', 'warn:PIN_HELD:.github/workflows/ci.yml:21', 'info:PIN_UPDATED:.github/workflows/ci.yml:24:']);
  const check = pinFindings(pins, 'go1.27.3', false).map((x) => x.message);
  assert.match(check[0] ?? '', /ci\.yml:5 pins the matrix \[1\.25\.x, 1\.26\.x\], which lacks go1\.27\.3/);
  const docker = findPins('Dockerfile', '# syntax=docker/dockerfile:1\nARG GO_VERSION=1.22\n# pinned: the base image has no 1.23 yet\nFROM golang:1.22\n');
  assert.deepEqual(docker.map((p) => p.held ?? null), [null, '# pinned: the base image has no 1.23 yet']);
});

// A workflow shaped like the Go projects' own (block-style matrices, as most are written).
const BLOCK_CI = `name: Go
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  build:
    runs-on: \${{ matrix.os }}
    strategy:
      fail-fast: false
      matrix:
        go:
          - '1.25.x'
          - '1.26.x'
        os: [ubuntu-latest, windows-latest]
        include:
          - go: 1.26.x
            latest: true
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v5
        with:
          go-version: \${{ matrix.go }}
          cache-dependency-path: '**/go.sum'
      - run: make test
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-go@v5
        with:
          go-version: 1.25.x
  tinygo:
    strategy:
      matrix:
        # TinyGo 0.35 supports Go up to 1.24
        go-version:
          - "1.24.x"
        tinygo: ['0.35.0']
    steps:
      - uses: acifani/setup-tinygo@v2
        with:
          tinygo-version: \${{ matrix.tinygo }}
`;

const WF = '.github/workflows/go.yml';
const bumpBlock = (text: string, mode: 'add' | 'replace-oldest' = 'add', target = 'go1.27.3'): string => applyPinActions(text, planPins(findPins(WF, text), target, mode));

test('block-style matrix: found as one list, the target added as a line of the same shape; include, held and other-tool pins stay (issue 9)', () => {
  const pins = findPins(WF, BLOCK_CI);
  assert.deepEqual(pins.map((p) => [p.line, p.value, p.inList ?? null, p.listLine ?? null]), [
    [15, '1.25.x', 'block', 14], [16, '1.26.x', 'block', 14], [19, '1.26.x', null, null], [33, '1.25.x', null, null], [39, '1.24.x', 'block', 38],
  ]);
  const out = bumpBlock(BLOCK_CI);
  assert.equal(out, BLOCK_CI
    .replace("          - '1.26.x'\n", "          - '1.26.x'\n          - '1.27.x'\n")
    .replace('go-version: 1.25.x', 'go-version: 1.27.x'));
  // idempotent: the matrix now has the target
  assert.equal(bumpBlock(out), out);
});

test('block-style matrix, --matrix replace-oldest: the oldest entry is replaced in place and include entries naming it follow', () => {
  const text = BLOCK_CI.replace('          - go: 1.26.x\n', '          - go: 1.25.x\n');
  assert.equal(bumpBlock(text, 'replace-oldest'), text
    .replace("          - '1.25.x'\n", "          - '1.27.x'\n")
    .replace('          - go: 1.25.x\n', '          - go: 1.27.x\n')
    .replace('go-version: 1.25.x', 'go-version: 1.27.x'));
  // a list that already holds the target line is left alone, in either mode
  assert.equal(bumpBlock(BLOCK_CI, 'replace-oldest', 'go1.26.1'), BLOCK_CI.replace('go-version: 1.25.x', 'go-version: 1.26.x'));
});

test('block-style lists: compact (dash at the key indent), unquoted, go-version key, CRLF, non-version entries, newest entry not last', () => {
  const text = 'jobs:\r\n  t:\r\n    strategy:\r\n      matrix:\r\n        go-version:\r\n        - 1.26\r\n        - stable\r\n        - 1.25\r\n        os: [ubuntu-latest]\r\n';
  assert.equal(bumpBlock(text), text.replace('        - 1.26\r\n', '        - 1.26\r\n        - 1.27\r\n'));
  assert.equal(bumpBlock(text, 'replace-oldest'), text.replace('        - 1.25\r\n', '        - 1.27\r\n'));
  // a `go:` key followed by a mapping is not a list, and the entries end where the list does
  const notList = 'go:\n  image: golang:1.22\n  script:\n    - 1.22\n';
  assert.deepEqual(findPins('.gitlab-ci.yml', notList).map((p) => [p.line, p.inList ?? null]), [[2, null]]);
});

test('block-style lists: a comment on the key, the line before it or an entry holds the list (PIN_HELD); a commented-out entry does not', () => {
  const onEntry = 'matrix:\n  go:\n    - "1.24.x" # last release our CGO toolchain builds\n    - "1.25.x"\n';
  assert.equal(bumpBlock(onEntry, 'replace-oldest'), onEntry);
  assert.equal(bumpBlock(onEntry), onEntry);
  const onKey = 'matrix:\n  go: # the versions our users run\n    - "1.24.x"\n';
  assert.equal(bumpBlock(onKey), onKey);
  const f = pinFindings(findPins(WF, onEntry), 'go1.27.3', false);
  assert.deepEqual(f.map((x) => x.code), ['PIN_HELD']);
  assert.match(f[0]?.message ?? '', /go\.yml:3 pins the matrix \[1\.24\.x, 1\.25\.x\].*last release our CGO toolchain builds/);
  const commentedOut = 'matrix:\n  go:\n    # - "1.23.x"\n    - "1.24.x"\n';
  assert.equal(bumpBlock(commentedOut), commentedOut.replace('    - "1.24.x"\n', '    - "1.24.x"\n    - "1.27.x"\n'));
  const disagrees = pinFindings(findPins(WF, commentedOut), 'go1.27.3', false).map((x) => x.message);
  assert.deepEqual(disagrees, [`${WF}:4 pins the matrix [1.24.x], which lacks go1.27.3 after the bump`]);
});

// GitLab's matrix (parallel: matrix:) names its variables as environment variables do.
const GITLAB_CI = `stages: [test]

test:
  stage: test
  image: golang:\${GO_VERSION}
  parallel:
    matrix:
      - GO_VERSION: ["1.25", "1.26"]
        GOARCH: [amd64, arm64]
  script:
    - go test ./...

race:
  image: golang:\${GO_VERSION}
  parallel:
    matrix:
      - GO_VERSION:
          - "1.25"
          - "1.26"
  script:
    - go test -race ./...
`;

test('GitLab parallel matrices (GO_VERSION, flow and block) get the target added like GitHub ones', () => {
  const add = applyPinActions(GITLAB_CI, planPins(findPins('.gitlab-ci.yml', GITLAB_CI), 'go1.27.3'));
  assert.equal(add, GITLAB_CI.replace('["1.25", "1.26"]', '["1.25", "1.26", "1.27"]').replace('          - "1.26"\n', '          - "1.26"\n          - "1.27"\n'));
  const replace = applyPinActions(GITLAB_CI, planPins(findPins('.gitlab-ci.yml', GITLAB_CI), 'go1.27.3', 'replace-oldest'));
  assert.equal(replace, GITLAB_CI.replace('["1.25", "1.26"]', '["1.27", "1.26"]').replace('          - "1.25"\n', '          - "1.27"\n'));
});
