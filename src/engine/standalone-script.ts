// `gofleet script`: which dialect writes the standalone script for an OS, and the checks that do not depend on
// the dialect. Pure: the CLI resolves the release (releases/) and writes the file.

import { GofleetError } from '../errors.ts';
import { posixStandalone } from '../platform/posix/standalone-script.ts';
import type { StandaloneBuilder } from '../platform/standalone.ts';

export type ScriptOs = 'linux' | 'darwin' | 'windows';

export const SCRIPT_OSES: readonly ScriptOs[] = ['linux', 'darwin', 'windows'];

/**
 * The seam for Windows: the PowerShell builders (src/platform/windows, branch win-scripts) implement
 * StandaloneBuilder (`upgrade` for --method zip|msi, `detect`, extension '.ps1') and are returned here for
 * 'windows'. Until then a Windows script is refused before anything is resolved or written.
 */
export function standaloneBuilder(os: ScriptOs): StandaloneBuilder {
  switch (os) {
    case 'linux':
    case 'darwin':
      return posixStandalone;
    case 'windows':
      throw new GofleetError('UNSUPPORTED_PLATFORM', 'gofleet script --os windows: this build cannot write PowerShell scripts yet (the Windows dialect is in progress)', {
        hint: 'Use --os linux or --os darwin for POSIX machines; Windows scripts (zip side by side or --method msi) arrive with the PowerShell dialect (issue 10).',
      });
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
