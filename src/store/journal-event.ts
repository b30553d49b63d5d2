// What journaling one engine event writes, once for both back ends: a generator of named statements
// (journal-sql.ts) that a driver runs inside one transaction per event — synchronously on SQLite
// (record-events.ts), awaited on PostgreSQL (pg/pg-recorder.ts). The driver sends each statement's result back
// in: a `get` its row (or undefined), an `all` its rows, a `run` the number of rows it changed.

import { hostname, userInfo } from 'node:os';
import { redact } from '../errors.ts';
import type { EngineEvent, EngineStep, HostResult, HostStatus } from '../engine/events.ts';
import { journalJson, journalText } from './excerpt.ts';
import { FINAL_STATUSES, isFinalStatus } from './final-status.ts';
import type { JournalStatement } from './journal-sql.ts';
import type { RecorderOptions, RunMeta } from './types.ts';

type HostStep = Extract<EngineEvent, { kind: 'host-step' }>;

export interface JournalOp {
  statement: JournalStatement;
  mode: 'run' | 'get' | 'all';
  params: Record<string, unknown>;
}

export type JournalWrites = Generator<JournalOp, void, unknown>;

/** The in-flight host status a step start moves a host to (unlisted steps keep the current one). */
const STEP_STATUS: Partial<Record<EngineStep, HostStatus>> = {
  connect: 'connecting',
  facts: 'probing',
  download: 'staging',
  pull: 'staging',
  upload: 'staging',
  lock: 'staging',
  adopt: 'staging',
  stage: 'staging',
  switch: 'switching',
  rollback: 'switching',
  recover: 'switching',
  verify: 'verifying',
};

const RESULT_FIELDS = new Set(['name', 'status', 'from', 'to', 'error', 'warnings', 'startedAt', 'durationMs', 'steps']);
/** what a worker's recorder (hostsOnly) journals: its hosts, never the run-level events of the coordinator */
const HOST_KINDS = new Set<EngineEvent['kind']>(['host-step', 'host-done']);

export type RunValues = ReturnType<typeof runRowOf>;

/** The runs row a recorder writes (the same for every event of the run). */
export function runRowOf(meta: RunMeta) {
  return {
    id: meta.run,
    user: meta.user ?? osUser(),
    argv: JSON.stringify(meta.argv.map(redact)),
    command: meta.command,
    target: meta.target ?? null,
    policy: journalJson(meta.policy),
    controller: hostname(),
    pid: process.pid,
    cwd: process.cwd(),
  };
}

/** Whether a recorder of `run` journals `event` at all. */
export function journals(event: EngineEvent, run: string, options: RecorderOptions): boolean {
  return event.run === run && (!options.hostsOnly || HOST_KINDS.has(event.kind));
}

const op = (statement: JournalStatement, params: Record<string, unknown>, mode: JournalOp['mode'] = 'run'): JournalOp => ({ statement, mode, params });

/** begin: the run's row, written before any host is contacted. */
export function* beginRun(row: RunValues, at: number): JournalWrites {
  yield op('ensureRun', { ...row, started: Math.round(at) });
}

/** Everything one event writes, in order; the event-log line last. */
export function* journalEvent(row: RunValues, e: EngineEvent): JournalWrites {
  const run = row.id;
  yield op('ensureRun', { ...row, started: Math.round(e.at) });
  switch (e.kind) {
    case 'run-start':
      // a resumed run is now this controller's: a second resume must see it alive
      yield op('restartRun', { run, command: e.command, target: e.target, controller: row.controller, pid: row.pid });
      for (const [ord, host] of e.hosts.entries()) yield op('addHost', { run, host, ord });
      break;
    case 'host-step':
      yield* hostStep(run, e);
      break;
    case 'host-done':
      yield* writeHostResult(run, e.result);
      yield* updateCounts(run);
      break;
    case 'run-end': {
      for (const r of e.results) if (!isFinalStatus(yield* hostStatus(run, r.name))) yield* writeHostResult(run, r);
      yield* updateCounts(run);
      const interrupted = e.results.some((r) => r.error?.code === 'INTERRUPTED');
      yield op('endRun', { run, status: interrupted ? 'interrupted' : 'done', at: Math.round(e.at) });
      break;
    }
    default:
      break;
  }
  yield op('appendEvent', { run, at: Math.round(e.at), kind: e.kind, payload: journalJson(eventPayload(e)) });
}

