// The journal as an event subscriber: every engine event is written as it happens, each in its own small
// IMMEDIATE transaction (the event-log line plus the rows it changes), so a controller killed with -9 loses
// at most the event in flight, and readers never see half an event.

import { hostname, userInfo } from 'node:os';
import type { Database } from 'better-sqlite3';
import { redact } from '../errors.ts';
import type { EngineEvent, EngineStep, EventSink, HostResult, HostStatus } from '../engine/events.ts';
import { journalJson, journalText } from './excerpt.ts';
import { FINAL_STATUSES, isFinalStatus } from './final-status.ts';
import type { RecorderOptions, RunMeta } from './types.ts';

type HostStep = Extract<EngineEvent, { kind: 'host-step' }>;

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
const FINAL_SQL = FINAL_STATUSES.map((s) => `'${s}'`).join(', ');

export function createRecorder(db: Database, meta: RunMeta, options: RecorderOptions = {}): EventSink {
  const sql = statements(db);
  const run = meta.run;
  const runRow = {
    id: run,
    user: meta.user ?? osUser(),
    argv: JSON.stringify(meta.argv.map(redact)),
    command: meta.command,
    target: meta.target ?? null,
    policy: journalJson(meta.policy),
    controller: hostname(),
    pid: process.pid,
    cwd: process.cwd(),
  };

  // a real committed write before any host is contacted: a journal that opens but cannot be written (full
  // disk, read-only, corrupt pages) is found here, not after hosts have changed
  if (options.begin) sql.ensureRun.run({ ...runRow, started: Date.now() });

  const hostStatus = (host: string): string | undefined => (sql.hostStatus.get({ run, host }) as { status: string } | undefined)?.status;

  const ensureHost = (host: string): void => {
    // hosts come from run-start; an unknown one (a recorder attached late) is appended after them
    if (hostStatus(host) === undefined) sql.ensureHost.run({ run, host });
  };

  const writeHostResult = (r: HostResult): void => {
    ensureHost(r.name);
    const extra = Object.fromEntries(Object.entries(r).filter(([k]) => !RESULT_FIELDS.has(k)));
    sql.hostDone.run({
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
    sql.deleteSteps.run({ run, host: r.name });
    r.steps.forEach((s, i) =>
      sql.insertStep.run({
        run,
        host: r.name,
        seq: i + 1,
        step: s.step,
        status: s.status,
        started: Math.round(s.startedAt),
        ended: s.endedAt === null ? null : Math.round(s.endedAt),
        code: s.code ?? null,
        message: s.message === undefined ? null : journalText(s.message),
      }),
    );
  };

  const updateCounts = (): void => {
    const rows = sql.counts.all({ run }) as { status: string; n: number }[];
    const counts = Object.fromEntries(FINAL_STATUSES.flatMap((s) => rows.filter((r) => r.status === s).map((r) => [s, r.n])));
    sql.setCounts.run({ run, counts: JSON.stringify(counts) });
  };

  const hostStep = (e: HostStep): void => {
    ensureHost(e.host);
    const at = Math.round(e.at);
    const detail = { code: e.code ?? null, message: e.message === undefined ? null : journalText(e.message) };
    if (e.status === 'start') {
      sql.startStep.run({ run, host: e.host, step: e.step, at });
      sql.hostInFlight.run({ run, host: e.host, status: STEP_STATUS[e.step] ?? null, at });
      return;
    }
    // where the host started, known from its first probe: resume needs it for a host the run never finished
    if (e.step === 'facts' && e.status === 'ok' && e.version !== undefined && e.version !== null) sql.hostFrom.run({ run, host: e.host, version: e.version });
    const ended = sql.endStep.run({ run, host: e.host, step: e.step, status: e.status, at, ...detail });
    // an end without a journaled start (the recorder was attached late): record it as a step of its own
    if (ended.changes === 0) sql.insertStep.run({ run, host: e.host, seq: null, step: e.step, status: e.status, started: at, ended: at, ...detail });
  };

  const apply = (e: EngineEvent): void => {
    sql.ensureRun.run({ ...runRow, started: Math.round(e.at) });
    switch (e.kind) {
      case 'run-start':
        // a resumed run is now this controller's: a second resume must see it alive
        sql.restartRun.run({ run, command: e.command, target: e.target, controller: runRow.controller, pid: runRow.pid });
        e.hosts.forEach((host, ord) => sql.addHost.run({ run, host, ord }));
        break;
      case 'host-step':
        hostStep(e);
        break;
      case 'host-done':
        writeHostResult(e.result);
        updateCounts();
        break;
      case 'run-end': {
        for (const r of e.results) if (!isFinalStatus(hostStatus(r.name))) writeHostResult(r);
        updateCounts();
        const interrupted = e.results.some((r) => r.error?.code === 'INTERRUPTED');
        sql.endRun.run({ run, status: interrupted ? 'interrupted' : 'done', at: Math.round(e.at) });
        break;
      }
      default:
        break;
    }
    sql.appendEvent.run({ run, at: Math.round(e.at), kind: e.kind, payload: journalJson(eventPayload(e)) });
  };

  const write = db.transaction(apply);
  return (event) => {
    if (event.run !== run) return;
    try {
      write.immediate(event);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      if (options.onError) options.onError(e);
      else throw e;
    }
  };
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

function statements(db: Database) {
  return {
    ensureRun: db.prepare(`INSERT INTO runs (id, started, user, argv, command, target, policy, status, controller, pid, cwd)
      VALUES (@id, @started, @user, @argv, @command, @target, @policy, 'running', @controller, @pid, @cwd) ON CONFLICT (id) DO NOTHING`),
    restartRun: db.prepare(`UPDATE runs SET status = 'running', ended = NULL, command = @command, target = @target,
      controller = @controller, pid = @pid WHERE id = @run`),
    addHost: db.prepare(`INSERT INTO run_hosts (run, host, ord, status) VALUES (@run, @host, @ord, 'pending') ON CONFLICT DO NOTHING`),
    ensureHost: db.prepare(`INSERT INTO run_hosts (run, host, ord, status)
      VALUES (@run, @host, (SELECT coalesce(max(ord), -1) + 1 FROM run_hosts WHERE run = @run), 'pending') ON CONFLICT DO NOTHING`),
    hostFrom: db.prepare(`UPDATE run_hosts SET from_version = coalesce(from_version, @version)
      WHERE run = @run AND host = @host AND status NOT IN (${FINAL_SQL})`),
    hostStatus: db.prepare(`SELECT status FROM run_hosts WHERE run = @run AND host = @host`),
    hostInFlight: db.prepare(`UPDATE run_hosts
      SET status = coalesce(@status, CASE status WHEN 'pending' THEN 'connecting' ELSE status END), started = coalesce(started, @at)
      WHERE run = @run AND host = @host AND status NOT IN (${FINAL_SQL})`),
    startStep: db.prepare(`INSERT INTO steps (run, host, seq, step, status, started)
      VALUES (@run, @host, (SELECT coalesce(max(seq), 0) + 1 FROM steps WHERE run = @run AND host = @host), @step, 'running', @at)`),
    endStep: db.prepare(`UPDATE steps SET status = @status, ended = @at, code = @code, message = @message
      WHERE run = @run AND host = @host
        AND seq = (SELECT max(seq) FROM steps WHERE run = @run AND host = @host AND step = @step AND status = 'running')`),
    insertStep: db.prepare(`INSERT INTO steps (run, host, seq, step, status, started, ended, code, message)
      VALUES (@run, @host, coalesce(@seq, (SELECT coalesce(max(seq), 0) + 1 FROM steps WHERE run = @run AND host = @host)),
              @step, @status, @started, @ended, @code, @message)`),
    deleteSteps: db.prepare(`DELETE FROM steps WHERE run = @run AND host = @host`),
    hostDone: db.prepare(`UPDATE run_hosts SET status = @status, from_version = @from, to_version = @to, error_code = @code,
      error_message = @message, error_hint = @hint, started = @started, ended = @ended, warnings = @warnings, extra = @extra
      WHERE run = @run AND host = @host`),
    counts: db.prepare(`SELECT status, count(*) AS n FROM run_hosts WHERE run = @run AND status IN (${FINAL_SQL}) GROUP BY status`),
    setCounts: db.prepare(`UPDATE runs SET counts = @counts WHERE id = @run`),
    endRun: db.prepare(`UPDATE runs SET status = @status, ended = @at WHERE id = @run`),
    appendEvent: db.prepare(`INSERT INTO events (run, seq, at, kind, payload)
      VALUES (@run, (SELECT coalesce(max(seq), 0) + 1 FROM events WHERE run = @run), @at, @kind, @payload)`),
  };
}
