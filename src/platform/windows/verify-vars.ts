// The verification policy as the Windows scripts' variables (BUILD, REQUIRE_PATH, HEALTH, CAP_BUILD, CAP_CMD), for
// the zip and MSI builders alike (its own file: switch-script.ts and msi-script.ts import each other otherwise).

import type { VerifyPolicy } from '../types.ts';
import { checkTimeout } from './validate.ts';

/** Default caps (seconds) on verify's commands when the policy sets no timeoutSeconds (as on POSIX). */
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

