// `--source SRC` -> a ReleaseSource. SRC: nothing/`official` (go.dev), `china` (golang.google.cn),
// `goproxy:[URL]` (golang.org/toolchain module zips, source-goproxy.ts), an http(s) URL (go.dev and golang.google.cn URLs are the official kind, anything else a mirror),
// or a directory.

import type { KeyObject } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GofleetError } from '../errors.ts';
import type { HttpOptions } from './http-client.ts';
import { openDirSource } from './source-dir.ts';
import { openGoProxySource } from './source-goproxy.ts';
import { CHINA_BASE_URL, OFFICIAL_BASE_URL, openOfficialSource } from './source-official.ts';
import { openUrlSource } from './source-url.ts';
import type { ReleaseSource } from './types.ts';

export interface OpenSourceOptions {
  /** where "official" points (tests: a loopback server); default https://go.dev/dl/ */
  officialBaseUrl?: string;
  /** where "china" points (tests: a loopback server); default https://golang.google.cn/dl/ */
  chinaBaseUrl?: string;
  http?: HttpOptions;
  /** --trust-key: a directory's or mirror URL's index.json must be signed by this key (refused for the official site) */
  trustKey?: KeyObject;
  /** goproxy: GOPROXY/GOSUMDB/GONOSUMDB/GOPRIVATE; default process.env */
  env?: Record<string, string | undefined>;
  /** goproxy: where the repacked archive is written; default the archive cache */
  cacheDir?: string;
  /** a warning for the user (e.g. checksum database verification skipped) */
  onWarning?: (message: string) => void;
}

const OFFICIAL_HOSTS = new Set(['go.dev', 'golang.org', 'golang.google.cn']);

export async function openSource(src?: string, options: OpenSourceOptions = {}): Promise<ReleaseSource> {
  const http = options.http ?? {};
  const spec = src?.trim() ?? '';
  const trust = options.trustKey ? { trustKey: options.trustKey } : {};
  const official = () => {
    if (options.trustKey) throw new GofleetError('BAD_OPTION', `--trust-key applies to a mirror directory or URL made by gofleet mirror sync, not to ${spec || 'official'}`);
  };
  if (spec === '' || spec === 'official' || spec === 'china' || isOfficialUrl(spec)) official();
  if (spec === '' || spec === 'official') return openOfficialSource({ baseUrl: options.officialBaseUrl ?? OFFICIAL_BASE_URL, http });
  if (/^goproxy:/i.test(spec)) {
    const { env, cacheDir, onWarning } = options;
    return openGoProxySource(spec.slice('goproxy:'.length), { http, ...(env && { env }), ...(cacheDir && { cacheDir }), ...(onWarning && { onWarning }) });
  }
  if (spec === 'china') return openOfficialSource({ baseUrl: options.chinaBaseUrl ?? CHINA_BASE_URL, http });
  if (/^https?:\/\//i.test(spec)) {
    const url = new URL(spec);
    if (OFFICIAL_HOSTS.has(url.hostname.toLowerCase())) {
      const base = url.pathname === '/' ? new URL('/dl/', url).toString() : spec;
      return openOfficialSource({ baseUrl: base, http });
    }
    return openUrlSource(spec, { http, ...trust });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    throw new GofleetError('BAD_OPTION', `--source ${spec}: only http(s) URLs, goproxy:URL and directories are supported`);
  }
  const dir = resolve(spec);
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) {
    throw new GofleetError('SOURCE_UNAVAILABLE', `--source ${spec}: no such directory (and not an http(s) URL, "official" or "china")`);
  }
  return openDirSource(dir, trust);
}

function isOfficialUrl(spec: string): boolean {
  return /^https?:\/\//i.test(spec) && OFFICIAL_HOSTS.has(new URL(spec).hostname.toLowerCase());
}
