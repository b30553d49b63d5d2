// Windows paths as Windows OpenSSH's SFTP server names them: `C:\ProgramData\x` is `/C:/ProgramData/x`
// (a drive letter after a leading slash, forward slashes; Ansible's ssh plugin `_escape_win_path` does the same).
// Only absolute local paths with a drive letter are accepted: a UNC path (\\server\share) or a device path
// (\\.\, \\?\UNC\) cannot be a goroot or versions_dir that gofleet manages, and a drive-relative (`C:x`) or
// relative path means different things to different processes. `\\?\C:\x` is read as `C:\x`.

import { GofleetError } from '../../errors.ts';

/** Characters Windows refuses in a file name (besides the drive's colon, and the control characters). */
const FORBIDDEN_CHARS = /[<>:"|?*]/;

function forbidden(name: string): boolean {
  return FORBIDDEN_CHARS.test(name) || [...name].some((c) => c.charCodeAt(0) < 0x20);
}

function invalid(path: string, why: string): GofleetError {
  return new GofleetError('WINDOWS_PATH_INVALID', `${JSON.stringify(path)} is not a usable Windows path: ${why}`);
}

/** The drive letter (uppercase) and the path's components, or a WINDOWS_PATH_INVALID error. */
export function parseWindowsPath(path: string): { drive: string; parts: string[] } {
  let p = path.replace(/\//g, '\\');
  if (/^\\\\\?\\[A-Za-z]:\\/.test(p)) p = p.slice(4);
  if (p.startsWith('\\\\')) {
    const kind = /^\\\\[.?]\\/.test(p) ? 'a device path (\\\\.\\ or \\\\?\\)' : 'a UNC path (\\\\server\\share)';
    throw invalid(path, `${kind} is not supported; use a local path with a drive letter, like C:\\ProgramData\\gofleet`);
  }
  const m = /^([A-Za-z]):(.*)$/s.exec(p);
  if (!m) throw invalid(path, 'it must start with a drive letter, like C:\\');
  const rest = m[2] ?? '';
  if (rest !== '' && !rest.startsWith('\\')) throw invalid(path, `it is relative to the current directory of drive ${m[1]}: (write ${m[1]}:\\${rest})`);
  const parts = rest.split('\\').filter((s) => s !== '' && s !== '.');
  const bad = parts.find(forbidden);
  if (bad !== undefined) throw invalid(path, `the name ${JSON.stringify(bad)} holds a character Windows refuses in file names`);
  if (parts.includes('..')) throw invalid(path, 'it holds a .. component; give the path without it');
  return { drive: (m[1] ?? '').toUpperCase(), parts };
}

/** `C:\ProgramData\x` -> `/C:/ProgramData/x` (the SFTP form). */
export function windowsToSftpPath(path: string): string {
  const { drive, parts } = parseWindowsPath(path);
  return `/${drive}:/${parts.join('/')}`;
}

/** `C:\ProgramData\x` -> `C:\ProgramData\x`, normalised: uppercase drive, single backslashes, no trailing one. */
export function normalizeWindowsPath(path: string): string {
  const { drive, parts } = parseWindowsPath(path);
  return `${drive}:\\${parts.join('\\')}`;
}

/** `/C:/ProgramData/x` (or `C:/ProgramData/x`, as some servers answer realpath) -> `C:\ProgramData\x`. */
export function sftpToWindowsPath(sftpPath: string): string {
  const m = /^\/?([A-Za-z]:)(\/.*)?$/s.exec(sftpPath);
  if (!m) throw invalid(sftpPath, 'an SFTP path on a Windows host starts with a drive, like /C:/');
  return normalizeWindowsPath(`${m[1] ?? ''}${(m[2] ?? '/').replace(/\//g, '\\')}`);
}
