// The archive provider: the one place that decides where a command's releases and archives come from.
// Given the --source list (tried in order), it answers the listing from the first source that answers, resolves a
// spec under --min-age, and fetches each file once per command: from the first source that serves bytes matching
// the SHA-256 an authority vouched for (checksum-authority.ts), passing over a source that is down, lacks the
// file, stalls, or serves wrong bytes. What was fetched comes back with its provenance (who served it, who vouched,
// which sources were passed over and why). The CLI only wires it (cli/runtime.ts).

import type { KeyObject } from 'node:crypto';
import { GofleetError } from '../errors.ts';
import { ensureArchive } from './cache.ts';
import type { CacheLimit } from './cache-evict.ts';
import { vouchFor } from './checksum-authority.ts';
import { findFileFor } from './find-file.ts';
import { displayUrl, type HttpOptions } from './http-client.ts';
import { resolveWithMinAge, type AgedResolution } from './min-age.ts';
import { openSource, type OpenSourceOptions } from './open-source.ts';
import { releaseDates } from './release-date.ts';
import type { FileKind, Release, ReleaseFile, ReleaseSource, SourceKind } from './types.ts';

export type ProviderMethod = 'zip' | 'msi';

export interface FailoverStep {
  source: string;
  code: string;
  message: string;
}

export interface Provenance {
  /** location that served the bytes (credentials stripped) */
  source: string;
  sourceKind: SourceKind;
  /** who vouched for the hash, in words */
  authority: string;
  /** h1: the module zip's hash as the Go checksum database records it (goproxy: sources only) */
  hashes: { sha256: string; h1?: string };
  failover: FailoverStep[];
  warnings: string[];
}

export interface Artifact {
  filename: string;
  version: string;
  os: string;
  arch: string;
  kind: FileKind;
  sha256: string;
  size: number;
  /** a URL a host may pull from; null: push only (a directory, a module zip) */
  url: string | null;
}

export interface FetchedArchive {
  path: string;
  filename: string;
  sha256: string;
  size: number;
  provenance: Provenance;
}

export interface ArchiveProvider {
  releases(): Promise<Release[]>;
  /** the source whose listing answered, with the listing */
  listing(): Promise<{ source: ReleaseSource; releases: Release[] }>;
  /** `minAge`: this look-up's own (a policy channel's min_age); null: none; absent: the provider's (--min-age) */
  resolve(spec: string, minAge?: { text: string; ms: number } | null): Promise<AgedResolution>;
  artifact(version: string, os: string, arch: string, method?: ProviderMethod): Promise<Artifact>;
  fetch(version: string, os: string, arch: string, method?: ProviderMethod): Promise<FetchedArchive>;
}

export interface ArchiveProviderOptions {
  /** --source items in order; empty: the official site */
  sources: readonly string[];
  /** --checksum-source: an independent index; 'same': each source is its own authority */
  checksumSource?: string;
  /** --trust-key: the sources' index.json must be signed by this key */
  trustKey?: KeyObject;
  cacheDir?: string;
  /** --cache-max for this command (cache-evict.ts cacheLimit) */
  limit?: CacheLimit;
  /** --min-age as given and in ms */
  minAge?: { text: string; ms: number };
  /** --sha256 pins */
  pins?: { forFile(filename: string): string | undefined };
  http?: HttpOptions;
  /** the default method of artifact()/fetch() (--method) */
  method?: ProviderMethod;
  /** tests: where "official" points; goproxy env */
  officialBaseUrl?: string;
  chinaBaseUrl?: string;
  env?: Record<string, string | undefined>;
  onWarning?: (message: string) => void;
  now?: () => number;
}

/** codes that say "this source served bytes that are not the official ones" (named, never used) */
const WRONG_BYTES = new Set(['CHECKSUM_MISMATCH', 'SOURCE_CHECKSUM_DISAGREES', 'MODULE_HASH_MISMATCH', 'SUMDB_VERIFY_FAILED', 'SOURCE_SIGNATURE_INVALID', 'SOURCE_SIGNATURE_MISSING']);
/** codes that say "this source cannot give us this file": try the next one */
const PASS_OVER = new Set(['SOURCE_UNAVAILABLE', 'SUMDB_UNAVAILABLE', 'RELEASE_FILE_MISSING', 'VERSION_UNKNOWN', 'CHECKSUM_MISSING', 'TRANSFER_FAILED', ...WRONG_BYTES]);

