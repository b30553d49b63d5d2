// Builds the read-only facts script for a Windows host (see ps-facts.ts for what it prints). The script is
// sent over stdin to the -EncodedCommand bootstrap (bootstrap.ts); values enter it only through psQuote.

import type { HostPaths } from '../types.ts';
import { PS_ENCODE } from './ps-encode.ts';
import { PS_FACTS } from './ps-facts.ts';
import { PS_READ } from './ps-read.ts';
import { psQuote } from './quote.ts';
import { scriptKindLine } from './script-kind.ts';
import { normalizeWindowsPath } from './sftp-path.ts';

/** The facts script for `paths` (absolute local Windows paths; UNC refused with WINDOWS_PATH_INVALID). */
export function windowsFactsScript(paths: HostPaths): string {
  const goroot = normalizeWindowsPath(paths.goroot);
  const versionsDir = normalizeWindowsPath(paths.versionsDir);
  return [
    '# gofleet: facts (read-only: changes nothing on the host). Windows PowerShell 5.1.',
    scriptKindLine('facts'),
    "$ErrorActionPreference = 'Stop'",
    "$ProgressPreference = 'SilentlyContinue'",
    `$script:G_ROOT = ${psQuote(goroot)}`,
    `$script:VDIR = ${psQuote(versionsDir)}`,
    "$script:META = $script:VDIR + '\\.gofleet'",
    '',
    PS_ENCODE,
    PS_READ,
    PS_FACTS,
    'gf_facts',
    'exit 0',
    '',
  ].join('\n');
}
