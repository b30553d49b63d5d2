import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareVersions, isStable, normalizeVersion, parseVersion, sortVersionsDesc, versionLine } from './version.ts';

describe('parseVersion', () => {
  const cases: [string, { major: number; minor: number; patch: number | null; pre: string | null; name: string } | null][] = [
    ['go1.27.3', { major: 1, minor: 27, patch: 3, pre: null, name: 'go1.27.3' }],
    ['1.27.3', { major: 1, minor: 27, patch: 3, pre: null, name: 'go1.27.3' }],
    ['go1.27', { major: 1, minor: 27, patch: null, pre: null, name: 'go1.27' }],
    ['go1.21rc2', { major: 1, minor: 21, patch: null, pre: 'rc2', name: 'go1.21rc2' }],
    ['go1.9beta1', { major: 1, minor: 9, patch: null, pre: 'beta1', name: 'go1.9beta1' }],
    ['go1.19', { major: 1, minor: 19, patch: 0, pre: null, name: 'go1.19' }],
    ['go1.19.8', { major: 1, minor: 19, patch: 8, pre: null, name: 'go1.19.8' }],
    ['go1', { major: 1, minor: 0, patch: 0, pre: null, name: 'go1' }],
    ['go1.27.3rc1', null],
    ['go1.027', null],
    ['1.27.x', null],
    ['v1.27.3', null],
    ['go1.27.3.linux-amd64', null],
    ['', null],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)}`, () => {
      const v = parseVersion(text);
      if (want === null) return assert.equal(v, null);
      assert.ok(v);
      assert.deepEqual({ major: v.major, minor: v.minor, patch: v.patch, pre: v.pre ? `${v.pre.kind}${v.pre.n}` : null, name: v.name }, want);
    });
  }
});

describe('compareVersions (go/version.Compare order)', () => {
  const ordered = [
    'go1',
    'go1.0.1',
    'go1.9beta1',
    'go1.9rc2',
    'go1.9',
    'go1.9.1',
    'go1.19rc1',
    'go1.19',
    'go1.19.8',
    'go1.19.13',
    'go1.20',
    'go1.21',
    'go1.21rc1',
    'go1.21rc2',
    'go1.21.0',
    'go1.21.1',
    'go1.27',
    'go1.27alpha1',
    'go1.27beta1',
    'go1.27rc1',
    'go1.27.0',
    'go1.27.3',
    'go1.28rc1',
  ];
  it('orders the table strictly increasing', () => {
    for (let i = 1; i < ordered.length; i++) {
      const a = ordered[i - 1] as string;
      const b = ordered[i] as string;
      assert.equal(compareVersions(a, b), -1, `${a} < ${b}`);
      assert.equal(compareVersions(b, a), 1, `${b} > ${a}`);
    }
  });
  it('treats 1.N and 1.N.0 as equal before 1.21 only', () => {
    assert.equal(compareVersions('go1.19', 'go1.19.0'), 0);
    assert.equal(compareVersions('1.20', 'go1.20.0'), 0);
    assert.equal(compareVersions('go1.21', 'go1.21.0'), -1);
  });
  it('sorts newest first', () => {
    assert.deepEqual(sortVersionsDesc(['go1.21.0', 'go1.27.3', 'go1.21rc2', 'go1.9', 'go1.27.10']), ['go1.27.10', 'go1.27.3', 'go1.21.0', 'go1.21rc2', 'go1.9']);
  });
  it('throws on a non-version', () => {
    assert.throws(() => compareVersions('go1.27', 'latest'), /not a Go version/);
  });
});

describe('isStable / normalizeVersion / versionLine', () => {
  const stable: [string, boolean][] = [['go1.27.3', true], ['go1.27rc1', false], ['go1.9beta1', false], ['go1.19', true], ['go1.27alpha1', false]];
  for (const [v, want] of stable) it(`isStable(${v}) = ${want}`, () => assert.equal(isStable(v), want));
  it('normalizes and takes the line', () => {
    assert.equal(normalizeVersion('1.27.3'), 'go1.27.3');
    assert.equal(versionLine('go1.27.3'), 'go1.27');
    assert.equal(versionLine('go1.21rc2'), 'go1.21');
    assert.throws(() => normalizeVersion('1.x'));
  });
});
