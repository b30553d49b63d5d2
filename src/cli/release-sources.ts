// The release source and the independent checksum source of a command (--source, --checksum-source), opened once
// and only when needed. Shared by the commands that resolve a release: plan/upgrade (runtime.ts) and script.

import { parseMinAge, releaseDates, resolveWithMinAge, openSource, type AgedResolution, type ReleaseSource } from '../releases/index.ts';
import type { CliIo } from './io.ts';

export interface ReleaseSources {
  main(): Promise<ReleaseSource>;
  /** where the expected SHA-256 comes from when not from `main` itself (undefined: main is its own authority) */
  checksum(): Promise<ReleaseSource | undefined>;
}

export function lazySources(options: { source?: string; checksumSource?: string }): ReleaseSources {
  let main: Promise<ReleaseSource> | undefined;
  let checksum: Promise<ReleaseSource | undefined> | undefined;
  return {
    main: () => (main ??= openSource(options.source)),
    checksum: () =>
      (checksum ??= (async () => {
        const spec = options.checksumSource;
        if (spec === 'same') return undefined;
        if (spec) return openSource(spec);
        // a mirror URL's bytes are checked against the official index by default; a local directory
        // (air-gapped) and the official site itself are their own authority
        const src = await (main ??= openSource(options.source));
        return src.kind === 'url' ? openSource() : undefined;
      })()),
  };
}

/** `spec` resolved from the main source under --min-age (when given); the exact-version warning goes to stderr. */
export async function resolveRelease(spec: string, sources: ReleaseSources, minAge: string | undefined, io: CliIo, now = Date.now()): Promise<AgedResolution> {
  const source = await sources.main();
  const releases = await source.releases();
  const policy =
    minAge === undefined ? undefined : { minAge, minAgeMs: parseMinAge(minAge), now, releasedAt: releaseDates(source, releases) };
  const got = await resolveWithMinAge(spec, releases, policy);
  if (got.warning) io.err(`warning: ${got.warning}\n`);
  return got;
}
