// `gofleet script`: the checks of --os and --method that do not depend on the dialect (the CLI picks the
// builder: platform/registry.ts standaloneFor). Pure: the CLI resolves the release (releases/) and writes the file.

import { GofleetError } from '../errors.ts';

export type ScriptOs = 'linux' | 'darwin' | 'windows';

export const SCRIPT_OSES: readonly ScriptOs[] = ['linux', 'darwin', 'windows'];

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
