// The POSIX privilege model as a table: root, sudo without and with a password, no sudo, no become.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostFacts } from '../types.ts';
import { posixPrivilege } from './privilege.ts';

const facts = (over: Partial<HostFacts>): HostFacts => ({ user: 'deploy', isRoot: false, sudo: 'nopasswd', writable: false, ...over }) as HostFacts;
const decide = (over: Partial<HostFacts>, become: boolean, becomePassword = false) => {
  const d = posixPrivilege(facts(over), { host: 'h', become, becomePassword });
  return [d.elevate, d.how, d.problem?.code ?? null];
};

test('posix privilege: who elevates, how, and what blocks', () => {
  assert.deepEqual(decide({ isRoot: true, sudo: 'n/a' }, true), [false, 'none', null], 'root never goes through sudo');
  assert.deepEqual(decide({ isRoot: true, sudo: 'n/a', writable: false }, false), [false, 'none', null]);
  assert.deepEqual(decide({ sudo: 'nopasswd' }, true), [true, 'sudo', null]);
  assert.deepEqual(decide({ sudo: 'password-required' }, true, true), [true, 'sudo-password', null]);
  assert.deepEqual(decide({ sudo: 'password-required' }, true, false), [true, 'sudo', 'BECOME_FAILED']);
  assert.deepEqual(decide({ sudo: 'missing' }, true, true), [true, 'sudo', 'BECOME_FAILED']);
  assert.deepEqual(decide({ writable: false }, false), [false, 'none', 'NO_PRIVILEGE']);
  assert.deepEqual(decide({ writable: true }, false), [false, 'none', null]);
});

test('posix privilege: the messages and hints name sudo (the engine no longer does)', () => {
  const missing = posixPrivilege(facts({ sudo: 'missing' }), { host: 'h', become: true, becomePassword: false });
  assert.equal(missing.problem?.message, 'h: become is set but sudo is not installed for deploy');
  assert.match(missing.problem?.hint ?? '', /NOPASSWD/);
  const asks = posixPrivilege(facts({ sudo: 'password-required' }), { host: 'h', become: true, becomePassword: false });
  assert.equal(asks.problem?.message, 'h: become is set but sudo asks for a password and no become password is set for deploy');
  assert.ok(asks.failedElevation?.test('sudo: a password is required'));
  assert.equal(posixPrivilege(facts({}), { host: 'h', become: false, becomePassword: false }).failedElevation, undefined);
});
