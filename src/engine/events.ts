// The typed event stream the engine emits. Console output, JSON, reports and the store subscribe;
// the engine itself never formats text.

import type { ErrorCode } from '../errors.ts';
import type { StepName } from '../platform/types.ts';
import type { Provenance } from '../releases/provider.ts';

export type HostStatus =
  | 'pending'
  | 'connecting'
  | 'probing'
  | 'staging'
  | 'switching'
  | 'verifying'
  | 'upgraded'
  | 'switched'
  | 'pruned'
  | 'unchanged'
  | 'failed'
  | 'rolled_back'
  | 'unreachable'
  | 'skipped';

/**
 * The final statuses (docs/design.md `upgrade --json`): `upgraded` a new version installed and switched to,
 * `switched` moved among installed versions (use, rollback), `pruned` old versions removed.
 */
export type FinalStatus = Extract<HostStatus, 'upgraded' | 'switched' | 'pruned' | 'unchanged' | 'failed' | 'rolled_back' | 'unreachable' | 'skipped'>;

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  hint?: string;
}

/** Controller-side steps plus the steps scripts report on the host. */
/** `reach`: --distribution auto's probe of the source URL from the host (engine/reach-host.ts) */
export type EngineStep = StepName | 'connect' | 'facts' | 'reach' | 'download' | 'upload' | 'recover' | 'drain';

export interface StepRecord {
  step: EngineStep;
  status: 'ok' | 'fail' | 'skip' | 'running';
  startedAt: number;
  endedAt: number | null;
  code?: string;
  message?: string;
}

export interface HostResult {
  name: string;
  status: FinalStatus;
  from: string | null;
  to: string | null;
  error: ErrorInfo | null;
  warnings: string[];
  startedAt: number;
  durationMs: number;
  steps: StepRecord[];
  /** how the archive reached the host (decide-delivery.ts); absent for commands that deliver none */
  delivery?: 'push' | 'pull' | 'cached' | 'none';
  /** why that delivery (auto's probe, a source without a URL); absent when there is nothing to say */
  deliveryReason?: string;
}

export type EngineEvent =
  | { kind: 'run-start'; run: string; command: string; target: string | null; hosts: string[]; at: number }
  | { kind: 'wave-start'; run: string; wave: number; hosts: string[]; at: number }
  | {
      kind: 'host-step';
      run: string;
      host: string;
      step: EngineStep;
      status: 'start' | 'ok' | 'fail' | 'skip';
      code?: string;
      message?: string;
      /** with the `facts` step's ok: the Go version the host was found on (null: none), journaled as its `from` */
      version?: string | null;
      at: number;
    }
  | { kind: 'host-done'; run: string; result: HostResult; at: number }
  | { kind: 'wave-end'; run: string; wave: number; at: number }
  | { kind: 'run-end'; run: string; results: HostResult[]; at: number }
  /** once per fetched file per command: where its bytes came from and who vouched for them */
  | { kind: 'archive'; run: string; filename: string; provenance: Provenance; at: number };

export type EventSink = (event: EngineEvent) => void;

/** Fan one event out to many subscribers; a throwing subscriber never breaks the run. */
export function fanOut(...sinks: (EventSink | undefined)[]): EventSink {
  const live = sinks.filter((s): s is EventSink => s !== undefined);
  return (event) => {
    for (const sink of live) {
      try {
        sink(event);
      } catch {
        // a broken reporter must not stop an upgrade
      }
    }
  };
}
