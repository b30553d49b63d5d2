// The Windows privilege model. There is no become over OpenSSH (no sudo; runas would prompt): scripts run with
// the token the account logged on with. A key or password logon of an administrator over OpenSSH gets the full
// (elevated) token; an administrator whose token UAC filtered, or a standard user, can change only what it can
// write — never Program Files or the machine PATH in HKLM.

import type { HostFacts, PrivilegeDecision, PrivilegeRequest, WindowsPrivilege } from '../types.ts';

const FILTERED_HINT =
  'The account is an administrator but its token is UAC-filtered: connect with a key listed in ' +
  'C:\\ProgramData\\ssh\\administrators_authorized_keys (OpenSSH then gives the full token), or use an account ' +
  'whose logons are elevated.';
const STANDARD_HINT =
  'The account is not an administrator and cannot write goroot or versions_dir: connect as an administrator, or ' +
  'set goroot and versions_dir to paths this account owns (a user-level install; the machine PATH is left alone).';

/** elevated / filtered / standard, from the Windows facts (isRoot is the elevated token). */
export function windowsPrivilegeOf(facts: HostFacts): WindowsPrivilege {
  if (facts.windowsPrivilege) return facts.windowsPrivilege;
  if (facts.isRoot || facts.windows?.elevated) return 'elevated';
  return facts.windows?.adminMember ? 'filtered' : 'standard';
}

export function windowsPrivilege(facts: HostFacts, { host }: PrivilegeRequest): PrivilegeDecision {
  const standing = windowsPrivilegeOf(facts);
  if (standing === 'elevated' || facts.writable) return { elevate: false, how: 'none' };
  if (standing === 'filtered') {
    return { elevate: false, how: 'none', problem: { code: 'BECOME_FAILED', message: `${host}: ${facts.user} is an administrator but its token is not elevated`, hint: FILTERED_HINT } };
  }
  return { elevate: false, how: 'none', problem: { code: 'NO_PRIVILEGE', message: `${host}: ${facts.user} is not an administrator and cannot write goroot or versions_dir`, hint: STANDARD_HINT } };
}
