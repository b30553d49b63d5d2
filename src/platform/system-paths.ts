// Paths gofleet must never use as goroot or versions_dir, for every dialect (pure; no I/O).
// goroot is replaced by a symlink and versions_dir gets trees moved in and out: pointed at /lib64 (a link on
// merged-/usr systems) an upgrade repointed the dynamic loader's directory and the host could no longer run
// a dynamically linked program. Checked on the controller at inventory load (the path as written) and on the
// host's facts (the physical path it resolves to: /usr/local/go -> /lib64 is just as bad).
// Two kinds of entries: EXACT (the directory itself is system, what is below may be fine: /usr/local/go)
// and TREE (the directory and everything below: /etc/go, /lib64/ld-linux.so.2, C:\Windows\Go).

const POSIX_TREE = [
  '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/usr/bin', '/usr/sbin', '/usr/lib', '/usr/lib32', '/usr/lib64',
  '/usr/libx32', '/usr/libexec', '/usr/include', '/usr/local/bin', '/usr/local/sbin', '/usr/local/lib', '/usr/local/lib64',
  '/usr/local/libexec', '/etc', '/boot', '/dev', '/proc', '/sys', '/run', '/var/run', '/System', '/private/etc',
  '/private/var/db', '/private/var/run', '/nix/store',
];

const POSIX_EXACT = [
  '/', '/usr', '/usr/share', '/usr/src', '/usr/local', '/usr/local/share', '/usr/local/include', '/usr/local/etc',
  '/usr/local/opt', '/usr/local/Cellar', '/usr/local/Homebrew', '/var', '/var/lib', '/var/log', '/var/cache',
  '/var/spool', '/var/mail', '/var/tmp', '/tmp', '/home', '/root', '/opt', '/opt/homebrew', '/opt/local', '/srv',
  '/mnt', '/media', '/snap', '/nix', '/Users', '/Users/Shared', '/Volumes', '/Applications', '/Library', '/private',
  '/private/var', '/private/tmp', '/private/var/tmp', '/cores',
];

/** Compared lower-case, drive letter removed: every drive's \Windows is refused, not only C:'s. */
const WINDOWS_TREE = ['\\windows', '\\system volume information', '\\$recycle.bin', '\\recovery', '\\boot'];

const WINDOWS_EXACT = [
  '\\', '\\program files', '\\program files (x86)', '\\program files\\common files', '\\program files (x86)\\common files',
  '\\programdata', '\\programdata\\microsoft', '\\users', '\\users\\public', '\\users\\default', '\\users\\all users',
];

/** Directories whose contents do not survive a reboot (tmpfs on most systems, or cleaned at boot). */
const POSIX_VOLATILE = ['/tmp', '/var/tmp', '/dev/shm', '/run', '/var/run', '/private/tmp', '/private/var/tmp'];

/** File system types held in memory: a goroot there is gone after a reboot. */
export const VOLATILE_FS_TYPES: readonly string[] = ['tmpfs', 'ramfs'];

/**
 * `path` with `.`, `..`, repeated and trailing slashes resolved lexically (`..` at the root stays at the root),
 * or null when it is not absolute.
 */
export function normalizePosixPath(path: string): string | null {
  if (!path.startsWith('/')) return null;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/**
 * A Windows path as `{ drive, rest }` with backslashes, `.`/`..` resolved and no trailing backslash, lower-cased
 * (Windows paths are case-insensitive); null when it is not absolute. `\\?\C:\x` and `C:/x` are C:\x;
 * `\\server\share\x` has drive `\\server\share`.
 */
export function normalizeWindowsPath(path: string): { drive: string; rest: string } | null {
  let p = path.replace(/\//g, '\\').toLowerCase();
  if (p.startsWith('\\\\?\\') || p.startsWith('\\\\.\\')) p = p.slice(4);
  let drive: string;
  let rest: string;
  const letter = /^([a-z]):(.*)$/.exec(p);
  if (letter) {
    drive = `${letter[1]}:`;
    rest = letter[2] ?? '';
  } else if (/^\\(?!\\)/.test(p)) {
    // \Windows: the root of the current drive
    drive = '';
    rest = p;
  } else {
    const unc = /^\\\\([^\\]+)\\([^\\]+)(.*)$/.exec(p);
    if (!unc) return null;
    drive = `\\\\${unc[1]}\\${unc[2]}`;
    rest = unc[3] ?? '';
  }
  const parts: string[] = [];
  for (const part of rest.split('\\')) {
    // trailing dots and spaces are dropped by Windows itself ("C:\Windows." is C:\Windows)
    const name = part.replace(/[. ]+$/, '');
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(name === '' ? part : name);
  }
  return { drive, rest: `\\${parts.join('\\')}` };
}

function matchList(path: string, exact: readonly string[], tree: readonly string[], sep: string, fold: boolean): string | null {
  const key = (s: string): string => (fold ? s.toLowerCase() : s);
  const p = key(path);
  for (const t of tree) {
    const k = key(t);
    if (p === k || p.startsWith(k.endsWith(sep) ? k : k + sep)) return t;
  }
  for (const e of exact) if (p === key(e)) return e;
  return null;
}

/** The deny-list entry a POSIX path falls under (after normalising), or null. */
export function posixSystemPath(path: string): string | null {
  const p = normalizePosixPath(path);
  // macOS file systems are usually case-insensitive: /library is /Library there
  return p === null ? null : (matchList(p, POSIX_EXACT, POSIX_TREE, '/', false) ?? matchList(p, POSIX_EXACT.filter(isMac), POSIX_TREE.filter(isMac), '/', true));
}

function isMac(entry: string): boolean {
  return /^\/(System|Library|Applications|Users|Volumes|private|cores)\b/.test(entry);
}

/** The deny-list entry a Windows path falls under (e.g. `\windows`), or null. */
export function windowsSystemPath(path: string): string | null {
  const p = normalizeWindowsPath(path);
  if (p === null) return null;
  // the root of a network share is as much a root as C:\
  return matchList(p.rest, WINDOWS_EXACT, WINDOWS_TREE, '\\', true);
}

/** Whether a path is written the Windows way (drive letter or UNC), whatever the host's dialect. */
export function isWindowsPath(path: string): boolean {
  return /^[A-Za-z]:/.test(path) || path.startsWith('\\') || path.startsWith('//');
}

/** The system path `path` is or falls under, for either dialect by its shape; null when it is not one. */
export function systemPathOf(path: string): string | null {
  // `//lib64` is /lib64 to a POSIX kernel although it looks like a UNC name: check both readings
  return (path.startsWith('/') ? posixSystemPath(path) : null) ?? (isWindowsPath(path) ? windowsSystemPath(path) : null);
}

/** The volatile directory a POSIX path lies under (/tmp, /dev/shm, ...), or null. */
export function volatilePathOf(path: string): string | null {
  if (isWindowsPath(path)) return null;
  const p = normalizePosixPath(path);
  if (p === null) return null;
  return POSIX_VOLATILE.find((v) => p === v || p.startsWith(`${v}/`)) ?? null;
}
