import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostFacts } from '../types.ts';
import { windowsPrivilege, windowsPrivilegeOf } from './privilege.ts';

function facts(over: { isRoot?: boolean; writable?: boolean; elevated?: boolean; adminMember?: boolean }): HostFacts {
  return {
    isRoot: over.isRoot ?? false,
    writable: over.writable ?? false,
    user: 'builder',
    windows: { elevated: over.elevated ?? false, adminMember: over.adminMember ?? false },
  } as unknown as HostFacts;
}
const req = { host: 'win-1', become: true, becomePassword: false };

test('an elevated administrator runs as connected; become changes nothing on Windows', { timeout: 5000 }, () => {
  const f = facts({ isRoot: true, elevated: true, adminMember: true });
  assert.equal(windowsPrivilegeOf(f), 'elevated');
  assert.deepEqual(windowsPrivilege(f, req), { elevate: false, how: 'none' });
});

test('a UAC-filtered administrator that cannot write the paths is BECOME_FAILED with the administrators_authorized_keys hint', { timeout: 5000 }, () => {
  const f = facts({ adminMember: true });
  assert.equal(windowsPrivilegeOf(f), 'filtered');
  const d = windowsPrivilege(f, req);
  assert.equal(d.problem?.code, 'BECOME_FAILED');
  assert.match(d.problem?.hint ?? '', /administrators_authorized_keys/);
});

test('a standard user is NO_PRIVILEGE unless it can write both paths (a user-level install)', { timeout: 5000 }, () => {
  assert.equal(windowsPrivilege(facts({}), req).problem?.code, 'NO_PRIVILEGE');
  assert.deepEqual(windowsPrivilege(facts({ writable: true }), req), { elevate: false, how: 'none' });
});
