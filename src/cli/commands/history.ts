// gofleet history [--json] [--limit N] · gofleet show RUN [--json]: what the run journal recorded.
// JSON uses the docs/design.md shapes; a host in `show --json` has exactly the fields `upgrade --json` prints.

import { GofleetError } from '../../errors.ts';
import type { FinalStatus } from '../../engine/events.ts';
import { FINAL_STATUSES, isAbandoned, isFinalStatus, thisMachine } from '../../store/index.ts';
import type { ControllerProbe, JournalEvent, RunAuditEntry, RunSummary, Store, StoredHost, StoredRun } from '../../store/index.ts';
import type { Provenance } from '../../releases/provider.ts';
import { archiveJson, provenanceLine } from '../../report/provenance.ts';
import { formatDuration, renderTable } from '../../util/text-table.ts';
import { EXIT } from '../exit-code.ts';
import { printJson, type CliIo } from '../io.ts';
import { hostJson } from './change.ts';
import { safeText } from '../../report/safe-text.ts';

export const DEFAULT_HISTORY_LIMIT = 20;

export interface HistoryOptions {
  json?: boolean;
  limit?: number;
  /** tells whether a 'running' run's controller still runs (default: this machine's processes) */
  probe?: ControllerProbe;
}

export async function historyCommand(store: Store, io: CliIo, options: HistoryOptions = {}): Promise<number> {
  const runs = await store.listRuns({ limit: options.limit ?? DEFAULT_HISTORY_LIMIT });
  const probe = options.probe ?? thisMachine;
  if (options.json) {
    printJson(io, historyJson(runs, probe));
    return EXIT.ok;
  }
  if (runs.length === 0) {
    io.out(`no runs recorded yet (journal: ${store.path})\n`);
    return EXIT.ok;
  }
  const rows = runs.map((r) => [r.id, when(r.started), r.user, r.command, r.target ?? '-', statusText(r, probe), countsText(r.counts)].map((c) => safeText(c)));
  io.out(renderTable(['run', 'started (UTC)', 'user', 'command', 'target', 'status', 'hosts'], rows));
  return EXIT.ok;
}

export async function showCommand(store: Store, io: CliIo, id: string, options: Omit<HistoryOptions, 'limit'> = {}): Promise<number> {
  const run = await store.getRun(id);
  if (!run) throw new GofleetError('RUN_NOT_FOUND', `no run "${id}" in the journal ${store.path}`);
  const probe = options.probe ?? thisMachine;
  if (options.json) printJson(io, await showDocument(store, run, probe));
  else {
    const archives = archivesFromJournal(await store.runEvents(id)).map((a) => `archive ${safeText(provenanceLine(a.filename, a.provenance))}\n`);
    io.out(showText(run, probe) + archives.join('') + (await store.runAudit(id)).map((e) => `${safeText(auditLine(e))}\n`).join(''));
  }
  return EXIT.ok;
}

/** showJson plus, when the run fetched any, the `archives` it journaled (where each came from, who vouched). */
export async function showDocument(store: Store, run: StoredRun, probe: ControllerProbe = thisMachine): Promise<Record<string, unknown>> {
  const archives = archivesFromJournal(await store.runEvents(run.id)).map((a) => archiveJson(a.filename, a.provenance));
  // what people did to the run (serve's approve / stop), when there is any
  const audit = (await store.runAudit(run.id)).map((e) => ({ at: iso(e.at), actor: e.actor, from: e.source, action: e.action, wave: e.wave, ...e.detail }));
  return { ...showJson(run, probe), ...(archives.length > 0 ? { archives } : {}), ...(audit.length > 0 ? { audit } : {}) };
}

/** `audit 2026-12-03 09:41:07 approve wave 2 by local from 127.0.0.1 (w2, w3)` */
export function auditLine(e: RunAuditEntry): string {
  const hosts = Array.isArray(e.detail.hosts) ? ` (${e.detail.hosts.join(', ')})` : '';
  return `audit ${when(e.at)} ${e.action}${e.wave !== null ? ` wave ${e.wave}` : ''} by ${e.actor} from ${e.source}${hosts}`;
}

/** The archives the run fetched, from its journaled 'archive' events (kind and payload as the runtime emitted them). */
function archivesFromJournal(events: readonly JournalEvent[]): { filename: string; provenance: Provenance }[] {
  return events.flatMap((e) => {
    const { filename, provenance } = e.payload as { filename?: unknown; provenance?: Provenance };
    const whole = provenance && typeof provenance.source === 'string' && Array.isArray(provenance.failover) && Array.isArray(provenance.warnings) && typeof provenance.hashes?.sha256 === 'string';
    return e.kind === 'archive' && typeof filename === 'string' && whole ? [{ filename, provenance }] : [];
  });
}

/**
 * docs/design.md `history --json`, newest first (as listed), plus ended, argv and `abandoned` (a 'running' run whose
 * controller process is gone: true/false, null when it ran on another machine).
 */
export function historyJson(runs: RunSummary[], probe: ControllerProbe = thisMachine): { runs: unknown[] } {
  return {
    runs: runs.map((r) => ({
      id: r.id,
      started: iso(r.started),
      ended: r.ended === null ? null : iso(r.ended),
      user: r.user,
      command: r.command,
      target: r.target,
      status: r.status,
      counts: r.counts,
      argv: r.argv,
      abandoned: isAbandoned(r, probe),
    })),
  };
}

