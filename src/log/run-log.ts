// The run log: one file of line-delimited JSON (pino) per run, beside the run journal:
// `<dir of the state file>/logs/<run id>.log` (dir 0700, file 0600; a resumed run appends to its own file).
// Every engine event is a line (event-record.ts), and the CLI adds its own; every string goes through
// `redact` as it is written, so a secret registered at any time never reaches the file.
// Lines are written synchronously (a CLI logs a few lines per host step): nothing waits in a buffer, so the
// log is complete on a normal exit, on Ctrl-C and on process.exit; a kill -9 loses at most the line in flight.
// A line that cannot be written (disk full, file gone) turns the log off with one warning: pino's own
// destination (sonic-boom) retries a failed write every 100 ms forever on close, which hung the controller.

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { redact } from '../errors.ts';
import type { EventSink } from '../engine/events.ts';
import { eventRecord, mapStrings } from './event-record.ts';
import type { LineLevel, LogLevel } from './log-level.ts';

export interface RunLog {
  /** the file, or null at --log-level silent (nothing is written) */
  path: string | null;
  /** subscribe it to the engine's event stream */
  sink: EventSink;
  /** a line of the CLI's own */
  line(level: LineLevel, msg: string, fields?: Record<string, unknown>): void;
  /** write what is pending and close the file (idempotent) */
  close(): void;
}

/** `<dir of the state file>/logs/<run>.log` */
export function runLogPath(statePath: string, run: string): string {
  return join(dirname(statePath), 'logs', `${run.replace(/[^\w.-]/g, '_')}.log`);
}

export interface RunLogOptions {
  path: string;
  level: LogLevel;
  run: string;
  /** told once when a line cannot be written; the log is off from then on (default: silent) */
  onError?: (err: Error) => void;
}

/** Open (append to) a run's log; throws on an unwritable directory (the caller warns and goes on without). */
export function openRunLog(options: RunLogOptions): RunLog {
  if (options.level === 'silent') return { path: null, sink: () => {}, line: () => {}, close: () => {} };
  mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
  const fd = openSync(options.path, 'a', 0o600);
  let open = true;
  // a plain synchronous write: nothing is buffered, so nothing is left to retry or flush
  const dest = {
    write(line: string): void {
      if (!open) return;
      try {
        // a short write (the disk filled mid-line) is followed by one that fails: the loop ends either way
        const buf = Buffer.from(line);
        for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off);
      } catch (err) {
        close();
        options.onError?.(err instanceof Error ? err : new Error(String(err)));
      }
    },
  };
  const logger = pino(
    { level: options.level, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    dest,
  );
  const write = (level: LineLevel, msg: string, fields: Record<string, unknown> = {}): void => {
    if (!open || !logger.isLevelEnabled(level)) return;
    logger[level](mapStrings({ run: options.run, ...fields }, redact) as Record<string, unknown>, redact(msg));
  };
  function close(): void {
    if (!open) return;
    open = false;
    process.off('exit', close);
    try {
      closeSync(fd);
    } catch {
      // the lines written so far stay; there is nothing else to do at exit
    }
  }
  // a second Ctrl-C leaves through process.exit: close (and flush) on the way out
  process.on('exit', close);
  const trace = logger.isLevelEnabled('trace');
  return {
    path: options.path,
    sink: (e) => {
      const r = eventRecord(e, { steps: trace });
      write(r.level, r.msg, r.fields);
    },
    line: write,
    close,
  };
}
