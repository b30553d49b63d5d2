// Windows paths for the fake Windows OpenSSH host (fake-windows-sshd.ts): each drive letter is a temp
// directory on this machine. Accepts what Windows OpenSSH's SFTP server and PowerShell accept:
// `/C:/ProgramData/x` (the SFTP form), `C:/ProgramData/x` and `C:\ProgramData\x`; `\` and `/` both separate.
// Names Windows refuses (`<>:"|?*`, control characters, a trailing dot or space) are refused here too.
// Not modelled: case-insensitive lookup (names are matched as written), 8.3 names, ACLs, junctions.
import { mkdirSync } from 'node:fs';
import { join, posix } from 'node:path';

export class WindowsPathError extends Error {
  constructor(readonly path: string, readonly why: 'no-drive' | 'invalid-name') {
    super(why === 'no-drive' ? `${path}: not a path on a drive (expected C:\\... or /C:/...)` : `${path}: invalid file name`);
  }
}

// eslint-disable-next-line no-control-regex
const INVALID_NAME = /[<>:"|?*\u0000-\u001f]|[. ]$/;
const DRIVE_PATH = /^\/?([A-Za-z]):(\/.*)?$/;

export class WindowsDrives {
  private readonly letters: Set<string>;

  /** `root` holds one directory per drive letter (created); `home` is the SFTP start directory (`C:\Users\<user>`). */
  constructor(readonly root: string, letters: string[], readonly home: string) {
    this.letters = new Set(letters.map((l) => l.toUpperCase()));
    for (const l of this.letters) mkdirSync(join(root, l), { recursive: true });
    mkdirSync(this.toLocal(home), { recursive: true });
  }

  /** The drive letter and the normalised path on it (`/ProgramData/x`), or a WindowsPathError. */
  parse(path: string): { drive: string; rest: string } {
    const m = DRIVE_PATH.exec(path.replace(/\\/g, '/'));
    const drive = m?.[1]?.toUpperCase();
    if (!m || !drive || !this.letters.has(drive)) throw new WindowsPathError(path, 'no-drive');
    const rest = posix.normalize(`/${m[2] ?? ''}`).replace(/\/+$/, '');
    for (const part of rest.split('/').slice(1)) {
      if (INVALID_NAME.test(part)) throw new WindowsPathError(path, 'invalid-name');
    }
    return { drive, rest };
  }

  /** The local path a Windows path is kept at. */
  toLocal(path: string): string {
    const { drive, rest } = this.parse(path);
    return join(this.root, drive, rest);
  }

  /** A Windows path (or one relative to `home`) in the form Windows OpenSSH's realpath answers: `/C:/x/y`. */
  toSftp(path: string): string {
    const p = path.replace(/\\/g, '/');
    const absolute = DRIVE_PATH.test(p) ? p : `${this.home.replace(/\\/g, '/')}/${p}`;
    const { drive, rest } = this.parse(absolute);
    return `/${drive}:${rest || '/'}`;
  }

  /** The Windows form (`C:\x\y`) of a path. */
  toWindows(path: string): string {
    const { drive, rest } = this.parse(path);
    return `${drive}:${(rest || '/').replace(/\//g, '\\')}`;
  }
}
