import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../errors.ts';
import type { HostFacts } from '../platform/types.ts';
import { awaitOwnLockRelease, ownLiveLock, ownLock } from './own-lock.ts';

const facts = (lock: HostFacts['lock']): HostFacts => ({ lock }) as HostFacts;
const mine = { pid: '7', run: 'r1', since: 'now', stale: false };

test('only a live lock of this run counts as ours', () => {
  assert.equal(ownLiveLock(facts(mine), 'r1'), true);
  assert.equal(ownLiveLock(facts(mine), 'r2'), false);
  assert.equal(ownLiveLock(facts({ ...mine, stale: true }), 'r1'), false);
  assert.equal(ownLiveLock(facts(null), 'r1'), false);
});

test('reads until the lock is gone; waitFirst decides whether the first read waits', async () => {
  for (const waitFirst of [false, true]) {
    const seen = [facts(mine), facts(mine), facts(null)];
    let reads = 0;
    const got = await awaitOwnLockRelease(async () => seen[reads++] as HostFacts, {
      run: 'r1', deadline: Infinity, now: () => 0, pollMs: 1, waitFirst, timedOut: () => new GofleetError('INTERNAL', 'x'),
    });
    assert.equal(got.lock, null);
    assert.equal(reads, 3);
  }
});

test('at the deadline the caller\'s error, built from the last facts read', async () => {
  let t = 0;
  await assert.rejects(
    awaitOwnLockRelease(async () => facts(mine), {
      run: 'r1', deadline: 2, now: () => t++, pollMs: 1, waitFirst: false,
      timedOut: (f) => new GofleetError('HOST_LOCKED', `still held by ${f.lock?.pid}`),
    }),
    (e: GofleetError) => e.code === 'HOST_LOCKED' && e.message === 'still held by 7',
  );
});

test('ownLock: an unfenced context waits for a live lock of its own run; a fenced one never does, and plans without it', () => {
  assert.deepEqual(ownLock(facts(mine), 'r1', false), { facts: facts(mine), wait: true });
  assert.deepEqual(ownLock(facts(mine), 'r1', true), { facts: facts(null), wait: false });
  for (const lock of [{ ...mine, stale: true }, { ...mine, run: 'r0' }, null]) assert.equal(ownLock(facts(lock), 'r1', false).wait, false);
  assert.deepEqual(ownLock(facts({ ...mine, run: 'r0' }), 'r1', true).facts.lock, { ...mine, run: 'r0' }, 'another run\'s lock stays: the planner blocks on it');
});
