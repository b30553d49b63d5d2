// The official download site: `<base>?mode=json&include=all` lists every release with SHA-256s,
// `<base><file>` serves (go.dev redirects to dl.google.com/go/<file>). golang.google.cn is the
// same server for China; tests point the base at a loopback server.

import { GofleetError } from '../errors.ts';
import { assertOk, displayUrl, httpGet, httpGetText, type HttpOptions } from './http-client.ts';
import { parseReleaseIndex } from './release-index.ts';
import { checksumFromIndex, once, withTrailingSlash } from './source-common.ts';
import type { OpenFileOptions, OpenedFile, Release, ReleaseSource } from './types.ts';

export const OFFICIAL_BASE_URL = 'https://go.dev/dl/';
export const CHINA_BASE_URL = 'https://golang.google.cn/dl/';

export interface OfficialSourceOptions {
  /** default https://go.dev/dl/ */
  baseUrl?: string;
  http?: HttpOptions;
}

/** Fetch and validate a go.dev-shaped JSON index. */
export async function fetchReleaseIndex(url: string, http: HttpOptions = {}): Promise<Release[]> {
  const text = (await httpGetText(url, http)) ?? '';
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  const releases = parseReleaseIndex(doc);
  if (releases === null) {
    throw new GofleetError('SOURCE_UNAVAILABLE', `GET ${displayUrl(url)}: the answer is not a go.dev release index (JSON array of releases)`);
  }
  return releases;
}

/** Open the file at `url` for reading; SOURCE_UNAVAILABLE unless 2xx. */
export async function openUrl(url: string, http: HttpOptions, options: OpenFileOptions = {}): Promise<OpenedFile> {
  const res = await httpGet(url, { ...http, signal: options.signal ?? http.signal });
  assertOk(res);
  return { stream: res.body, size: res.size, location: displayUrl(res.url) };
}

export function openOfficialSource(options: OfficialSourceOptions = {}): ReleaseSource {
  const base = withTrailingSlash(options.baseUrl ?? OFFICIAL_BASE_URL);
  const http = options.http ?? {};
  const location = displayUrl(base);
  const releases = once(() => fetchReleaseIndex(`${base}?mode=json&include=all`, http));
  const fileUrl = (filename: string) => new URL(filename, base).toString();
  return {
    kind: 'official',
    location,
    releases,
    checksum: async (filename) => checksumFromIndex(await releases(), filename, location),
    open: (filename, opts) => openUrl(fileUrl(filename), http, opts),
    fileUrl,
  };
}
