import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GofleetError } from '../errors.ts';
import type { Release } from './types.ts';
import { nearest, parseSpec, resolveSpec, type VersionSpec } from './version-spec.ts';

describe('parseSpec', () => {
  const good: [string, VersionSpec][] = [
    ['go1.27.3', { kind: 'exact', version: 'go1.27.3' }],
    ['1.27.3', { kind: 'exact', version: 'go1.27.3' }],
    [' 1.27.3 ', { kind: 'exact', version: 'go1.27.3' }],
    ['Go1.27.3', { kind: 'exact', version: 'go1.27.3' }],
    ['1.27', { kind: 'line', line: 'go1.27' }],
    ['go1.27', { kind: 'line', line: 'go1.27' }],
    ['1.19', { kind: 'line', line: 'go1.19' }],
    ['go1.28rc1', { kind: 'exact', version: 'go1.28rc1' }],
    ['1.9beta1', { kind: 'exact', version: 'go1.9beta1' }],
    ['latest', { kind: 'latest' }],
    ['LATEST', { kind: 'latest' }],
  ];
  for (const [text, want] of good) it(`${JSON.stringify(text)}`, () => assert.deepEqual(parseSpec(text), want));

  const bad: [string, RegExp][] = [
    ['1.27.x', /write 1\.27 for the latest 1\.27 patch/],
    ['go1.27.*', /write 1\.27 for the latest/],
    ['v1.27.3', /no "v" prefix; write 1\.27\.3/],
    ['>=1.27', /ranges are not supported/],
    ['go1.27.3.linux-amd64.tar.gz', /file name; write the version go1\.27\.3/],
    ['', /empty/],
    ['stable', /use go1\.27\.3, 1\.27\.3, 1\.27/],
    ['1.27.3.4', /use go1\.27\.3/],
  ];
  for (const [text, message] of bad) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => parseSpec(text),
        (err: unknown) => err instanceof GofleetError && err.code === 'BAD_VERSION_SPEC' && message.test(err.message),
      );
    });
  }
});

const rel = (version: string): Release => ({ version, stable: !/rc|beta/.test(version), files: [] });
const RELEASES = ['go1.28rc1', 'go1.27.3', 'go1.27.2', 'go1.27.0', 'go1.27rc2', 'go1.26.8', 'go1.21.0', 'go1.19.8', 'go1.19', 'go1.30rc1'].map(rel);

describe('resolveSpec', () => {
  const cases: [string, string][] = [
    ['go1.27.3', 'go1.27.3'],
    ['1.27.2', 'go1.27.2'],
    ['1.27', 'go1.27.3'],
    ['go1.19', 'go1.19.8'],
    ['1.19.0', 'go1.19'],
    ['latest', 'go1.27.3'],
    ['go1.28rc1', 'go1.28rc1'],
    ['1.27rc2', 'go1.27rc2'],
  ];
  for (const [spec, want] of cases) it(`${spec} -> ${want}`, () => assert.equal(resolveSpec(spec, RELEASES), want));

  const unknown: [string, RegExp][] = [
    ['go1.27.9', /^go1\.27\.9 is not offered by https:\/\/mirror\/ \(nearest: go1\.30rc1, go1\.28rc1, go1\.27\.3, go1\.27\.2\)$/],
    ['1.25', /^no go1\.25\.x release is offered by https:\/\/mirror\/ \(nearest: go1\.27rc2, go1\.26\.8, go1\.21\.0, go1\.19\.8\)$/],
    ['1.28', /^go1\.28 has no stable release .* yet; name a pre-release exactly \(nearest: go1\.28rc1\)$/],
    ['1.40', /^no go1\.40\.x release .*\(nearest: go1\.30rc1, go1\.28rc1\)$/],
  ];
  for (const [spec, message] of unknown) {
    it(`${spec} -> VERSION_UNKNOWN`, () => {
      assert.throws(
        () => resolveSpec(spec, RELEASES, { source: 'https://mirror/' }),
        (err: unknown) => err instanceof GofleetError && err.code === 'VERSION_UNKNOWN' && message.test(err.message),
      );
    });
  }

  it('latest with only pre-releases is VERSION_UNKNOWN', () => {
    assert.throws(() => resolveSpec('latest', [rel('go1.28rc1')]), /no stable release is offered by the source \(nearest: go1\.28rc1\)/);
  });
  it('an empty source says so', () => {
    assert.throws(() => resolveSpec('1.27.3', []), /the source lists no versions/);
  });
  it('accepts a parsed spec', () => {
    assert.equal(resolveSpec({ kind: 'line', line: 'go1.26' }, RELEASES), 'go1.26.8');
  });
});

describe('nearest', () => {
  const desc = ['go1.28.0', 'go1.27.3', 'go1.27.2', 'go1.26.8', 'go1.25.0'];
  it('takes two on each side, newest first', () => assert.deepEqual(nearest(desc, 'go1.27.1'), ['go1.27.3', 'go1.27.2', 'go1.26.8', 'go1.25.0']));
  it('at the top', () => assert.deepEqual(nearest(desc, 'go1.30.0'), ['go1.28.0', 'go1.27.3']));
  it('at the bottom', () => assert.deepEqual(nearest(desc, 'go1.2'), ['go1.26.8', 'go1.25.0']));
});
