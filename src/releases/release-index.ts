// The go.dev release index (`?mode=json&include=all`, or `index.json` in a mirror/dir):
// validate what a source sends, and build one from a list of files. Pure.

import { z } from 'zod';
import type { FileKind, Release, ReleaseFile } from './types.ts';
import { compareVersions, isStable, parseVersion } from './version.ts';

const FileSchema = z.object({
  filename: z.string().min(1),
  os: z.string().default(''),
  arch: z.string().default(''),
  version: z.string().default(''),
  sha256: z.string().default(''),
  size: z.number().default(0),
  kind: z.string().default(''),
});

const ReleaseSchema = z.object({
  version: z.string(),
  stable: z.boolean().optional(),
  files: z.array(FileSchema).default([]),
});

const KINDS = new Set<string>(['archive', 'installer', 'source']);

/**
 * Validate a parsed index document. Returns null when it is not a release index at all
 * (so callers can fall back to another layout); releases with unparseable versions and files
 * of unknown kinds are skipped. Result is sorted newest first.
 */
export function parseReleaseIndex(doc: unknown): Release[] | null {
  const parsed = z.array(ReleaseSchema).safeParse(doc);
  if (!parsed.success) return null;
  const releases: Release[] = [];
  for (const r of parsed.data) {
    if (!parseVersion(r.version)) continue;
    const files = r.files
      .filter((f) => KINDS.has(f.kind))
      .map((f): ReleaseFile => ({ ...f, version: f.version || r.version, sha256: f.sha256.toLowerCase(), kind: f.kind as FileKind }));
    releases.push({ version: r.version, stable: isStable(r.version), files });
  }
  return sortReleases(releases);
}

/** Group files into releases (newest first, files sorted by name). */
export function buildReleaseIndex(files: readonly ReleaseFile[]): Release[] {
  const byVersion = new Map<string, ReleaseFile[]>();
  for (const f of files) {
    const list = byVersion.get(f.version) ?? [];
    list.push(f);
    byVersion.set(f.version, list);
  }
  const releases = [...byVersion].map(([version, list]) => ({
    version,
    stable: isStable(version),
    files: list.sort((a, b) => a.filename.localeCompare(b.filename)),
  }));
  return sortReleases(releases);
}

function sortReleases(releases: Release[]): Release[] {
  return releases.sort((a, b) => compareVersions(b.version, a.version));
}

/** Every file of every release, keyed by file name. */
export function filesByName(releases: readonly Release[]): Map<string, ReleaseFile> {
  const map = new Map<string, ReleaseFile>();
  for (const r of releases) for (const f of r.files) map.set(f.filename, f);
  return map;
}
