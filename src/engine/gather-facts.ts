// Facts for many hosts at once (facts, plan): bounded concurrency, one round trip per host.

import type { HostSpec } from '../inventory/types.ts';
import type { EngineContext } from './context.ts';
import { factsHost, type FactsOptions, type HostFactsResult } from './facts-host.ts';
import { createLimiter } from '../util/limiter.ts';
import { Sessions } from './sessions.ts';

export async function gatherFacts(hosts: HostSpec[], ctx: EngineContext, parallel: number, options: FactsOptions = {}): Promise<HostFactsResult[]> {
  const sessions = new Sessions((h) => ctx.connect(h));
  const limit = createLimiter(Math.max(1, parallel));
  sessions.connectAhead(hosts, Math.min(parallel, 4));
  try {
    return await Promise.all(hosts.map((h) => limit(() => factsHost(h, ctx, sessions, options))));
  } finally {
    await sessions.closeAll();
  }
}
