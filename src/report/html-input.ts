// What the HTML report reads: the `show RUN --json` document (cli/commands/history.ts showJson). Every field
// but the run id and the hosts may be missing; a host's `wave` is there when the run went out in waves.

export interface HtmlStep {
  step: string;
  /** ok | fail | skip | running (a step a stopped run never finished) */
  status: string;
  started_at?: string | null;
  ended_at?: string | null;
  duration_ms?: number | null;
  code?: string | null;
  message?: string | null;
}

export interface HtmlHost {
  name: string;
  /** a final status (upgraded, failed, ...) or the in-flight one a stopped run left behind */
  status: string;
  from?: string | null;
  to?: string | null;
  error: { code: string; message: string; hint?: string | null } | null;
  warnings?: string[];
  duration_ms?: number | null;
  started_at?: string | null;
  ended_at?: string | null;
  /** 1-based wave number; absent for runs that went out in one go */
  wave?: number | null;
  steps?: HtmlStep[];
}

/** one fetched archive's provenance (report/provenance.ts archiveJson) */
export interface HtmlArchive {
  filename: string;
  source: string;
  authority: string;
  /** the module zip's h1: (goproxy: sources) */
  h1?: string;
  failover?: { source: string; code: string; message: string }[];
  warnings?: string[];
}

export interface HtmlRun {
  run: string;
  /** the archives the run fetched, when any */
  archives?: HtmlArchive[];
  target: string | null;
  command?: string;
  /** running | done | interrupted | failed */
  status?: string;
  /** a 'running' run whose controller process is gone */
  abandoned?: boolean | null;
  started?: string;
  ended?: string | null;
  user?: string;
  argv?: string[];
  controller?: string;
  policy?: Record<string, unknown>;
  hosts: HtmlHost[];
}

/** milliseconds since the epoch, or null for a missing or unparsable time */
export function timeOf(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}
