// The final host statuses (docs/design.md `upgrade --json`), in the order counts and reports list them.

import type { FinalStatus, HostStatus } from '../engine/events.ts';

export const FINAL_STATUSES: readonly FinalStatus[] = ['upgraded', 'switched', 'pruned', 'unchanged', 'failed', 'rolled_back', 'unreachable', 'skipped'];

export function isFinalStatus(status: HostStatus | string | undefined): status is FinalStatus {
  return (FINAL_STATUSES as readonly string[]).includes(status ?? '');
}
