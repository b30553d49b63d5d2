// Module versions (semver with a v prefix, pseudo-versions, +incompatible) and their order, as the go
// command sees them (golang.org/x/mod/semver). Pure.

export interface ModuleVersion {
  major: number;
  minor: number;
  patch: number;
  /** pre-release identifiers, e.g. ['rc', '1'] or ['0', '20200615200032-f1bc736245b1'] */
  pre: string[];
}

const SEMVER_RE = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parse `v1.2.3`, `v0.0.0-20200615200032-f1bc736245b1`, `v2.0.0+incompatible`; null otherwise. */
export function parseModuleVersion(text: string): ModuleVersion | null {
  const m = SEMVER_RE.exec(text.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ? m[4].split('.') : [] };
}

function cmp(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return cmp(b.length, a.length); // a release sorts after its pre-releases
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) {
      const c = cmp(x.length, y.length) || (x < y ? -1 : x > y ? 1 : 0);
      if (c !== 0) return c;
    } else if (xn !== yn) {
      return xn ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/** -1, 0 or 1. Unparseable versions sort before every valid one (like semver.Compare). */
export function compareModuleVersions(a: string, b: string): number {
  const x = parseModuleVersion(a);
  const y = parseModuleVersion(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  return cmp(x.major, y.major) || cmp(x.minor, y.minor) || cmp(x.patch, y.patch) || comparePre(x.pre, y.pre);
}

/** The UTC timestamp (yyyymmddhhmmss) of a pseudo-version, or null for a tagged version. */
export function pseudoVersionTime(text: string): string | null {
  const m = /(?:^|[.-])(\d{14})-[0-9a-f]{12}(?:\+incompatible)?$/.exec(text);
  return m?.[1] ?? null;
}
