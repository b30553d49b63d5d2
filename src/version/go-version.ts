// Go version names and their order, following go/version.Compare (cmd/go/internal/gover):
//   1.N < 1.NalphaR < 1.NbetaR < 1.NrcR < 1.N.0 < 1.N.1     for N >= 21 (1.N is a language version)
//   1.NbetaR < 1.NrcR < 1.N == 1.N.0 < 1.N.1                before 1.21 (1.N is the first release)
// Pure functions; no I/O.

export type PreKind = 'alpha' | 'beta' | 'rc';

export interface GoVersion {
  major: number;
  minor: number;
  /** null when absent ("1.27", "1.27rc2"); before 1.21 an absent patch means 0 */
  patch: number | null;
  pre: { kind: PreKind; n: number } | null;
  /** canonical name with the go prefix, as written: go1.27.3, go1.21rc2, go1.19 */
  name: string;
}

const NUM = '(0|[1-9][0-9]*)';
const VERSION_RE = new RegExp(`^go${NUM}(?:\\.${NUM}(?:\\.${NUM}|(alpha|beta|rc)${NUM})?)?$`);

/** Parse `go1.27.3` or `1.27.3` (also go1.21rc2, go1.9beta1, go1); null when it is not a Go version. */
export function parseVersion(text: string): GoVersion | null {
  const raw = text.trim();
  const name = raw.startsWith('go') ? raw : `go${raw}`;
  const m = VERSION_RE.exec(name);
  if (!m) return null;
  const [, major, minor, patch, kind, n] = m;
  const v: GoVersion = {
    major: Number(major),
    minor: minor === undefined ? 0 : Number(minor),
    patch: patch === undefined ? null : Number(patch),
    pre: kind === undefined ? null : { kind: kind as PreKind, n: Number(n) },
    name,
  };
  // "go1" is 1.0.0; before 1.21, "1.N" is the first release 1.N.0.
  if (minor === undefined || (v.patch === null && v.pre === null && v.major === 1 && v.minor < 21)) v.patch = 0;
  return v;
}

/** Like parseVersion, but a non-version is a programming error here. */
function mustParse(text: string): GoVersion {
  const v = parseVersion(text);
  if (!v) throw new TypeError(`not a Go version: ${JSON.stringify(text)}`);
  return v;
}

const KIND_ORDER: Record<PreKind, number> = { alpha: 1, beta: 2, rc: 3 };

function cmp(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** -1, 0 or 1 like go/version.Compare. Accepts names with or without the go prefix. */
export function compareVersions(a: string | GoVersion, b: string | GoVersion): number {
  const x = typeof a === 'string' ? mustParse(a) : a;
  const y = typeof b === 'string' ? mustParse(b) : b;
  return (
    cmp(x.major, y.major) ||
    cmp(x.minor, y.minor) ||
    cmp(x.patch ?? -1, y.patch ?? -1) ||
    cmp(x.pre ? KIND_ORDER[x.pre.kind] : 0, y.pre ? KIND_ORDER[y.pre.kind] : 0) ||
    cmp(x.pre?.n ?? 0, y.pre?.n ?? 0)
  );
}

/** Newest first (the go.dev order). Returns a new array. */
export function sortVersionsDesc(versions: readonly string[]): string[] {
  return [...versions].sort((a, b) => compareVersions(b, a));
}

/** go.dev's rule: neither beta nor rc (nor alpha). */
export function isStable(version: string): boolean {
  return mustParse(version).pre === null && !/beta|rc|alpha/.test(version);
}

/** `1.27.3` -> `go1.27.3`; throws on a non-version. */
export function normalizeVersion(text: string): string {
  return mustParse(text).name;
}

/** The release line a version belongs to: go1.27.3 -> go1.27, go1.21rc2 -> go1.21. */
export function versionLine(version: string | GoVersion): string {
  const v = typeof version === 'string' ? mustParse(version) : version;
  return `go${v.major}.${v.minor}`;
}
