// Ordering of Go version names as they appear on hosts (directory names under versionsDir),
// the same order the prune script uses (gf_sort_versions in sh-prune.ts):
// go1.27.3 > go1.27.0 = go1.27 > go1.27rc2 > go1.27beta1 > go1.26.8; names that are not
// versions sort first (oldest), by name.

interface Key {
  parts: [number, number, number, number, number];
  name: string;
}

function key(name: string): Key {
  const m = /^go(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(beta|rc)(\d+))?$/.exec(name);
  if (!m) return { parts: [0, 0, 0, 0, 0], name };
  const stage = m[4] === undefined ? 3 : m[4] === 'beta' ? 1 : 2;
  return { parts: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0), stage, Number(m[5] ?? 0)], name };
}

/** Negative when a is older than b, positive when newer, 0 when equal. */
export function compareGoVersions(a: string, b: string): number {
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.parts.length; i++) {
    const d = (ka.parts[i] ?? 0) - (kb.parts[i] ?? 0);
    if (d !== 0) return d;
  }
  return ka.name < kb.name ? -1 : ka.name > kb.name ? 1 : 0;
}
