// Input checks for the script builders. Everything is quoted anyway (shQuote); these checks
// reject values that would make a script meaningless or dangerous (relative paths, goroot "/", system paths,
// nested goroot/versionsDir, version names that could escape versionsDir) before anything runs.

import { GofleetError } from '../../errors.ts';
import { posixSystemPath } from '../system-paths.ts';
import type { HostPaths } from '../types.ts';

export { checkCount, checkFilename, checkRunId, checkSha256, checkTimeout, checkVersion, fenceText } from '../validate-values.ts';

function bad(message: string): GofleetError {
  return new GofleetError('BAD_OPTION', message);
}

/** Strip trailing slashes and check that `path` is absolute, printable and not the root. */
export function checkAbsolutePath(label: string, path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (!path.startsWith('/')) throw bad(`${label} must be an absolute path, got ${JSON.stringify(path)}`);
  if (trimmed === '') throw bad(`${label} must not be the root directory`);
  if (/[\0\n\r]/.test(path)) throw bad(`${label} contains a NUL or newline: ${JSON.stringify(path)}`);
  if (trimmed.split('/').some((part) => part === '.' || part === '..')) {
    throw bad(`${label} must not contain . or .. components: ${JSON.stringify(path)}`);
  }
  return trimmed;
}

/** Normalised paths; goroot and versionsDir must not contain each other. */
export function checkPaths(paths: HostPaths): HostPaths {
  const goroot = checkAbsolutePath('goroot', paths.goroot);
  const versionsDir = checkAbsolutePath('versions_dir', paths.versionsDir);
  // the last line of defence: no script is ever built for /lib64 or /usr/local (the inventory and the plan refuse them first)
  for (const [label, path] of [['goroot', goroot], ['versions_dir', versionsDir]] as const) {
    const system = posixSystemPath(path);
    if (system !== null) throw new GofleetError('SYSTEM_PATH', `${label} ${path} is a system path (${system}); no script is built for it`);
  }
  if (goroot === versionsDir || versionsDir.startsWith(`${goroot}/`) || goroot.startsWith(`${versionsDir}/`)) {
    throw bad(`goroot (${goroot}) and versions_dir (${versionsDir}) must not contain one another`);
  }
  return { goroot, versionsDir };
}