export function createArchiveProvider(o: ArchiveProviderOptions): ArchiveProvider {
  const specs = o.sources.length > 0 ? [...o.sources] : ['official'];
  const openOptions: OpenSourceOptions = {
    ...(o.http && { http: o.http }),
    ...(o.officialBaseUrl && { officialBaseUrl: o.officialBaseUrl }),
    ...(o.chinaBaseUrl && { chinaBaseUrl: o.chinaBaseUrl }),
    ...(o.env && { env: o.env }),
    ...(o.cacheDir && { cacheDir: o.cacheDir }),
    ...(o.onWarning && { onWarning: o.onWarning }),
  };
  const opened = new Map<string, Promise<ReleaseSource>>();
  const open = (spec: string | undefined, trusted: boolean): Promise<ReleaseSource> => {
    const key = `${trusted}\0${spec ?? ''}`;
    let got = opened.get(key);
    if (!got) {
      // --trust-key is for gofleet mirrors; in a list, official/china stay usable as a fallback (their own authority),
      // alone they are refused with BAD_OPTION as before
      const signed = trusted && o.trustKey && !(specs.length > 1 && (spec === undefined || spec === 'official' || spec === 'china'));
      got = openSource(spec, signed && o.trustKey ? { ...openOptions, trustKey: o.trustKey } : openOptions);
      opened.set(key, got);
    }
    return got;
  };
  const openMain = (spec: string) => open(spec === 'official' ? undefined : spec, true);

  // each source's listing, failures included: a source found down for the listing is not asked again per file
  const listings = new Map<string, Promise<{ source: ReleaseSource; releases: Release[] }>>();
  const listingOf = (spec: string) => {
    let got = listings.get(spec);
    if (!got) {
      got = openMain(spec).then(async (source) => ({ source, releases: await source.releases() }));
      listings.set(spec, got);
    }
    return got;
  };
  let listed: Promise<{ source: ReleaseSource; releases: Release[] }> | undefined;
  const listing = () => (listed ??= firstThatAnswers(specs, listingOf, o.onWarning, 'the release listing'));

  const independentsFor = async (served: ReleaseSource): Promise<ReleaseSource[]> => {
    if (o.checksumSource === 'same') return [];
    if (o.checksumSource) return [await open(o.checksumSource, false)];
    if (served.kind !== 'url' || o.trustKey) return [];
    // a mirror's bytes are checked against the official/china indexes in the list, else go.dev's then China's
    const listedIndexes: ReleaseSource[] = [];
    for (const spec of specs) {
      const src = await openMain(spec).catch(() => null);
      if (src?.kind === 'official') listedIndexes.push(src);
    }
    // none listed: go.dev's, then China's when go.dev does not answer (behind the Great Firewall)
    return listedIndexes.length > 0 ? listedIndexes : [await open(undefined, false), await open('china', false)];
  };

  // `method`: the look-up's own (use/rollback on an MSI goroot need the .msi whatever --method says), else --method
  const pick = (releases: readonly Release[], version: string, os: string, arch: string, method = o.method): ReleaseFile =>
    findFileFor(releases, version, os, arch, method);

  // a vouch's warnings (e.g. "checked only against the mirror's own checksum") are said once per file and command,
  // whether artifact() (once per host) or fetch() met them first
  const warned = new Set<string>();
  const vouchOf = async (served: ReleaseSource, filename: string) => {
    const pinned = o.pins?.forFile(filename);
    const vouch = await vouchFor(filename, { served, independents: await independentsFor(served), ...(pinned && { pinned }) });
    for (const w of vouch.warnings) {
      const line = `warning: ${filename}: ${w}`;
      if (!warned.has(line)) o.onWarning?.(line);
      warned.add(line);
    }
    return vouch;
  };

  const fetchFrom = async (spec: string, version: string, os: string, arch: string, method?: ProviderMethod) => {
    const { source: served, releases } = await listingOf(spec);
    const file = pick(releases, version, os, arch, method);
    const vouch = await vouchOf(served, file.filename);
    const got = await ensureArchive(served, file, { sha256: vouch.sha256, ...(o.cacheDir && { cacheDir: o.cacheDir }), ...(o.limit && { limit: o.limit }) });
    return { got, served, vouch };
  };

  // the SHA-256 the authority vouches for (what a host pulling the file itself must check), without downloading;
  // vouchFor decides outages itself (a mirror's own word with a warning), so every error here is a refusal
  const vouchedOr = async (source: ReleaseSource, f: ReleaseFile): Promise<string> => (await vouchOf(source, f.filename)).sha256;

  const fetched = new Map<string, Promise<FetchedArchive>>();
  const fetchOnce = async (version: string, os: string, arch: string, method?: ProviderMethod): Promise<FetchedArchive> => {
    const failover: FailoverStep[] = [];
    const result = await firstThatAnswers(specs, (spec) => fetchFrom(spec, version, os, arch, method), o.onWarning, `${version} ${os}/${arch}`, failover);
    const { got, served, vouch } = result;
    // a goproxy: source's module zip: the h1: the checksum database recorded (verified when it was served)
    const h1 = served.verifiedH1?.(got.filename) ?? null;
    const hashes = { sha256: got.sha256, ...(h1 !== null && { h1 }) };
    const provenance: Provenance = { source: served.location, sourceKind: served.kind, authority: vouch.authority, hashes, failover, warnings: vouch.warnings };
    return { path: got.path, filename: got.filename, sha256: got.sha256, size: got.size, provenance };
  };

  return {
    releases: async () => (await listing()).releases,
    listing,
    async resolve(spec, minAgeFor) {
      const { source, releases } = await listing();
      const now = (o.now ?? Date.now)();
      const minAge = minAgeFor === undefined ? o.minAge : minAgeFor;
      const policy = minAge && { minAge: minAge.text, minAgeMs: minAge.ms, now, releasedAt: releaseDates(source, releases, o.http) };
      return resolveWithMinAge(spec, releases, policy || undefined);
    },
    async artifact(version, os, arch, method) {
      const { source, releases } = await listing();
      const f = pick(releases, version, os, arch, method);
      // a module zip's SHA-256 is known only once verified and repacked (fetch)
      if (f.kind === 'module-zip') return { filename: f.filename, version: f.version, os: f.os, arch: f.arch, kind: f.kind, sha256: f.sha256, size: f.size, url: null };
      return { filename: f.filename, version: f.version, os: f.os, arch: f.arch, kind: f.kind, sha256: await vouchedOr(source, f), size: f.size, url: source.fileUrl(f.filename) };
    },
    fetch(version, os, arch, method) {
      // once per file for the whole command, failures included: a checksum mismatch is never retried from the
      // same source, and a failing source is not hammered once per host
      const key = `${version}/${os}/${arch}/${method ?? o.method ?? 'zip'}`;
      let pending = fetched.get(key);
      if (!pending) {
        pending = fetchOnce(version, os, arch, method);
        fetched.set(key, pending);
      }
      return pending;
    },
  };
}

