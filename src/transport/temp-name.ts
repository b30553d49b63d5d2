// The temp name a file is written under before it is renamed into place: same directory (so the rename
// is atomic), hidden, recognisable, unique. `separators` are the remote shell's path separators
// (RemoteShell.pathSeparators: '/' on POSIX, '\' and '/' on Windows); POSIX by default.
import { randomBytes } from 'node:crypto';

export const TEMP_SUFFIX = '.gofleet-part';

export function tempNameBeside(path: string, separators = '/'): string {
  let cut = -1;
  for (const sep of separators) cut = Math.max(cut, path.lastIndexOf(sep));
  const dir = path.slice(0, cut + 1);
  const base = path.slice(cut + 1);
  return `${dir}.${base}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
}
