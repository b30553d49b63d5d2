// Flat mirrors (mirrors.aliyun.com/golang/, mirrors.ustc.edu.cn/golang/) publish no JSON, only a
// directory listing. Read the official file names out of its links. Pure.

import { parseFileName } from './file-name.ts';
import { buildReleaseIndex } from './release-index.ts';
import type { Release, ReleaseFile } from './types.ts';

const HREF_RE = /href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

/** Official download file names linked from an HTML page, in page order, without duplicates. */
export function listedFileNames(html: string): string[] {
  const names = new Set<string>();
  for (const m of html.matchAll(HREF_RE)) {
    const href = (m[1] ?? m[2] ?? m[3] ?? '').replace(/[?#].*$/, '');
    let name = href.slice(href.lastIndexOf('/') + 1);
    try {
      name = decodeURIComponent(name);
    } catch {
      continue;
    }
    if (parseFileName(name)) names.add(name);
  }
  return [...names];
}

/** Releases built from a listing; sizes and checksums are unknown (0 and ''), to be fetched per file. */
export function releasesFromListing(html: string): Release[] {
  const files = listedFileNames(html).map((filename): ReleaseFile => {
    const p = parseFileName(filename);
    if (!p) throw new Error('unreachable: listedFileNames returned a non-official name');
    return { filename, os: p.os, arch: p.arch, version: p.version, sha256: '', size: 0, kind: p.kind };
  });
  return buildReleaseIndex(files);
}
