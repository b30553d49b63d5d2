// Wiring from options to the releases layer. plan/upgrade/use/rollback, `releases`, `drift` and `script` get the
// archive provider (releases/provider.ts: the --source list with failover; script passes its one --source); mirror
// sync still takes one release source and its independent checksum sources (--source, --checksum-source,
// --trust-key), opened once and only when needed.

import { openSource, type OpenSourceOptions, type ReleaseSource } from '../releases/index.ts';
import { createArchiveProvider, type ArchiveProvider, type ArchiveProviderOptions } from '../releases/provider.ts';
import type { CacheLimit } from '../releases/cache-evict.ts';
import { readPublicKeyFile } from '../releases/mirror-key.ts';
import { parseMinAge } from './min-age-option.ts';
import { parseSha256Options } from './sha256-option.ts';

export interface ReleaseSources {
  main(): Promise<ReleaseSource>;
  /** the independent indexes that vouch for `main`'s files, in order (releases/checksum-authority.ts vouchFor);
   *  empty: main is its own authority */
  independents(): Promise<readonly ReleaseSource[]>;
}

export interface SourceSpecs {
  source?: string;
  checksumSource?: string;
  /** --trust-key PUBFILE: the source's index.json must be signed by this key */
  trustKey?: string;
}

export function lazySources(options: SourceSpecs, open: OpenSourceOptions = {}): ReleaseSources {
  let main: Promise<ReleaseSource> | undefined;
  let independents: Promise<readonly ReleaseSource[]> | undefined;
  const openMain = async () => {
    const trustKey = options.trustKey === undefined ? undefined : await readPublicKeyFile(options.trustKey);
    return openSource(options.source, trustKey ? { ...open, trustKey } : open);
  };
  return {
    main: () => (main ??= openMain()),
    independents: () =>
      (independents ??= (async () => {
        const spec = options.checksumSource;
        if (spec === 'same') return [];
        if (spec) return [await openSource(spec)];
        // a mirror URL's bytes are checked against the official index by default (China's when go.dev does not
        // answer); a local directory (air-gapped), a mirror whose signed index is trusted (--trust-key) and the
        // official site itself are their own authority
        const src = await (main ??= openMain());
        if (src.kind !== 'url' || options.trustKey !== undefined) return [];
        const { officialBaseUrl, chinaBaseUrl, http } = open;
        return [await openSource('official', { ...(officialBaseUrl && { officialBaseUrl }), ...(http && { http }) }), await openSource('china', { ...(chinaBaseUrl && { chinaBaseUrl }), ...(http && { http }) })];
      })()),
  };
}

export interface ProviderSpecs {
  sources: readonly string[];
  checksumSource?: string;
  trustKey?: string;
  cacheDir?: string;
  minAge?: string;
  method?: ArchiveProviderOptions['method'];
  /** --sha256 values as given */
  sha256?: readonly string[];
}

/** The command's archive provider, created on first use (the --trust-key file is read then). */
export function lazyProvider(specs: ProviderSpecs, onWarning: (message: string) => void, limit?: CacheLimit): () => Promise<ArchiveProvider> {
  let made: Promise<ArchiveProvider> | undefined;
  return () =>
    (made ??= (async () => {
      const trustKey = specs.trustKey === undefined ? undefined : await readPublicKeyFile(specs.trustKey);
      return createArchiveProvider({
        sources: specs.sources,
        onWarning,
        ...(specs.checksumSource !== undefined && { checksumSource: specs.checksumSource }),
        ...(trustKey && { trustKey }),
        ...(specs.cacheDir !== undefined && { cacheDir: specs.cacheDir }),
        ...(specs.minAge !== undefined && { minAge: { text: specs.minAge, ms: parseMinAge(specs.minAge) } }),
        ...(specs.method !== undefined && { method: specs.method }),
        ...(limit && { limit }),
        ...(specs.sha256 && specs.sha256.length > 0 && { pins: parseSha256Options(specs.sha256) }),
      });
    })());
}
