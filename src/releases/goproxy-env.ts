// The go command's GOPROXY / GOSUMDB / GONOSUMDB / GOPRIVATE rules, for `--source goproxy:` (no URL). Pure.
//   GOPROXY: a list of proxy URLs; after a `,` the next one is tried only when the proxy answered 404/410
//   (the module is not there), after a `|` on any error. `direct` (fetch from the origin: not supported for
//   the toolchain module here, the list stops) and `off` (no more fetching) end the list.
//   GOSUMDB: `off`, or `name[+key] [url]`; sum.golang.google.cn is sum.golang.org served from China.
//   GONOSUMDB / GOPRIVATE: comma-separated module path glob prefixes that skip the checksum database.

export interface ProxyEntry {
  url: string;
  /** true: try the next entry after any error ("|"); false: only after 404/410 (",") */
  fallThroughOnError: boolean;
}

export const SUMDB_NAME = 'sum.golang.org';
export const SUMDB_KEY = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';

/** The proxies of a GOPROXY value, in order, up to `direct` / `off`. */
export function parseGoProxy(value: string | undefined): ProxyEntry[] {
  const text = value?.trim() || 'https://proxy.golang.org,direct';
  const entries: ProxyEntry[] = [];
  let rest = text;
  while (rest !== '') {
    const m = /[,|]/.exec(rest);
    const item = (m ? rest.slice(0, m.index) : rest).trim();
    rest = m ? rest.slice(m.index + 1) : '';
    if (item === '') continue;
    if (item === 'direct' || item === 'off') break;
    entries.push({ url: /^[a-z][a-z0-9+.-]*:/i.test(item) ? item : `https://${item}`, fallThroughOnError: m?.[0] === '|' });
  }
  return entries;
}

export interface SumDbConfig {
  /** off: GOSUMDB=off */
  off: boolean;
  name: string;
  key: string;
  /** the database's own URL; null: through the proxy's /sumdb/<name>/ passthrough first */
  url: string | null;
}

export function parseGoSumDb(value: string | undefined): SumDbConfig {
  const text = value?.trim() || SUMDB_NAME;
  if (text === 'off') return { off: true, name: SUMDB_NAME, key: SUMDB_KEY, url: null };
  const [first = '', url] = text.split(/\s+/);
  if (first === 'sum.golang.google.cn') return { off: false, name: SUMDB_NAME, key: SUMDB_KEY, url: url ?? 'https://sum.golang.google.cn' };
  const name = first.split('+')[0] ?? first;
  const key = first.includes('+') ? first : name === SUMDB_NAME ? SUMDB_KEY : '';
  return { off: false, name, key, url: url ?? null };
}

/** Whether `module` matches a GONOSUMDB/GOPRIVATE pattern list (path.Match globs on path-element prefixes). */
export function matchesPrivate(patterns: string | undefined, module: string): boolean {
  const elems = module.split('/');
  for (const raw of (patterns ?? '').split(',')) {
    const pattern = raw.trim();
    if (pattern === '') continue;
    const n = pattern.split('/').length;
    if (n > elems.length) continue;
    if (globRe(pattern).test(elems.slice(0, n).join('/'))) return true;
  }
  return false;
}

function globRe(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}
