// The temp name a file is written under before it is renamed into place: same directory (so the rename
// is atomic), hidden, recognisable, unique. Works for POSIX paths (local and remote).
import { randomBytes } from 'node:crypto';

export const TEMP_SUFFIX = '.gofleet-part';

export function tempNameBeside(path: string): string {
  const slash = path.lastIndexOf('/');
  const dir = slash >= 0 ? path.slice(0, slash + 1) : '';
  const base = slash >= 0 ? path.slice(slash + 1) : path;
  return `${dir}.${base}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
}
