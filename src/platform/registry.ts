// The dialect registry: the one place that maps an OS to its platform dialect. The CLI hands `dialectFor` to
// the engine through its context (cli/runtime.ts); the engine never imports a dialect folder (eslint layer rule).
// A new dialect is registered here.

import { GofleetError } from '../errors.ts';
import { posix } from './posix/index.ts';
import type { LoginShell } from './detect-shell.ts';
import type { HostOs, PlatformDialect } from './types.ts';

/** `login`: the shell detected on the host (platform/detect-shell.ts), when it was probed. */
export function dialectFor(os: HostOs, _login?: LoginShell): PlatformDialect {
  if (os === 'windows') {
    throw new GofleetError('UNSUPPORTED_PLATFORM', 'Windows hosts are not supported by this build yet (the PowerShell dialect is in progress)');
  }
  return posix;
}
