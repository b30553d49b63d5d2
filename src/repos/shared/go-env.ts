// The environment of every go command a campaign runs. Pure.
// - GOTOOLCHAIN is pinned (`local` for a found binary): never a silent switch or download.
// - GOWORK is explicit: the repo's go.work for its members, `off` for everything else (a go.work above the
//   checkout must not leak in).
// - In workspace mode the go command refuses -mod=mod ("-mod may only be set to readonly or vendor when in
//   workspace mode"), so a -mod flag in GOFLAGS is dropped there.

import type { PinnedToolchain } from './types.ts';

/** GOFLAGS without any -mod=… flag; undefined stays undefined. */
export function withoutModFlag(goflags: string | undefined): string | undefined {
  if (goflags === undefined) return undefined;
  return goflags
    .split(/\s+/)
    .filter((f) => f !== '' && !/^--?mod=/.test(f))
    .join(' ');
}

export function goCommandEnv(base: NodeJS.ProcessEnv, toolchain: PinnedToolchain, gowork: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, GOTOOLCHAIN: toolchain.gotoolchain, GOWORK: gowork };
  if (gowork !== 'off') {
    const flags = withoutModFlag(base.GOFLAGS);
    if (flags === undefined || flags === '') delete env.GOFLAGS;
    else env.GOFLAGS = flags;
  }
  return env;
}
