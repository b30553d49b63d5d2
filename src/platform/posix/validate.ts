// Input checks for the script builders. Everything is quoted anyway (shQuote); these checks
// reject values that would make a script meaningless or dangerous (relative paths, goroot "/", system paths,
// nested goroot/versionsDir, version names that could escape versionsDir) before anything runs.

import { GofleetError } from '../../errors.ts';
import { posixSystemPath } from '../system-paths.ts';
import type { HostPaths } from '../types.ts';

const VERSION = /^go[0-9][0-9A-Za-z.+-]*$/;
const RUN_ID = /^[A-Za-z0-9._-]{1,100}$/;
const FILENAME = /^[A-Za-z0-9+_-][A-Za-z0-9._+-]*$/;

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

export function checkVersion(version: string): string {
  if (!VERSION.test(version)) throw bad(`not a Go version name: ${JSON.stringify(version)} (expected e.g. go1.27.3)`);
  return version;
}

export function checkRunId(run: string): string {
  if (!RUN_ID.test(run)) throw bad(`run id must match ${RUN_ID.source}, got ${JSON.stringify(run)}`);
  return run;
}

export function checkFilename(filename: string): string {
  if (!FILENAME.test(filename)) throw bad(`not a plain archive file name: ${JSON.stringify(filename)}`);
  return filename;
}

export function checkSha256(sha256: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(sha256)) throw bad(`not a SHA-256 hex digest: ${JSON.stringify(sha256)}`);
  return sha256.toLowerCase();
}

export function checkCount(label: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw bad(`${label} must be a non-negative integer, got ${n}`);
  return n;
}

/** A time cap in whole seconds (sh `sleep` takes integers everywhere): 1 s to a day. */
export function checkTimeout(label: string, seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > 86_400) {
    throw bad(`${label} must be a whole number of seconds from 1 to 86400, got ${seconds}`);
  }
  return seconds;
}
