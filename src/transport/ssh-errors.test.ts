import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectError, connectErrorCode } from './ssh-errors.ts';

const err = (message: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(message), extra);

test('connect errors map to stable codes', () => {
  assert.equal(connectErrorCode(err('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' })), 'HOST_UNREACHABLE');
  assert.equal(connectErrorCode(err('getaddrinfo ENOTFOUND nohost', { code: 'ENOTFOUND' })), 'HOST_UNREACHABLE');
  assert.equal(connectErrorCode(err('connect EHOSTUNREACH', { code: 'EHOSTUNREACH' })), 'HOST_UNREACHABLE');
  assert.equal(connectErrorCode(err('Timed out while waiting for handshake', { level: 'client-timeout' })), 'CONNECT_TIMEOUT');
  assert.equal(connectErrorCode(err('All configured authentication methods failed', { level: 'client-authentication' })),
    'AUTH_FAILED');
});

test('connectError keeps the host and the cause', () => {
  const cause = err('connect ECONNREFUSED', { code: 'ECONNREFUSED' });
  const e = connectError(cause, { host: 'b1', target: 'root@10.0.0.1:22' });
  assert.equal(e.host, 'b1');
  assert.equal(e.cause, cause);
  assert.equal(e.message, 'cannot connect to root@10.0.0.1:22: connect ECONNREFUSED');
});
