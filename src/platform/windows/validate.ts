// Input checks for the Windows script builders. Everything is quoted anyway (psQuote); these checks refuse
// values that would make a script meaningless or dangerous before anything runs: a path that is not a local
// drive path (UNC: a junction cannot point there, and the lock would not be local; sftp-path.ts decides, as
// for the facts script), a drive root, a system directory (C:\Windows, C:\Program Files itself), goroot and
// versions_dir inside one another. The dialect-neutral checks (version names, run ids, file names, digests, counts) are the POSIX ones.

import { GofleetError } from '../../errors.ts';
import { windowsSystemPath } from '../system-paths.ts';
import type { HostPaths } from '../types.ts';
import { parseWindowsPath } from './sftp-path.ts';

export { checkCount, checkFilename, checkPullUrl, checkRunId, checkSha256, checkTimeout, checkVersion, fenceText } from '../validate-values.ts';

function bad(message: string): GofleetError {
  return new GofleetError('BAD_OPTION', message);
}

/**
 * `C:\x\y` as the facts script spells it too (sftp-path.ts normalizeWindowsPath: uppercase drive, single
 * backslashes, no trailing one; UNC, device, relative paths, `..` and forbidden characters refused with
 * WINDOWS_PATH_INVALID), and not a drive root.
 */
export function checkWindowsPath(label: string, path: string): string {
  const { drive, parts } = parseWindowsPath(path);
  if (parts.length === 0) throw new GofleetError('WINDOWS_PATH_INVALID', `${label} must not be a drive root: ${JSON.stringify(path)}`);
  return `${drive}:\\${parts.join('\\')}`;
}

/** Normalised paths; no system path; goroot and versionsDir must not contain each other (case-insensitive). */
export function checkWindowsPaths(paths: HostPaths): HostPaths {
  const goroot = checkWindowsPath('goroot', paths.goroot);
  const versionsDir = checkWindowsPath('versions_dir', paths.versionsDir);
  for (const [label, path] of [['goroot', goroot], ['versions_dir', versionsDir]] as const) {
    const system = windowsSystemPath(path);
    if (system !== null) throw new GofleetError('SYSTEM_PATH', `${label} ${path} is a system path (${system}); no script is built for it`);
  }
  const g = goroot.toLowerCase();
  const v = versionsDir.toLowerCase();
  if (g === v || v.startsWith(`${g}\\`) || g.startsWith(`${v}\\`)) {
    throw bad(`goroot (${goroot}) and versions_dir (${versionsDir}) must not contain one another`);
  }
  return { goroot, versionsDir };
}

