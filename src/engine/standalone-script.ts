// `gofleet script`: which dialect writes the standalone script for an OS, and the checks that do not depend on
// the dialect. Pure: the CLI resolves the release (releases/) and writes the file.

import { GofleetError } from '../errors.ts';
import { posixStandalone } from '../platform/posix/standalone-script.ts';
import type { StandaloneBuilder } from '../platform/standalone.ts';
import { windowsStandalone } from '../platform/windows/standalone-script.ts';

export type ScriptOs = 'linux' | 'darwin' | 'windows';

export const SCRIPT_OSES: readonly ScriptOs[] = ['linux', 'darwin', 'windows'];

/** sh for Linux and macOS; PowerShell 5.1 for Windows (`upgrade` for --method zip|msi, `detect`, '.ps1'). */
export function standaloneBuilder(os: ScriptOs): StandaloneBuilder {
  switch (os) {
    case 'linux':
    case 'darwin':
      return posixStandalone;
    case 'windows':
      return windowsStandalone;
  }
}

/** --os, --method and their combination; the values as the builders take them. */
export function checkScriptOptions(options: { os: string; method?: string }): { os: ScriptOs; method: 'zip' | 'msi' } {
  const os = options.os.toLowerCase();
  if (!(SCRIPT_OSES as readonly string[]).includes(os)) {
    throw new GofleetError('BAD_OPTION', `--os must be one of ${SCRIPT_OSES.join(', ')}, got "${options.os}"`);
  }
  const method = options.method ?? 'zip';
  if (method !== 'zip' && method !== 'msi') throw new GofleetError('BAD_OPTION', `--method must be zip or msi, got "${method}"`);
  if (method === 'msi' && os !== 'windows') {
    throw new GofleetError('BAD_OPTION', `--method msi installs the official Windows MSI: it needs --os windows (got --os ${os})`, {
      hint: 'Leave --method out for Linux and macOS: their scripts always install the .tar.gz side by side.',
    });
  }
  return { os: os as ScriptOs, method };
}
