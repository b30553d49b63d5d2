// Pure: how the archive reaches one host (--distribution, issue 12). `plan` shows it, `upgrade` follows it and
// records it (HostResult.delivery):
//   none    the target is installed on the host already: no archive at all
//   cached  the archive is in the host's cache (the host script checks it against the published SHA-256)
//   push    the controller downloads once, verifies, and pushes it over the host's connection (the default)
//   pull    the host downloads it from the source URL itself (platform sh-pull.ts), then checks the SHA-256
// auto pulls where the host's reach probe (a HEAD from the host) answered, else pushes; a source without a URL a
// host could use (a local directory, a GOPROXY module zip that is repacked on the controller) is always pushed.

import type { Reach } from '../platform/types.ts';
import type { Distribution } from './context.ts';

export type Delivery = 'push' | 'pull' | 'cached' | 'none';

export interface DeliveryInput {
  distribution: Distribution;
  /** the plan stages an archive (the target is not installed) */
  stages: boolean;
  /** the archive is in the host's cache already */
  cached: boolean;
  /** the URL a host may pull the file from; null or undefined: push only */
  url: string | null | undefined;
  /** false: the host's dialect has no pull step (no reach probe) yet: pushed; default true */
  hostCanPull?: boolean;
  /** auto: what the host's reach probe found (needsReach said to run it); undefined when not probed */
  reach?: Reach;
}

export interface DeliveryDecision {
  delivery: Delivery;
  /** why, in words for the plan and the journal ('' for the plain cases) */
  reason: string;
}

export const NO_PULL_URL = 'no URL a host can pull from: local directory / goproxy';

/** auto needs the host's reach probe before deciding (one read-only round trip). */
export function needsReach(input: Omit<DeliveryInput, 'reach'>): boolean {
  return input.distribution === 'auto' && input.stages && !input.cached && !!input.url && input.hostCanPull !== false;
}

export function decideDelivery(input: DeliveryInput): DeliveryDecision {
  if (!input.stages) return { delivery: 'none', reason: 'installed already' };
  if (input.cached) return { delivery: 'cached', reason: 'archive in the host cache' };
  if (input.distribution === 'push') return { delivery: 'push', reason: '' };
  if (!input.url) return { delivery: 'push', reason: NO_PULL_URL };
  if (input.hostCanPull === false) return { delivery: 'push', reason: 'this host\'s shell cannot pull yet' };
  if (input.distribution === 'pull') return { delivery: 'pull', reason: '' };
  const r = input.reach;
  if (!r) return { delivery: 'push', reason: 'auto: the host was not probed' };
  const how = [r.status !== null ? `HTTP ${r.status}` : '', r.tool ?? ''].filter(Boolean).join(' via ');
  if (r.ok) return { delivery: 'pull', reason: `auto: the host reaches the source${how ? ` (${how})` : ''}` };
  return { delivery: 'push', reason: `auto: the host does not reach the source${r.detail ? `: ${r.detail}` : how ? ` (${how})` : ''}` };
}
