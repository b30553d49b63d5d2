// The release source and the independent checksum source of a command (--source, --checksum-source), opened once
// and only when needed. Shared by the commands that resolve a release: plan/upgrade (runtime.ts) and script.

import { openSource, type OpenSourceOptions, type ReleaseSource } from '../releases/index.ts';

export interface ReleaseSources {
  main(): Promise<ReleaseSource>;
  /** where the expected SHA-256 comes from when not from `main` itself (undefined: main is its own authority) */
  checksum(): Promise<ReleaseSource | undefined>;
}

export function lazySources(options: { source?: string; checksumSource?: string }, open: OpenSourceOptions = {}): ReleaseSources {
  let main: Promise<ReleaseSource> | undefined;
  let checksum: Promise<ReleaseSource | undefined> | undefined;
  return {
    main: () => (main ??= openSource(options.source, open)),
    checksum: () =>
      (checksum ??= (async () => {
        const spec = options.checksumSource;
        if (spec === 'same') return undefined;
        if (spec) return openSource(spec);
        // a mirror URL's bytes are checked against the official index by default; a local directory
        // (air-gapped) and the official site itself are their own authority
        const src = await (main ??= openSource(options.source, open));
        return src.kind === 'url' ? openSource() : undefined;
      })()),
  };
}