/**
 * `attempt(spec)` for each source in order until one answers; a source that cannot (a PASS_OVER code) is noted
 * in `failover` and warned about. All failing: the one error when there was one source, else CHECKSUM_MISMATCH
 * when any served wrong bytes (or a bad signature or checksum-database proof), else SOURCE_UNAVAILABLE; the
 * message names each source and why.
 */
async function firstThatAnswers<T>(
  specs: readonly string[],
  attempt: (spec: string) => Promise<T>,
  onWarning: ((message: string) => void) | undefined,
  what: string,
  failover: FailoverStep[] = [],
): Promise<T> {
  for (const [i, spec] of specs.entries()) {
    try {
      return await attempt(spec);
    } catch (err) {
      if (!(err instanceof GofleetError) || !PASS_OVER.has(err.code)) throw err;
      failover.push({ source: sourceLabel(spec), code: err.code, message: err.message });
      const next = specs[i + 1];
      if (next !== undefined) onWarning?.(`warning: ${what}: ${sourceLabel(spec)} failed (${err.code}: ${err.message}); trying ${sourceLabel(next)}`);
      if (specs.length === 1) throw err;
    }
  }
  const why = failover.map((s) => `${s.source}: ${s.code}: ${s.message}`).join('; ');
  const code = failover.some((s) => WRONG_BYTES.has(s.code)) ? 'CHECKSUM_MISMATCH' : 'SOURCE_UNAVAILABLE';
  throw new GofleetError(code, `${what}: no source could serve it (${why})`);
}

/** A --source item for messages: URLs without credentials. */
export function sourceLabel(spec: string): string {
  const m = /^(goproxy:)?(https?:\/\/.*)$/i.exec(spec);
  if (!m?.[2]) return spec;
  try {
    return `${m[1] ?? ''}${displayUrl(m[2])}`;
  } catch {
    return spec;
  }
}
