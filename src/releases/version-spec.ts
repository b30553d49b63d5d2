// SPEC (docs/design.md): `go1.27.3`, `1.27.3` (exact), `1.27` (latest stable patch of 1.27), `latest`
// (newest stable). Pre-releases are named exactly (go1.28rc1). parseSpec checks the text;
// resolveSpec picks the exact version from what a source offers. Pure.

import { GofleetError } from '../errors.ts';
import type { Release } from './types.ts';
import { compareVersions, isStable, parseVersion, sortVersionsDesc, versionLine } from './version.ts';

export type VersionSpec =
  | { kind: 'exact'; version: string }
  | { kind: 'line'; line: string }
  | { kind: 'latest' };

const USAGE = 'use go1.27.3, 1.27.3, 1.27 (latest patch of 1.27) or latest';

/** Parse a SPEC; BAD_VERSION_SPEC with a pointed message for anything else. */
export function parseSpec(spec: string): VersionSpec {
  const text = spec.trim();
  if (text.toLowerCase() === 'latest') return { kind: 'latest' };
  const v = parseVersion(text.replace(/^go/i, 'go'));
  if (v) {
    // 1.27 / go1.27 / go1.19: a line (for 1.19 the parser already filled patch 0, so look at the text)
    const isLine = v.pre === null && /^(go)?\d+\.\d+$/i.test(text);
    return isLine ? { kind: 'line', line: versionLine(v) } : { kind: 'exact', version: v.name };
  }
  throw new GofleetError('BAD_VERSION_SPEC', `invalid version spec ${JSON.stringify(spec)}: ${explain(text)}`);
}

function explain(text: string): string {
  const wildcard = /^(?:go)?(\d+\.\d+)\.(?:x|\*)$/i.exec(text);
  if (wildcard) return `write ${wildcard[1]} for the latest ${wildcard[1]} patch`;
  const prefixed = /^v(\d+\.\d+(?:\.\d+)?)$/i.exec(text);
  if (prefixed) return `Go versions have no "v" prefix; write ${prefixed[1]} or go${prefixed[1]}`;
  if (/^[<>=~^]/.test(text)) return `version ranges are not supported; ${USAGE}`;
  const file = /^(go\d[\w.]*?)\.(?:src|[a-z0-9]+-[a-z0-9]+)\.(?:tar\.gz|zip|msi|pkg)$/i.exec(text);
  if (file) return `that is a file name; write the version ${file[1]}`;
  if (text === '') return `empty; ${USAGE}`;
  return USAGE;
}

export interface ResolveOptions {
  /** the source's name for messages, e.g. https://go.dev/dl/ */
  source?: string;
}

/** The exact version (as the source spells it) that `spec` means; VERSION_UNKNOWN when there is none. */
export function resolveSpec(spec: string | VersionSpec, releases: readonly Release[], options: ResolveOptions = {}): string {
  const s = typeof spec === 'string' ? parseSpec(spec) : spec;
  const versions = sortVersionsDesc(releases.map((r) => r.version).filter((v) => parseVersion(v) !== null));
  const where = options.source ? ` by ${options.source}` : ' by the source';
  if (s.kind === 'exact') {
    const hit = versions.find((v) => v === s.version) ?? versions.find((v) => compareVersions(v, s.version) === 0);
    if (hit) return hit;
    throw unknown(`${s.version} is not offered${where}`, nearest(versions, s.version));
  }
  const stable = versions.filter(isStable);
  if (s.kind === 'latest') {
    const newest = stable[0];
    if (newest) return newest;
    throw unknown(`no stable release is offered${where}`, versions.slice(0, 4));
  }
  const inLine = versions.filter((v) => versionLine(v) === s.line);
  const newest = inLine.find(isStable);
  if (newest) return newest;
  if (inLine.length > 0) {
    throw unknown(`${s.line} has no stable release${where} yet; name a pre-release exactly`, inLine.slice(0, 4));
  }
  throw unknown(`no ${s.line}.x release is offered${where}`, nearest(versions, s.line));
}

function unknown(message: string, near: string[]): GofleetError {
  const tail = near.length > 0 ? ` (nearest: ${near.join(', ')})` : ' (the source lists no versions)';
  return new GofleetError('VERSION_UNKNOWN', message + tail);
}

/** Up to two versions on each side of `target` in version order, newest first. */
export function nearest(versionsDesc: readonly string[], target: string): string[] {
  const i = versionsDesc.findIndex((v) => compareVersions(v, target) < 0);
  const cut = i === -1 ? versionsDesc.length : i;
  return [...versionsDesc.slice(Math.max(0, cut - 2), cut), ...versionsDesc.slice(cut, cut + 2)];
}
