// Input checks for the Windows script builders. Everything is quoted anyway (psQuote); these checks refuse
// values that would make a script meaningless or dangerous before anything runs: a path that is not a local
// drive path (UNC: a junction cannot point there, and the lock would not be local), `.`/`..` components, a
// drive root, a system directory (C:\Windows, C:\Program Files itself), goroot and versions_dir inside one
// another. The dialect-neutral checks (version names, run ids, file names, digests, counts) are the POSIX ones.

import { GofleetError } from '../../errors.ts';
import { windowsSystemPath } from '../system-paths.ts';
import type { HostPaths } from '../types.ts';

export { checkCount, checkFilename, checkRunId, checkSha256, checkTimeout, checkVersion } from '../posix/validate.ts';

function bad(message: string): GofleetError {
  return new GofleetError('BAD_OPTION', message);
}

/** `C:\x\y` (forward slashes accepted and turned into backslashes, trailing ones dropped), or BAD_OPTION. */
export function checkWindowsPath(label: string, path: string): string {
  const p = path.replace(/\//g, '\\').replace(/\\+$/, '');
  if (!/^[A-Za-z]:\\/.test(`${p}\\`) || p.startsWith('\\\\')) {
    throw bad(`${label} must be an absolute path on a local drive (C:\\...), got ${JSON.stringify(path)}`);
  }
  if (p.length <= 2) throw bad(`${label} must not be a drive root: ${JSON.stringify(path)}`);
  const control = [...p].some((c) => c.charCodeAt(0) < 0x20);
  if (control || /[<>"|?*]/.test(p) || p.indexOf(':', 2) !== -1) {
    throw bad(`${label} contains a character Windows does not allow in a path: ${JSON.stringify(path)}`);
  }
  const parts = p.slice(3).split('\\');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw bad(`${label} must not contain empty, . or .. components: ${JSON.stringify(path)}`);
  }
  return `${p.slice(0, 1).toUpperCase()}${p.slice(1)}`;
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
