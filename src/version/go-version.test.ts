// The one ordering of Go versions, table-tested against the go command's rules
// (cmd/go/internal/gover and go/version.Compare):
//   from 1.21 on, "1.N" is the language version: go1.21 < go1.21rc1 < go1.21.0 < go1.21.1;
//   before 1.21, "1.N" was the first release:    go1.20rc1 < go1.20 == go1.20.0 < go1.20.1;
//   the kinds order "" < alpha < beta < rc; "go1" is go1.0.0.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions } from './go-version.ts';

const LESS: [string, string][] = [
  ['go1.21', 'go1.21rc1'],
  ['go1.21rc1', 'go1.21rc2'],
  ['go1.21rc2', 'go1.21.0'],
  ['go1.21.0', 'go1.21.1'],
  ['go1.21alpha1', 'go1.21beta1'],
  ['go1.21beta1', 'go1.21rc1'],
  ['go1.21', 'go1.21alpha1'],
  ['go1.27', 'go1.27rc2'],
  ['go1.27rc2', 'go1.27.0'],
  ['go1.27.0', 'go1.27.3'],
  ['go1.20rc1', 'go1.20'],
  ['go1.20beta1', 'go1.20rc1'],
  ['go1.20', 'go1.20.1'],
  ['go1.19.13', 'go1.20rc1'],
  ['go1.9', 'go1.10'],
  ['go1.9.7', 'go1.10beta1'],
  ['go1', 'go1.0.1'],
  ['go1.2.10', 'go1.10'],
  ['go1.26.8', 'go1.27'],
  ['go1.99', 'go2'],
];

const EQUAL: [string, string][] = [
  ['go1.20', 'go1.20.0'],
  ['go1.9', 'go1.9.0'],
  ['go1', 'go1.0'],
  ['go1', 'go1.0.0'],
  ['go1.21.0', '1.21.0'],
];

test('go/version order: each pair is less one way, greater the other', () => {
  for (const [a, b] of LESS) {
    assert.equal(compareVersions(a, b), -1, `${a} < ${b}`);
    assert.equal(compareVersions(b, a), 1, `${b} > ${a}`);
  }
});

test('go/version order: equal names', () => {
  for (const [a, b] of EQUAL) assert.equal(compareVersions(a, b), 0, `${a} == ${b}`);
  assert.notEqual(compareVersions('go1.21', 'go1.21.0'), 0, 'from 1.21 on, go1.21 is not go1.21.0');
});
