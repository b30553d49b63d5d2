// Ordering of Go version names as they appear on hosts (directory names under versionsDir):
// the one Go ordering of src/version/go-version.ts (go/version.Compare), so that hosts, releases
// and repos never disagree; the prune script's gf_sort_versions (sh-prune.ts) sorts the same way.
// Names that are not versions sort first (oldest), by name.
import { compareVersions, parseVersion } from '../version/go-version.ts';

/** Negative when a is older than b, positive when newer, 0 when equal. */
export function compareGoVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (va && vb) return compareVersions(va, vb) || (a < b ? -1 : a > b ? 1 : 0);
  if (va) return 1;
  if (vb) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
