// One engine event as one log line: its level, a short message and flat fields; pure. Every event is logged at
// `info` or above (failures at `warn`/`error`), so the default level keeps the whole story of a run; `debug`
// adds the CLI's own lines (options, pause answers) and `trace` the steps of each host in its `host-done` line.

import type { EngineEvent, HostResult } from '../engine/events.ts';
import type { LineLevel } from './log-level.ts';

export interface LogRecord {
  level: LineLevel;
  msg: string;
  fields: Record<string, unknown>;
}

export interface EventRecordOptions {
  /** put each host's steps in its `host-done` line (at --log-level trace) */
  steps?: boolean;
}

export function eventRecord(e: EngineEvent, options: EventRecordOptions = {}): LogRecord {
  const base = { event: e.kind, run: e.run, at: new Date(e.at).toISOString() };
  switch (e.kind) {
    case 'run-start':
      return { level: 'info', msg: `${e.command} started on ${e.hosts.length} host(s)`, fields: { ...base, command: e.command, target: e.target, hosts: e.hosts } };
    case 'wave-start':
      return { level: 'info', msg: `wave ${e.wave} started: ${e.hosts.length} host(s)`, fields: { ...base, wave: e.wave, hosts: e.hosts } };
    case 'wave-end':
      return { level: 'info', msg: `wave ${e.wave} ended`, fields: { ...base, wave: e.wave } };
    case 'host-step': {
      const { kind: _kind, run: _run, at: _at, ...rest } = e;
      return { level: e.status === 'fail' ? 'warn' : 'info', msg: `${e.host}: ${e.step} ${e.status}`, fields: { ...base, ...rest } };
    }
    case 'host-done':
      return hostDone(e.result, base, options.steps === true);
    case 'run-end': {
      const counts: Record<string, number> = {};
      for (const r of e.results) counts[r.status] = (counts[r.status] ?? 0) + 1;
      return { level: 'info', msg: `run ended: ${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ') || 'no hosts'}`, fields: { ...base, counts } };
    }
    case 'archive': {
      const p = e.provenance;
      const passed = p.failover.map((s) => `${s.source} (${s.code})`).join(', ');
      // a source passed over, or a weaker check than usual, is worth a look: warn
      const level = p.failover.length > 0 || p.warnings.length > 0 ? 'warn' : 'info';
      const msg = `${e.filename} from ${p.source}, vouched by ${p.authority}${p.hashes.h1 !== undefined ? `, module zip ${p.hashes.h1}` : ''}${passed ? `, failover: ${passed}` : ''}`;
      return { level, msg, fields: { ...base, filename: e.filename, provenance: p } };
    }
    default:
      return { level: 'info', msg: 'event', fields: base };
  }
}

/** What the log keeps of a host's result (its steps only when asked: each already has its own line). */
function hostDone(r: HostResult & { wave?: number }, base: Record<string, unknown>, steps: boolean): LogRecord {
  const level = r.status === 'failed' || r.status === 'unreachable' ? 'error' : r.status === 'rolled_back' ? 'warn' : 'info';
  return {
    level,
    msg: `${r.name}: ${r.status}${r.error ? ` (${r.error.code})` : ''}`,
    fields: {
      ...base,
      host: r.name,
      status: r.status,
      from: r.from,
      to: r.to,
      error: r.error,
      warnings: r.warnings,
      duration_ms: Math.round(r.durationMs),
      ...(r.wave !== undefined ? { wave: r.wave } : {}),
      ...(steps ? { steps: r.steps } : {}),
    },
  };
}

/** Every string in `value` passed through `clean` (objects and arrays copied, other values kept). */
export function mapStrings(value: unknown, clean: (s: string) => string): unknown {
  if (typeof value === 'string') return clean(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, clean));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, clean)]));
  }
  return value;
}
