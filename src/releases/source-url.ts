// A mirror at a base URL. Listing, first hit wins:
//   1. <base>index.json                      (the go.dev JSON, copied beside the files)
//   2. <base>?mode=json&include=all          (a server that answers like go.dev/dl/)
//   3. the HTML directory listing at <base>  (flat mirrors), checksums then come per file from
//      <base><file>.sha256 (bare hex, maybe followed by whitespace and the file name).
// With a trust key (--trust-key) only 1. counts, and only with a valid <base>index.json.sig; the signed
// index is then the only checksum (no .sha256 sidecars).

import type { KeyObject } from 'node:crypto';
import { GofleetError } from '../errors.ts';
import { displayUrl, httpGetBytes, httpGetText, type HttpOptions } from './http-client.ts';
import { listedFileNames, releasesFromListing } from './html-listing.ts';
import { verifyIndex } from './mirror-key.ts';
import { filesByName, parseReleaseIndex } from './release-index.ts';
import { openUrl } from './source-official.ts';
import { checksumFromIndex, once, parseSha256File, withTrailingSlash } from './source-common.ts';
import type { Release, ReleaseSource } from './types.ts';

export interface UrlSourceOptions {
  http?: HttpOptions;
  /** --trust-key: index.json must be signed by this key */
  trustKey?: KeyObject;
}

export function openUrlSource(baseUrl: string, options: UrlSourceOptions = {}): ReleaseSource {
  const base = withTrailingSlash(baseUrl);
  const http = options.http ?? {};
  const location = displayUrl(base);
  const fileUrl = (filename: string) => new URL(filename, base).toString();
  const { trustKey } = options;
  const releases = once(() => (trustKey ? signedReleases(base, http, trustKey) : listReleases(base, http)));
  const sidecars = new Map<string, Promise<string>>();

  async function checksum(filename: string): Promise<string> {
    if (trustKey) return checksumFromIndex(await releases(), filename, location);
    const listed = filesByName(await releases()).get(filename);
    if (listed?.sha256) return listed.sha256;
    let pending = sidecars.get(filename);
    if (!pending) {
      pending = fetchSidecar(fileUrl(filename), filename, http);
      pending.catch(() => sidecars.delete(filename));
      sidecars.set(filename, pending);
    }
    return pending;
  }

  return {
    kind: 'url',
    location,
    releases,
    checksum,
    open: (filename, opts) => openUrl(fileUrl(filename), http, opts),
    fileUrl,
  };
}

async function signedReleases(base: string, http: HttpOptions, key: KeyObject): Promise<Release[]> {
  const where = displayUrl(base);
  const index = await httpGetBytes(`${base}index.json`, { ...http, allowNotFound: true });
  if (index === null) throw new GofleetError('SOURCE_SIGNATURE_MISSING', `${where}index.json does not exist, and --trust-key requires a signed index.json`);
  verifyIndex(index, await httpGetText(`${base}index.json.sig`, { ...http, allowNotFound: true }), key, where);
  const releases = parseReleaseIndex(tryJson(index.toString('utf8')));
  if (!releases) throw new GofleetError('SOURCE_UNAVAILABLE', `${where}index.json is signed but is not a go.dev release index`);
  return releases;
}

async function listReleases(base: string, http: HttpOptions): Promise<Release[]> {
  // (a mirror may answer a missing index.json with an HTML page and status 200: that counts as absent)
  const indexText = await httpGetText(`${base}index.json`, { ...http, allowNotFound: true });
  const index = indexText === null ? null : parseReleaseIndex(tryJson(indexText));
  if (index) return index;
  const answer = await httpGetText(`${base}?mode=json&include=all`, { ...http, allowNotFound: true });
  const fromJson = answer === null ? null : parseReleaseIndex(tryJson(answer));
  if (fromJson) return fromJson;
  // most directory servers ignore the query and sent the listing already
  const html = answer !== null && listedFileNames(answer).length > 0 ? answer : await httpGetText(base, http);
  return releasesFromListing(html ?? '');
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function fetchSidecar(url: string, filename: string, http: HttpOptions): Promise<string> {
  const text = await httpGetText(`${url}.sha256`, { ...http, allowNotFound: true });
  if (text === null) {
    throw new GofleetError('CHECKSUM_MISSING', `${displayUrl(url)}.sha256 does not exist and the mirror has no index.json listing ${filename}`);
  }
  const digest = parseSha256File(text);
  if (!digest) throw new GofleetError('SOURCE_UNAVAILABLE', `${displayUrl(url)}.sha256 does not hold a SHA-256 hex digest`);
  return digest;
}
