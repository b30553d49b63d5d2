// Go's vulnerability database writes toolchain versions as semver (1.21.0-rc.1, 1.19.0, 1.4.3); gofleet names
// them as the go command does (go1.21rc1, go1.19, go1.4.3). Pure.

import { parseVersion, type GoVersion } from '../version/go-version.ts';

const SEMVER_RE = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-(alpha|beta|rc)\.(0|[1-9]\d*))?$/;

/** `1.21.0-rc.1` -> go1.21rc1, `1.19.0` -> go1.19 (before 1.21 the first release has no .0),
 *  `1.21.0` -> go1.21.0, `v1.26.8` -> go1.26.8; null for anything else (including "0"). */
export function semverToGo(text: string): GoVersion | null {
  const m = SEMVER_RE.exec(text.trim());
  if (!m) return null;
  const [, major, minor, patch, pre, n] = m;
  if (pre !== undefined) {
    // a prerelease belongs to a line's first release: 1.21.0-rc.1; 1.21.1-rc.1 is no Go version
    return patch === '0' ? parseVersion(`go${major}.${minor}${pre}${n}`) : null;
  }
  if (major === '1' && minor === '0' && patch === '0') return parseVersion('go1');
  const firstOfOldLine = patch === '0' && Number(major) === 1 && Number(minor) < 21;
  return parseVersion(firstOfOldLine ? `go${major}.${minor}` : `go${major}.${minor}.${patch}`);
}
