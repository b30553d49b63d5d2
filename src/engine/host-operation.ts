// The per-host operation the executor runs (upgrade, use, rollback, prune, ...). Its own file so
// resume-host.ts can wrap one without importing run-fleet.ts, which imports it: no import circle.
import type { HostSpec } from '../inventory/types.ts';
import type { HostResult } from './events.ts';
import type { Sessions } from './sessions.ts';

export type HostOperation<R extends HostResult> = (spec: HostSpec, sessions: Sessions) => Promise<R>;
