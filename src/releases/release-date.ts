// When a release came out, for the release-age policy (min-age.ts). The go.dev JSON index carries no dates (its
// `Uploaded` time is not exported), so the date is the Last-Modified of the release's source archive
// (go<V>.src.tar.gz, else its first file) as the source serves it: dl.google.com sends the upload time; a
// local directory gives the file's mtime; a source that knows the date itself says so (goproxy: the module's
// .info Time, source-goproxy.ts releaseTime). Anything that fails gives null: unknown, which the policy counts as too young.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { httpGet, type HttpOptions } from './http-client.ts';
import type { Release, ReleaseSource } from './types.ts';

/** `version` -> its release time in ms since the epoch, or null; one look-up per version. */
export function releaseDates(source: ReleaseSource, releases: readonly Release[], http: HttpOptions = {}): (version: string) => Promise<number | null> {
  const memo = new Map<string, Promise<number | null>>();
  return (version) => {
    let got = memo.get(version);
    if (!got) {
      got = dateOf(source, releases, version, http).catch(() => null);
      memo.set(version, got);
    }
    return got;
  };
}

async function dateOf(source: ReleaseSource, releases: readonly Release[], version: string, http: HttpOptions): Promise<number | null> {
  if (source.releaseTime) return source.releaseTime(version);
  const files = releases.find((r) => r.version === version)?.files ?? [];
  const file = files.find((f) => f.kind === 'source') ?? files[0];
  if (!file) return null;
  if (source.kind === 'dir') return statSync(join(source.location, file.filename)).mtimeMs;
  const url = source.fileUrl(file.filename);
  if (!url) return null;
  const res = await httpGet(url, http);
  res.body.destroy();
  return res.status >= 200 && res.status < 300 ? res.lastModified : null;
}
