// One host's upgrade / use through the engine itself under a fencing token (EngineContext.fence), as a worker of a
// dispatched run calls it: a context built here from an inventory (real transports, the registry's dialects) and
// the fixture archives, the host's events kept. Two contexts with the same run id and different tokens play two
// workers that both believe they hold the host's lease.

import { loadInventory } from '../../src/inventory/load-inventory.ts';
import type { HostSpec } from '../../src/inventory/types.ts';
import type { ArchiveInfo, Distribution, EngineContext, LocalArchive } from '../../src/engine/context.ts';
import type { EngineEvent, HostResult } from '../../src/engine/events.ts';
import { Sessions } from '../../src/engine/sessions.ts';
import { switchHost } from '../../src/engine/switch-host.ts';
import { upgradeHost } from '../../src/engine/upgrade-host.ts';
import { dialectFor } from '../../src/platform/registry.ts';
import type { VerifyPolicy } from '../../src/platform/types.ts';
import { openTransport } from '../../src/transport/open-transport.ts';
import type { FixtureArchive } from '../harness/toolchains.ts';

export interface FencedOptions {
  inventory: string;
  /** the inventory host (default: the first) */
  host?: string;
  run: string;
  token: number;
  archives: FixtureArchive[];
  /** the URL the archives are served under (ends with /), for --distribution pull */
  sourceUrl?: string;
  distribution?: Distribution;
  verify?: VerifyPolicy;
}

export interface FencedRun {
  result: HostResult;
  events: EngineEvent[];
}

async function hostSpec(o: FencedOptions): Promise<HostSpec> {
  const inv = await loadInventory(o.inventory);
  const spec = o.host === undefined ? inv.hosts[0] : inv.hosts.find((h) => h.name === o.host);
  if (!spec) throw new Error(`no host ${o.host ?? '(first)'} in ${o.inventory}`);
  return spec;
}

function fencedContext(o: FencedOptions, events: EngineEvent[]): EngineContext {
  const find = (version: string, os: string, arch: string): FixtureArchive => {
    const a = o.archives.find((x) => x.filename.startsWith(`${version}.${os}-${arch}.`));
    if (!a) throw new Error(`no fixture archive for ${version} ${os}/${arch}`);
    return a;
  };
  return {
    run: o.run,
    fence: { token: o.token },
    connect: (spec) => openTransport(spec, { connectTimeoutMs: 20_000 }),
    dialectFor,
    archiveInfo: async (version, os, arch): Promise<ArchiveInfo> => {
      const a = find(version, os, arch);
      return { filename: a.filename, sha256: a.sha256, size: a.size, url: o.sourceUrl ? o.sourceUrl + a.filename : null };
    },
    fetchArchive: async (version, os, arch): Promise<LocalArchive> => {
      const a = find(version, os, arch);
      return { path: a.path, filename: a.filename, sha256: a.sha256, size: a.size };
    },
    emit: (e) => void events.push(e),
    now: Date.now,
    verify: o.verify ?? { build: false, requirePath: false },
    stepTimeoutMs: 120_000,
    pollMs: 100,
    ...(o.distribution ? { distribution: o.distribution } : {}),
  };
}

/** `upgrade --to target` of one host under the token. */
export async function fencedUpgrade(o: FencedOptions, target: string): Promise<FencedRun> {
  const events: EngineEvent[] = [];
  const ctx = fencedContext(o, events);
  const sessions = new Sessions(ctx.connect);
  try {
    return { result: await upgradeHost(await hostSpec(o), target, ctx, sessions), events };
  } finally {
    await sessions.closeAll();
  }
}

/** `use version` (or `rollback`: null) of one host under the token. */
export async function fencedUse(o: FencedOptions, version: string | null): Promise<FencedRun> {
  const events: EngineEvent[] = [];
  const ctx = fencedContext(o, events);
  const sessions = new Sessions(ctx.connect);
  try {
    return { result: await switchHost(await hostSpec(o), version, ctx, sessions), events };
  } finally {
    await sessions.closeAll();
  }
}