/** docs/design.md `show RUN --json`: the `upgrade --json` document plus who, when and how. */
export function showJson(run: StoredRun, probe: ControllerProbe = thisMachine): Record<string, unknown> {
  return {
    run: run.id,
    target: run.target,
    command: run.command,
    status: run.status,
    abandoned: isAbandoned(run, probe),
    started: iso(run.started),
    ended: run.ended === null ? null : iso(run.ended),
    user: run.user,
    argv: run.argv,
    controller: run.controller,
    policy: run.policy,
    counts: run.counts,
    hosts: run.hosts.map(storedHostJson),
  };
}

/**
 * One host as `upgrade --json` prints it (hostJson), plus started_at/ended_at and `finished`. A host a stopped
 * run never finished keeps its last known state (pending, staging, ...) as status, and duration_ms null.
 */
export function storedHostJson(h: StoredHost): Record<string, unknown> {
  const ended = h.startedAt !== null && h.endedAt !== null;
  const json = hostJson({
    ...h.extra,
    name: h.name,
    // hostJson copies the status through; non-final ones appear only for runs that did not finish
    status: h.status as FinalStatus,
    from: h.from,
    to: h.to,
    error: h.error,
    warnings: h.warnings,
    startedAt: h.startedAt ?? 0,
    durationMs: ended ? (h.endedAt ?? 0) - (h.startedAt ?? 0) : 0,
    steps: h.steps,
  }) as Record<string, unknown>;
  return {
    ...json,
    duration_ms: ended ? json.duration_ms : null,
    started_at: h.startedAt === null ? null : iso(h.startedAt),
    ended_at: h.endedAt === null ? null : iso(h.endedAt),
    finished: isFinalStatus(h.status),
  };
}

function showText(run: StoredRun, probe: ControllerProbe): string {
  const took = run.ended === null ? '' : ` · took ${formatDuration(run.ended - run.started)}`;
  // host names, versions, messages and the command line came from inventories and hosts: shown, never obeyed
  const head = [
    `run ${run.id} · ${run.command}${run.target ? ` → ${run.target}` : ''} · ${statusText(run, probe)}`,
    `started ${when(run.started)} UTC by ${run.user} on ${run.controller}${took}`,
    `command: ${run.argv.join(' ')}`,
  ].map((line) => safeText(line)).join('\n');
  const rows = run.hosts.map((h) => [
    h.name,
    h.from ?? '-',
    h.to ?? '-',
    h.status,
    h.startedAt !== null && h.endedAt !== null ? formatDuration(h.endedAt - h.startedAt) : '-',
    h.error ? `${h.error.code}: ${oneLine(h.error.message)}` : '',
  ].map((c) => safeText(c)));
  const table = renderTable(['host', 'from', 'to', 'status', 'duration', 'error'], rows, { right: [4] });
  const unfinished = run.hosts.filter((h) => !isFinalStatus(h.status)).length;
  const totals = `total: ${countsText(run.counts) || 'no host finished'}${unfinished ? `; ${unfinished} did not finish` : ''}`;
  const troubled = run.hosts.filter((h) => h.status === 'failed' || h.status === 'rolled_back' || h.status === 'unreachable' || !isFinalStatus(h.status));
  const hints = [...new Set(run.hosts.flatMap((h) => (h.error?.hint ? [`hint ${h.error.code}: ${safeText(h.error.hint)}`] : [])))];
  return [`${head}\n`, table, `${totals}\n`, ...troubled.map(stepsText), ...(hints.length ? [hints.join('\n') + '\n'] : [])].join('\n');
}

function stepsText(h: StoredHost): string {
  const name = safeText(h.name);
  if (h.steps.length === 0) return `${name}: no steps recorded\n`;
  const rows = h.steps.map((s) => [
    s.step,
    s.status,
    s.endedAt === null ? '-' : formatDuration(s.endedAt - s.startedAt),
    s.code ?? '',
    s.message ? oneLine(s.message) : '',
  ].map((c) => safeText(c)));
  const failed = h.steps.filter((s) => s.status === 'fail' && s.message && s.message.includes('\n'));
  const full = failed.map((s) => `  ${s.step} output:\n${safeText((s.message ?? '').replace(/\n$/, ''), { multiline: true }).replace(/^/gm, '    | ')}\n`);
  return `${name} steps:\n` + renderTable(['step', 'status', 'duration', 'code', 'message'], rows, { right: [2] }) + full.join('');
}

/** 'running (controller gone)' for a run whose gofleet process crashed or was killed */
function statusText(run: RunSummary, probe: ControllerProbe): string {
  return isAbandoned(run, probe) ? `${run.status} (controller gone)` : run.status;
}

function countsText(counts: Record<string, number>): string {
  return FINAL_STATUSES.filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`).join(', ');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** 2026-11-25 09:15:02 (UTC, like run ids) */
function when(ms: number): string {
  return iso(ms).slice(0, 19).replace('T', ' ');
}

function oneLine(text: string, max = 100): string {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const more = text.trim().includes('\n');
  const cut = first.length > max ? first.slice(0, max - 1) + '…' : first;
  return more && cut === first ? `${cut} …` : cut;
}
