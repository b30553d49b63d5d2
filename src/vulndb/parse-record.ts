// Read one OSV record (JSON text) into a VulnRecord, keeping only its stdlib/toolchain entries; a record that is
// not OSV-shaped is VULNDB_INVALID naming the file. Also reads the index files of the vuln.go.dev layout. Pure.

import { GofleetError } from '../errors.ts';
import { semverToGo } from './go-semver.ts';
import { TOOLCHAIN_PACKAGES, type AffectedEntry, type RangeEvent, type ToolchainPackage, type VulnRecord } from './types.ts';

type Json = Record<string, unknown>;

export function invalid(file: string, what: string): GofleetError {
  return new GofleetError('VULNDB_INVALID', `vulnerability database ${file}: ${what}`);
}

export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid(file, `not JSON (${(err as Error).message})`);
  }
}

/** The record, or null when it concerns no toolchain package (a module's record) or is withdrawn. */
export function parseRecord(text: string, file: string): VulnRecord | null {
  const doc = parseJson(text, file);
  if (!isObject(doc) || typeof doc.id !== 'string' || !Array.isArray(doc.affected)) {
    throw invalid(file, 'not an OSV record (it needs a string "id" and an "affected" list)');
  }
  if (typeof doc.withdrawn === 'string') return null;
  const affected = doc.affected.flatMap((a, i) => toolchainEntry(a, `${file}: affected[${i}]`));
  if (affected.length === 0) return null;
  const aliases = Array.isArray(doc.aliases) ? doc.aliases.filter((a): a is string => typeof a === 'string') : [];
  return { id: doc.id, aliases, summary: summaryOf(doc), affected };
}

function toolchainEntry(a: unknown, where: string): AffectedEntry[] {
  if (!isObject(a) || !isObject(a.package) || typeof a.package.name !== 'string') throw invalid(where, 'no package name');
  const name = a.package.name;
  if (!(TOOLCHAIN_PACKAGES as readonly string[]).includes(name)) return [];
  const ranges = Array.isArray(a.ranges) ? a.ranges : [];
  const events = ranges.filter((r) => isObject(r) && r.type === 'SEMVER').flatMap((r, i) => rangeEvents((r as Json).events, `${where}.ranges[${i}]`));
  return [{ package: name as ToolchainPackage, events, imports: importsOf(a.ecosystem_specific) }];
}

function rangeEvents(events: unknown, where: string): RangeEvent[] {
  if (!Array.isArray(events)) throw invalid(where, 'a SEMVER range without an "events" list');
  return events.map((e, i): RangeEvent => {
    const key = isObject(e) ? (['introduced', 'fixed'] as const).find((k) => typeof e[k] === 'string') : undefined;
    if (!key) throw invalid(`${where}.events[${i}]`, 'an event needs "introduced" or "fixed"');
    const version = (e as Json)[key] as string;
    if (!(key === 'introduced' && version === '0') && !semverToGo(version)) {
      throw invalid(`${where}.events[${i}]`, `${JSON.stringify(version)} is not a Go release in semver form (1.21.0-rc.1, 1.26.8)`);
    }
    return key === 'introduced' ? { introduced: version } : { fixed: version };
  });
}

function importsOf(specific: unknown): AffectedEntry['imports'] {
  if (!isObject(specific) || !Array.isArray(specific.imports)) return [];
  return specific.imports.filter(isObject).filter((i) => typeof i.path === 'string').map((i) => ({
    path: i.path as string,
    symbols: Array.isArray(i.symbols) ? i.symbols.filter((s): s is string => typeof s === 'string') : [],
  }));
}

/** `summary`, else the first sentence (or line) of `details`, capped; older records have no summary. */
function summaryOf(doc: Json): string {
  if (typeof doc.summary === 'string' && doc.summary.trim()) return doc.summary.trim();
  const details = typeof doc.details === 'string' ? doc.details.trim() : '';
  const first = (details.split(/\n\s*\n|\n/)[0] ?? '').split(/(?<=\.)\s/)[0] ?? '';
  return first.length > 160 ? `${first.slice(0, 157)}...` : first;
}

/** index/modules.json: the ids listed under the toolchain packages. */
export function toolchainIds(text: string, file: string): string[] {
  const doc = parseJson(text, file);
  if (!Array.isArray(doc) || !doc.every((m) => isObject(m) && typeof m.path === 'string' && Array.isArray(m.vulns))) {
    throw invalid(file, 'not a list of {path, vulns}');
  }
  const ids = (doc as Json[])
    .filter((m) => (TOOLCHAIN_PACKAGES as readonly string[]).includes(m.path as string))
    .flatMap((m) => (m.vulns as unknown[]).map((v) => (isObject(v) ? v.id : undefined)));
  if (!ids.every((id): id is string => typeof id === 'string' && /^[A-Za-z0-9-]+$/.test(id))) throw invalid(file, 'a vuln without a valid "id"');
  return [...new Set(ids)].sort();
}

/** index/db.json: its `modified` time. */
export function dbModified(text: string, file: string): string {
  const doc = parseJson(text, file);
  if (!isObject(doc) || typeof doc.modified !== 'string') throw invalid(file, 'no "modified" time');
  return doc.modified;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
