// The dialect registry: the one place that maps an OS to its platform dialect. The CLI hands `dialectFor` to
// the engine through its context (cli/runtime.ts); the engine never imports a dialect folder (eslint layer rule).
// A new dialect is registered here.

import { posix } from './posix/index.ts';
import { posixStandalone } from './posix/standalone-script.ts';
import type { StandaloneBuilder } from './standalone.ts';
import { windows } from './windows/index.ts';
import { windowsStandalone } from './windows/standalone-script.ts';
import { windowsRemoteShellFor } from './windows/remote-shell.ts';
import type { LoginShell } from './detect-shell.ts';
import type { HostOs, PlatformDialect } from './types.ts';

/** `login`: the shell detected on the host (platform/detect-shell.ts), when it was probed. */
export function dialectFor(os: HostOs, login?: LoginShell): PlatformDialect {
  if (os === 'windows') {
    // the Windows adapter depends on the DefaultShell: under PowerShell the exit code needs carrying through
    return { ...windows, remoteShell: windowsRemoteShellFor(login === 'cmd' || login === 'powershell' ? login : 'any') };
  }
  return posix;
}

/** `gofleet script`: the builder of standalone scripts for an OS (sh for Linux and macOS, PowerShell 5.1 for Windows). */
export function standaloneFor(os: HostOs): StandaloneBuilder {
  return os === 'windows' ? windowsStandalone : posixStandalone;
}
