// What the run journal stores and hands back. Times are milliseconds since the epoch.

import type { ClientBase } from 'pg';
import type { EngineStep, ErrorInfo, EventSink, HostStatus, StepRecord } from '../engine/events.ts';

export type RunStatus = 'running' | 'done' | 'interrupted' | 'failed';

/** Who started a run and how; given to `Store.recorder` before the run starts. */
export interface RunMeta {
  run: string;
  /** the OS user (default: os.userInfo().username) */
  user?: string;
  /** the command line as typed (secrets registered with registerSecret are redacted before storing) */
  argv: string[];
  command: string;
  /** the resolved target; may be left out, run-start's target then fills it in */
  target?: string | null;
  /** parallel, canary, waves, max-fail, ... as JSON */
  policy: Record<string, unknown>;
}

export interface RecorderOptions {
  /** called when a write fails (disk full, locked too long); the run goes on without the journal entry */
  onError?: (err: Error) => void;
  /** write the run's row at once, throwing when it cannot be written (a command that changes hosts refuses to
   * start without a working journal); default: the row is written with the first event */
  begin?: boolean;
  /** a worker's recorder (issue 14): journal only its hosts' steps and results (host-step, host-done), never the
   * run-level events (run-start, wave-*, run-end), which are the coordinator's */
  hostsOnly?: boolean;
  /** a worker's fence (issue 14): its writes land only while it still holds the host's lease (WriteGuard) */
  guard?: WriteGuard;
}

/**
 * A fence on a recorder's writes, checked by the journal's server inside each write's own transaction (issue 14:
 * a worker journals a host only while it holds that host's lease; the CLI builds the guard from the lease, the store
 * knows nothing of leases). Each transaction first takes the run's write lock, then asks `holds` on its own
 * connection: false, and nothing of that write is kept (rolled back) and `refused` is called; true, and whatever
 * `holds` locked (the lease's row, FOR SHARE) stays locked until the write commits, so no takeover can commit
 * between the check and the write. A `holds` that throws fails the write as any write failure does (onError).
 * PostgreSQL only: the SQLite journal refuses a recorder with a guard (WORKERS_NEED_POSTGRES) rather than ignore
 * it, since workers need the shared journal on PostgreSQL and a fence that is silently not checked is none.
 */
export interface WriteGuard {
  holds(client: ClientBase): Promise<boolean>;
  /** a write was not made because `holds` said no (the event, or the run's row for `begin`) */
  refused(): void;
}

export interface RunSummary {
  id: string;
  started: number;
  ended: number | null;
  user: string;
  argv: string[];
  command: string;
  target: string | null;
  policy: Record<string, unknown>;
  status: RunStatus;
  /** final host statuses of the run so far, e.g. {"upgraded": 2, "failed": 1} */
  counts: Record<string, number>;
  controller: string;
  pid: number;
  /** the controller's working directory when the run started (null: recorded by an older gofleet) */
  cwd: string | null;
}

export interface StoredStep extends StepRecord {
  /** order of the step within its host */
  seq: number;
  step: EngineStep;
}

export interface StoredHost {
  name: string;
  /** final (upgraded, failed, ...) or the last known in-flight state of a run that did not finish */
  status: HostStatus;
  from: string | null;
  to: string | null;
  error: ErrorInfo | null;
  warnings: string[];
  startedAt: number | null;
  endedAt: number | null;
  /** command-specific result fields (prune's `removed`) */
  extra: Record<string, unknown>;
  steps: StoredStep[];
}

export interface StoredRun extends RunSummary {
  hosts: StoredHost[];
}

export interface UnfinishedHost {
  name: string;
  status: HostStatus;
  /** where the host stood: its last journaled step, or null when it was never started */
  lastStep: StoredStep | null;
}

/** One line of the append-only event log (the payload is the engine event, redacted and excerpted). */
export interface JournalEvent {
  seq: number;
  at: number;
  kind: string;
  payload: Record<string, unknown>;
}

/**
 * The run journal. Reads and run-level writes are asynchronous so that a journal on a server (PostgreSQL, issue 14)
 * fits the same interface; the SQLite journal answers at once. The recorder is the engine's synchronous event sink.
 */
/** One entry of the audit trail about a run (store/serve-store.ts writes them). */
export interface RunAuditEntry {
  at: number;
  /** a token's name, or "local" */
  actor: string;
  /** the request's remote address */
  source: string;
  action: string;
  wave: number | null;
  detail: Record<string, unknown>;
}

export interface Store {
  readonly path: string;
  /** an event subscriber that journals one run as it happens, one small transaction per event */
  recorder(meta: RunMeta, options?: RecorderOptions): EventSink;
  /** newest first */
  listRuns(options?: { limit?: number }): Promise<RunSummary[]>;
  getRun(id: string): Promise<StoredRun | null>;
  /** hosts of a run whose status is not final (pending or in flight when the run stopped) */
  unfinishedHosts(run: string): Promise<UnfinishedHost[]>;
  hostStepLog(run: string, host: string): Promise<StoredStep[]>;
  runEvents(run: string): Promise<JournalEvent[]>;
  /** mark a run interrupted (Ctrl-C, or found 'running' after a crash); false when there is no such run */
  markInterrupted(run: string, at?: number): Promise<boolean>;
  /** mark a run failed (the command threw before run-end); false when there is no such run */
  markFailed(run: string, at?: number): Promise<boolean>;
  /**
   * Take a run over for `resume`: it becomes 'running' under this process, only if its row still has the status
   * and controller pid the caller read (false: gone, or another process claimed it first).
   */
  claimRun(run: string, expect: { status: RunSummary['status']; pid: number }): Promise<boolean>;
  /** what people did to the run (approve or stop a wave on the serve dashboard), oldest first */
  runAudit(run: string): Promise<RunAuditEntry[]>;
  /** resolves once every event given to this store's recorders so far is committed (or has reported its failure
   * through onError); the SQLite journal writes synchronously and resolves at once */
  flush(): Promise<void>;
  /** flushes, then closes */
  close(): Promise<void>;
}
