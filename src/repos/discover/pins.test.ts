import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparePin, findPins, pinFileKind, rewritePins, rewriteValue } from './pins.ts';

test('pinFileKind knows the pin files and nothing else', () => {
  assert.equal(pinFileKind('.go-version'), 'go-version-file');
  assert.equal(pinFileKind('svc/.go-version'), 'go-version-file');
  assert.equal(pinFileKind('.tool-versions'), 'tool-versions');
  assert.equal(pinFileKind('Dockerfile'), 'dockerfile');
  assert.equal(pinFileKind('build/Dockerfile.ci'), 'dockerfile');
  assert.equal(pinFileKind('svc/api.Dockerfile'), 'dockerfile');
  assert.equal(pinFileKind('.github/workflows/ci.yml'), 'ci');
  assert.equal(pinFileKind('.github/workflows/release.yaml'), 'ci');
  assert.equal(pinFileKind('.gitlab-ci.yml'), 'ci');
  assert.equal(pinFileKind('docs/ci.yml'), null);
  assert.equal(pinFileKind('go.mod'), null);
});

const DOCKERFILE = `# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22
FROM --platform=$BUILDPLATFORM golang:1.22.5-bookworm AS build
FROM docker.io/library/golang:1.22-alpine
FROM gcr.io/distroless/static
`;

test('Dockerfile: FROM golang:X (with flags, registries, variants) and ARG GO_VERSION', () => {
  const pins = findPins('Dockerfile', DOCKERFILE);
  assert.deepEqual(pins.map((p) => [p.line, p.value]), [[2, '1.22'], [3, '1.22.5'], [4, '1.22']]);
  assert.equal(rewritePins(DOCKERFILE, pins, 'go1.27.3'), DOCKERFILE
    .replace('GO_VERSION=1.22', 'GO_VERSION=1.27')
    .replace('golang:1.22.5-bookworm', 'golang:1.27.3-bookworm')
    .replace('golang:1.22-alpine', 'golang:1.27-alpine'));
});

const WORKFLOW = `jobs:
  test:
    strategy:
      matrix:
        go: [ '1.21', "1.22.x" ]
    container: golang:1.22
    steps:
      - uses: actions/setup-go@v5
        with:
          go-version: '1.22' # keep in sync
      - uses: actions/setup-go@v5
        with:
          go-version-file: go.mod
      - run: go test ./...
        env:
          GO_VERSION: "1.22.5"
`;

test('CI: go-version (quoted, commented), inline matrix lists, images, env; go-version-file is not a pin', () => {
  const pins = findPins('.github/workflows/ci.yml', WORKFLOW);
  assert.deepEqual(pins.map((p) => [p.line, p.value]), [[5, '1.21'], [5, '1.22.x'], [6, '1.22'], [10, '1.22'], [16, '1.22.5']]);
  const out = rewritePins(WORKFLOW, pins, 'go1.27.3');
  assert.match(out, /go: \[ '1\.27', "1\.27\.x" \]/);
  assert.match(out, /container: golang:1\.27\n/);
  assert.match(out, /go-version: '1\.27' # keep in sync/);
  assert.match(out, /GO_VERSION: "1\.27\.3"/);
  assert.match(out, /go-version-file: go\.mod/);
});

test('.go-version and .tool-versions', () => {
  assert.deepEqual(findPins('.go-version', '1.22.5\n').map((p) => p.value), ['1.22.5']);
  assert.deepEqual(findPins('.go-version', 'go1.22.5').map((p) => p.value), ['go1.22.5']);
  assert.equal(rewritePins('go1.22.5\n', findPins('.go-version', 'go1.22.5\n'), 'go1.27.3'), 'go1.27.3\n');
  assert.deepEqual(findPins('.tool-versions', 'nodejs 20.1.0\ngolang 1.22.5\n').map((p) => [p.line, p.value]), [[2, '1.22.5']]);
});

test('comparePin: line pins compare by line, exact pins exactly; unknown values agree', () => {
  assert.equal(comparePin('1.22', 'go1.27.3'), -1);
  assert.equal(comparePin('1.27', 'go1.27.3'), 0);
  assert.equal(comparePin('1.27.x', 'go1.27.3'), 0);
  assert.equal(comparePin('1.27.1', 'go1.27.3'), -1);
  assert.equal(comparePin('1.27.3', 'go1.27.3'), 0);
  assert.equal(comparePin('go1.28.0', 'go1.27.3'), 1);
  assert.equal(comparePin('1.28', 'go1.27.3'), 1);
});

test('rewriteValue keeps the pin form', () => {
  assert.equal(rewriteValue('1.22', 'go1.27.3'), '1.27');
  assert.equal(rewriteValue('1.22.x', 'go1.27.3'), '1.27.x');
  assert.equal(rewriteValue('1.22.5', 'go1.27.3'), '1.27.3');
  assert.equal(rewriteValue('go1.22.5', 'go1.27.3'), 'go1.27.3');
});

test('rewritePins leaves a line alone when it no longer holds the pin (stale pins)', () => {
  const pins = findPins('.go-version', '1.22.5\n');
  assert.equal(rewritePins('1.23.0\n', pins, 'go1.27.3'), '1.23.0\n');
});
