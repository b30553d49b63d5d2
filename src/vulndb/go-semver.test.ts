import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { semverToGo } from './go-semver.ts';

describe('semverToGo: the vuln database writes Go versions as semver', () => {
  const cases: [string, string | null][] = [
    ['1.21.0-rc.1', 'go1.21rc1'],
    ['1.22.0-beta.2', 'go1.22beta2'],
    ['1.21.0', 'go1.21.0'],
    ['1.26.8', 'go1.26.8'],
    ['1.19.0', 'go1.19'], // before 1.21 the first release of a line has no .0
    ['1.19.1', 'go1.19.1'],
    ['1.0.0', 'go1'],
    ['v1.26.8', 'go1.26.8'],
    ['1.21.1-rc.1', null], // only a line's first release has prereleases
    ['1.21.0-pre.1', null],
    ['1.21', null],
    ['0', null],
    ['0.0.0-20200124225646-8b5121be2f68', null],
  ];
  for (const [semver, want] of cases) {
    it(`${semver} -> ${want}`, () => assert.equal(semverToGo(semver)?.name ?? null, want));
  }
});
