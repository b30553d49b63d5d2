// The POSIX privilege model: root runs as it is; another user with become goes through sudo (`sudo -n`, or
// the become password first on stdin: sudo-command.ts); without become the user must be able to write goroot's
// parent and versions_dir. What the engine did itself before (probe-host, plan-host), now the dialect's.

import type { HostFacts, PrivilegeDecision, PrivilegeRequest } from '../types.ts';

const SUDO_FAILED = /sudo|password/i;
const BECOME_HINT = 'The user cannot sudo without a password: grant NOPASSWD for gofleet, set a become password (become_password / ansible_become_password), or connect as root.';
const NO_PRIVILEGE_HINT = 'The user cannot write goroot or versions_dir; set become: true or connect as a privileged user.';

export function posixPrivilege(facts: HostFacts, { host, become, becomePassword }: PrivilegeRequest): PrivilegeDecision {
  const elevate = become && !facts.isRoot;
  if (!elevate) {
    if (!facts.isRoot && !facts.writable) {
      return { elevate, how: 'none', problem: { code: 'NO_PRIVILEGE', message: `${host}: ${facts.user} cannot write goroot or versions_dir and become is off`, hint: NO_PRIVILEGE_HINT } };
    }
    return { elevate, how: 'none' };
  }
  const failedElevation = SUDO_FAILED;
  if (facts.sudo === 'nopasswd') return { elevate, how: 'sudo', failedElevation };
  if (facts.sudo === 'password-required' && becomePassword) return { elevate, how: 'sudo-password', failedElevation };
  const why = facts.sudo === 'missing' ? 'sudo is not installed' : 'sudo asks for a password and no become password is set';
  return { elevate, how: 'sudo', failedElevation, problem: { code: 'BECOME_FAILED', message: `${host}: become is set but ${why} for ${facts.user}`, hint: BECOME_HINT } };
}
