// The release-age policy with a fixed clock and fixed release dates: which version `latest`, `1.27` and an exact
// version resolve to, what is held back and why, and which --min-age values are refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GofleetError } from '../errors.ts';
import { resolveWithMinAge, type AgePolicy } from './min-age.ts';
import type { Release } from './types.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-02T12:00:00Z');
const release = (version: string): Release => ({ version, stable: !/rc|beta/.test(version), files: [] });
const RELEASES = ['go1.28rc1', 'go1.27.3', 'go1.27.2', 'go1.27.1', 'go1.26.9', 'go1.26.8'].map(release);

/** release dates in days before NOW; a missing entry is a release whose date cannot be known */
function policy(daysOld: Record<string, number>, minAge = '3d'): AgePolicy {
  return {
    minAge,
    minAgeMs: { '3d': 3 * DAY, '1w': 7 * DAY }[minAge] ?? assert.fail(`no test duration ${minAge}`),
    now: NOW,
    releasedAt: async (v) => (daysOld[v] === undefined ? null : NOW - daysOld[v] * DAY),
  };
}

const isCode = (code: string) => (e: unknown) => e instanceof GofleetError && e.code === code;

describe('resolveWithMinAge', () => {
  it('without a policy: the newest stable release, nothing held back', async () => {
    assert.deepEqual(await resolveWithMinAge('latest', RELEASES), { version: 'go1.27.3', heldBack: [] });
  });

  it('latest: skips a release younger than --min-age and says which and why', async () => {
    const got = await resolveWithMinAge('latest', RELEASES, policy({ 'go1.27.3': 1, 'go1.27.2': 20 }));
    assert.equal(got.version, 'go1.27.2');
    assert.equal(got.heldBack.length, 1);
    assert.equal(got.heldBack[0]?.version, 'go1.27.3');
    assert.equal(got.heldBack[0]?.released, new Date(NOW - DAY).toISOString());
    assert.match(got.heldBack[0]?.reason ?? '', /24 h old, younger than 3d/);
    assert.equal(got.warning, undefined);
  });

  it('a release exactly --min-age old is old enough', async () => {
    assert.equal((await resolveWithMinAge('latest', RELEASES, policy({ 'go1.27.3': 3 }))).version, 'go1.27.3');
  });

  it('a release whose date is unknown counts as too young, and the reason says so', async () => {
    const got = await resolveWithMinAge('latest', RELEASES, policy({ 'go1.27.2': 10 }));
    assert.equal(got.version, 'go1.27.2');
    assert.deepEqual(got.heldBack, [{ version: 'go1.27.3', released: null, reason: 'its release date is unknown (counted as too young)' }]);
  });

  it('a line: the newest patch of that line that is old enough', async () => {
    const got = await resolveWithMinAge('1.26', RELEASES, policy({ 'go1.27.3': 30, 'go1.26.9': 2, 'go1.26.8': 40 }, '1w'));
    assert.equal(got.version, 'go1.26.8');
    assert.deepEqual(got.heldBack.map((h) => h.version), ['go1.26.9']);
  });

  it('an exact version younger than --min-age is taken, with a warning', async () => {
    const got = await resolveWithMinAge('go1.27.3', RELEASES, policy({ 'go1.27.3': 1 }));
    assert.equal(got.version, 'go1.27.3');
    assert.deepEqual(got.heldBack, []);
    assert.match(got.warning ?? '', /go1\.27\.3 is named exactly, so it is used although released .*--min-age 3d/);
  });

  it('an exact version old enough: no warning', async () => {
    assert.equal((await resolveWithMinAge('1.27.2', RELEASES, policy({ 'go1.27.2': 9 }))).warning, undefined);
  });

  it('nothing old enough: VERSION_UNKNOWN naming every held-back release', async () => {
    await assert.rejects(resolveWithMinAge('1.27', RELEASES, policy({ 'go1.27.3': 1, 'go1.27.2': 2, 'go1.27.1': 2.5 })), (e: unknown) => {
      return isCode('VERSION_UNKNOWN')(e) && /no go1\.27\.x release is at least 3d old: go1\.27\.3 .*go1\.27\.2 .*go1\.27\.1/.test((e as Error).message);
    });
  });

  it('a spec nothing matches fails as without the policy', async () => {
    await assert.rejects(resolveWithMinAge('1.30', RELEASES, policy({})), isCode('VERSION_UNKNOWN'));
  });
});
