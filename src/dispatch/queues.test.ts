import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isJobKey, queueName } from './queues.ts';

test('one queue per site, and one for hosts without a site', () => {
  assert.equal(queueName(null), 'gofleet-hosts');
  assert.equal(queueName('fra1'), 'gofleet-hosts.site.fra1');
  assert.notEqual(queueName('a'), queueName(null));
  assert.notEqual(queueName('a'), queueName('b'));
});

test('a delivery carries only run and host', () => {
  assert.equal(isJobKey({ run: 'r', host: 'h' }), true);
  assert.equal(isJobKey({ run: 'r' }), false);
  assert.equal(isJobKey(null), false);
  assert.equal(isJobKey('r/h'), false);
});