function* hostStatus(run: string, host: string): Generator<JournalOp, string | undefined, unknown> {
  const row = (yield op('hostStatus', { run, host }, 'get')) as { status: string } | undefined;
  return row?.status;
}

function* ensureHost(run: string, host: string): JournalWrites {
  // hosts come from run-start; an unknown one (a recorder attached late) is appended after them
  if ((yield* hostStatus(run, host)) === undefined) yield op('ensureHost', { run, host });
}

function* writeHostResult(run: string, r: HostResult): JournalWrites {
  yield* ensureHost(run, r.name);
  const extra = Object.fromEntries(Object.entries(r).filter(([k]) => !RESULT_FIELDS.has(k)));
  yield op('hostDone', {
    run,
    host: r.name,
    status: r.status,
    from: r.from,
    to: r.to,
    code: r.error?.code ?? null,
    message: r.error ? journalText(r.error.message) : null,
    hint: r.error?.hint === undefined ? null : journalText(r.error.hint),
    started: Math.round(r.startedAt),
    // the engine's own duration, not the time the event was delivered: show must print what upgrade printed
    ended: Math.round(r.startedAt) + Math.round(r.durationMs),
    warnings: journalJson(r.warnings),
    extra: journalJson(extra),
  });
  // the host's own record of its steps is authoritative: it replaces what the step events journaled
  yield op('deleteSteps', { run, host: r.name });
  for (const [i, s] of r.steps.entries()) {
    yield op('insertStep', {
      run,
      host: r.name,
      seq: i + 1,
      step: s.step,
      status: s.status,
      started: Math.round(s.startedAt),
      ended: s.endedAt === null ? null : Math.round(s.endedAt),
      code: s.code ?? null,
      message: s.message === undefined ? null : journalText(s.message),
    });
  }
}

function* updateCounts(run: string): JournalWrites {
  const rows = (yield op('counts', { run }, 'all')) as { status: string; n: number | string }[];
  const counts = Object.fromEntries(FINAL_STATUSES.flatMap((s) => rows.filter((r) => r.status === s).map((r) => [s, Number(r.n)])));
  yield op('setCounts', { run, counts: JSON.stringify(counts) });
}

function* hostStep(run: string, e: HostStep): JournalWrites {
  yield* ensureHost(run, e.host);
  const at = Math.round(e.at);
  const detail = { code: e.code ?? null, message: e.message === undefined ? null : journalText(e.message) };
  if (e.status === 'start') {
    yield op('startStep', { run, host: e.host, step: e.step, at });
    yield op('hostInFlight', { run, host: e.host, status: STEP_STATUS[e.step] ?? null, at });
    return;
  }
  // where the host started, known from its first probe: resume needs it for a host the run never finished
  if (e.step === 'facts' && e.status === 'ok' && e.version !== undefined && e.version !== null) yield op('hostFrom', { run, host: e.host, version: e.version });
  const changed = (yield op('endStep', { run, host: e.host, step: e.step, status: e.status, at, ...detail })) as number;
  // an end without a journaled start (the recorder was attached late): record it as a step of its own
  if (changed === 0) yield op('insertStep', { run, host: e.host, seq: null, step: e.step, status: e.status, started: at, ended: at, ...detail });
}

/** run-end repeats every host's result, which host-done already journaled: keep only names and statuses. */
function eventPayload(e: EngineEvent): unknown {
  if (e.kind !== 'run-end') return e;
  return { ...e, results: e.results.map((r) => ({ name: r.name, status: r.status })) };
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
