import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findPins } from './pins.ts';
import { applyPinActions, planPins } from './plan-pins.ts';
import { pinFindings } from './static-findings.ts';

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
