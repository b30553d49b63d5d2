// The statements that journal a run, written once for both back ends: SQLite prepares them as they are (named
// `@param`s), the PostgreSQL journal turns the names into `$n` (pg/named-params.ts). Only SQL both dialects read
// the same way goes here (no collations, no dialect functions).

import { FINAL_STATUSES } from './final-status.ts';

export const FINAL_SQL = FINAL_STATUSES.map((s) => `'${s}'`).join(', ');

export const JOURNAL_SQL = {
  ensureRun: `INSERT INTO runs (id, started, "user", argv, command, target, policy, status, controller, pid, cwd)
      VALUES (@id, @started, @user, @argv, @command, @target, @policy, 'running', @controller, @pid, @cwd) ON CONFLICT (id) DO NOTHING`,
  restartRun: `UPDATE runs SET status = 'running', ended = NULL, command = @command, target = @target,
      controller = @controller, pid = @pid WHERE id = @run`,
  addHost: `INSERT INTO run_hosts (run, host, ord, status) VALUES (@run, @host, @ord, 'pending') ON CONFLICT DO NOTHING`,
  ensureHost: `INSERT INTO run_hosts (run, host, ord, status)
      VALUES (@run, @host, (SELECT coalesce(max(ord), -1) + 1 FROM run_hosts WHERE run = @run), 'pending') ON CONFLICT DO NOTHING`,
  hostFrom: `UPDATE run_hosts SET from_version = coalesce(from_version, @version)
      WHERE run = @run AND host = @host AND status NOT IN (${FINAL_SQL})`,
  hostStatus: `SELECT status FROM run_hosts WHERE run = @run AND host = @host`,
  hostInFlight: `UPDATE run_hosts
      SET status = coalesce(@status, CASE status WHEN 'pending' THEN 'connecting' ELSE status END), started = coalesce(started, @at)
      WHERE run = @run AND host = @host AND status NOT IN (${FINAL_SQL})`,
  startStep: `INSERT INTO steps (run, host, seq, step, status, started)
      VALUES (@run, @host, (SELECT coalesce(max(seq), 0) + 1 FROM steps WHERE run = @run AND host = @host), @step, 'running', @at)`,
  endStep: `UPDATE steps SET status = @status, ended = @at, code = @code, message = @message
      WHERE run = @run AND host = @host
        AND seq = (SELECT max(seq) FROM steps WHERE run = @run AND host = @host AND step = @step AND status = 'running')`,
  insertStep: `INSERT INTO steps (run, host, seq, step, status, started, ended, code, message)
      VALUES (@run, @host, coalesce(@seq, (SELECT coalesce(max(seq), 0) + 1 FROM steps WHERE run = @run AND host = @host)),
              @step, @status, @started, @ended, @code, @message)`,
  deleteSteps: `DELETE FROM steps WHERE run = @run AND host = @host`,
  hostDone: `UPDATE run_hosts SET status = @status, from_version = @from, to_version = @to, error_code = @code,
      error_message = @message, error_hint = @hint, started = @started, ended = @ended, warnings = @warnings, extra = @extra
      WHERE run = @run AND host = @host`,
  counts: `SELECT status, count(*) AS n FROM run_hosts WHERE run = @run AND status IN (${FINAL_SQL}) GROUP BY status`,
  setCounts: `UPDATE runs SET counts = @counts WHERE id = @run`,
  endRun: `UPDATE runs SET status = @status, ended = @at WHERE id = @run`,
  appendEvent: `INSERT INTO events (run, seq, at, kind, payload)
      VALUES (@run, (SELECT coalesce(max(seq), 0) + 1 FROM events WHERE run = @run), @at, @kind, @payload)`,
  /** a run taken over (resume) or closed (markInterrupted, markFailed) */
  claimRun: `UPDATE runs SET status = 'running', ended = NULL, controller = @controller, pid = @me
      WHERE id = @run AND status = @status AND pid = @pid`,
  markRun: `UPDATE runs SET status = @status, ended = coalesce(ended, @at) WHERE id = @run`,
} as const;

export type JournalStatement = keyof typeof JOURNAL_SQL;
