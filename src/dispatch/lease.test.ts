import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../errors.ts';
import { heldLease, type Taken } from './lease.ts';

const taken: Taken = { job: { run: 'r1', host: 'web-1', wave: 1, site: null, payload: {} }, token: 7, attempt: 2 };

function code(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof GofleetError ? err.code : String(err);
  }
}

test('assertHeld: held until the local end passes without a renewal (a paused worker knows on waking)', () => {
  let now = 1_000;
  const lease = heldLease(taken, 'w1', 1_500, () => now);
  assert.deepEqual([lease.token, lease.attempt, lease.worker], [7, 2, 'w1']);
  assert.equal(code(() => lease.assertHeld()), undefined);
  now = 1_501;
  assert.equal(code(() => lease.assertHeld()), 'LEASE_LOST');
  lease.renewed(2_000);
  assert.equal(code(() => lease.assertHeld()), undefined);
});

test('markLost aborts lease.lost with LEASE_LOST, once; assertHeld throws from then on', () => {
  const lease = heldLease(taken, 'w1', Number.MAX_SAFE_INTEGER);
  let fired = 0;
  lease.lost.addEventListener('abort', () => fired++);
  lease.markLost();
  lease.markLost();
  assert.equal(fired, 1);
  assert.equal((lease.lost.reason as GofleetError).code, 'LEASE_LOST');
  assert.match((lease.lost.reason as GofleetError).message, /web-1: the lease with token 7 is no longer held/);
  assert.equal(code(() => lease.assertHeld()), 'LEASE_LOST');
});
