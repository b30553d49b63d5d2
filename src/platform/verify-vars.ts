// The verification policy as script variables (BUILD, REQUIRE_PATH, HEALTH, CAP_BUILD, CAP_CMD): the same names
// and defaults in every dialect's switching scripts (posix/switch-script.ts; windows/switch-script.ts and
// msi-script.ts), each dialect quoting them its own way.

import type { VerifyPolicy } from './types.ts';
import { checkTimeout } from './validate-values.ts';

/** Default caps (seconds) on verify's commands when the policy sets no timeoutSeconds. */
const DEFAULT_BUILD_CAP = 300;
const DEFAULT_COMMAND_CAP = 60;

export function verifyVars(verify: VerifyPolicy): Array<[string, string]> {
  const cap = verify.timeoutSeconds === undefined ? undefined : checkTimeout('verify.timeoutSeconds', verify.timeoutSeconds);
  return [
    ['BUILD', verify.build ? '1' : '0'],
    ['REQUIRE_PATH', verify.requirePath ? '1' : '0'],
    ['HEALTH', verify.healthCommand ?? ''],
    ['CAP_BUILD', String(cap ?? DEFAULT_BUILD_CAP)],
    ['CAP_CMD', String(cap ?? DEFAULT_COMMAND_CAP)],
  ];
}

