// Live progress for people. On a terminal: finished hosts scroll by and one status line at the bottom
// shows counts, hosts in flight with their current step, elapsed time and, once a host has finished, the
// estimated time left (eta.ts). Between waves the status line is hidden, so a pause's question or countdown
// has the line to itself. Elsewhere: one plain line per event.

import type { EngineEvent, EventSink, FinalStatus } from '../engine/events.ts';
import { provenanceLine } from './provenance.ts';
import { estimateRemaining, formatEta } from './eta.ts';
import { formatDuration } from '../util/text-table.ts';
import { paint } from './colour.ts';
import { safeText as t } from './safe-text.ts';

export interface ProgressOptions {
  write: (text: string) => void;
  tty: boolean;
  colour: boolean;
  now?: () => number;
  /** --parallel, for the estimate (default: every host at once) */
  parallel?: number;
  /** the size of each wave, in order, for the estimate (default: one wave) */
  waves?: readonly number[];
  /** the wait between waves (--pause-after), for the estimate */
  pauseMs?: number;
  /** terminal width (default: stderr's, else 120) */
  columns?: () => number;
  /** redraw the status line every second on a terminal (default true; tests turn it off) */
  ticker?: boolean;
}

export function consoleProgress(options: ProgressOptions): EventSink & { stop(): void } {
  const { write, tty } = options;
  const now = options.now ?? Date.now;
  const c = paint(options.colour);
  const inFlight = new Map<string, string>();
  const hostStart = new Map<string, number>();
  const finished: number[] = [];
  const stepStart = new Map<string, number>();
  const counts = new Map<FinalStatus, number>();
  let total = 0;
  let started = now();
  // waves: shown only when the run has more than one (wave 1 smaller than the fleet, or a wave 2)
  let wave: number | null = null;
  let waveSize = 0;
  let betweenWaves = false;
  let waved = false;
  const waveCounts = new Map<FinalStatus, number>();
  let statusShown = false;
  let timer: NodeJS.Timeout | undefined;

  const clearStatus = (): void => {
    if (tty && statusShown) write('\r\x1b[2K');
    statusShown = false;
  };
  const columns = options.columns ?? ((): number => process.stderr.columns || 120);
  const sum = (m: Map<FinalStatus, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  const eta = (): string => {
    const t = now();
    const pending = options.waves ? waveSize - sum(waveCounts) - inFlight.size : total - sum(counts) - inFlight.size;
    const left = estimateRemaining({
      finished,
      inFlight: [...inFlight.keys()].map((h) => t - (hostStart.get(h) ?? t)),
      pending: Math.max(0, pending),
      laterWaves: options.waves && wave !== null ? options.waves.slice(wave) : [],
      parallel: options.parallel ?? total,
      ...(options.pauseMs ? { pauseMs: options.pauseMs } : {}),
    });
    return left === null || left <= 0 ? '' : ` · eta ${formatEta(left)}`;
  };
  const drawStatus = (): void => {
    if (!tty || total === 0 || betweenWaves) return;
    const flight = [...inFlight].slice(0, 4).map(([h, s]) => `${t(h)}:${t(s)}`).join(' ');
    const more = inFlight.size > 4 ? ` +${inFlight.size - 4}` : '';
    const line = `${waved && wave !== null ? `wave ${wave} · ` : ''}${sum(counts)}/${total} done · ${inFlight.size} in flight ${flight}${more} · ${formatDuration(now() - started)}${eta()}`;
    write(`\r\x1b[2K${c.dim(line.slice(0, columns() - 1))}`);
    statusShown = true;
  };
  const say = (line: string): void => {
    clearStatus();
    write(line + '\n');
    drawStatus();
  };

  const sink = (e: EngineEvent): void => {
    switch (e.kind) {
      case 'run-start':
        total = e.hosts.length;
        started = e.at;
        say(c.bold(`gofleet ${e.command}${e.target ? ` → ${t(e.target)}` : ''} · run ${e.run} · ${total} host(s)`));
        if (tty && options.ticker !== false) timer = setInterval(drawStatus, 1000).unref();
        break;
      case 'wave-start':
        wave = e.wave;
        waveSize = e.hosts.length;
        betweenWaves = false;
        waveCounts.clear();
        waved ||= e.wave > 1 || e.hosts.length < total;
        if (waved) say(c.bold(`wave ${e.wave} · ${e.hosts.length} host(s): ${names(e.hosts)}`));
        break;
      case 'wave-end':
        // quiet until the next wave starts: a --pause question or countdown may own the line meanwhile
        betweenWaves = true;
        if (waved) say(`wave ${e.wave} done: ${[...waveCounts].map(([s, n]) => `${n} ${s}`).join(', ') || 'no hosts'}`);
        wave = null;
        break;
      case 'host-step': {
        const key = `${e.host}\0${e.step}`;
        if (e.status === 'start') {
          if (!hostStart.has(e.host)) hostStart.set(e.host, e.at);
          inFlight.set(e.host, e.step);
          stepStart.set(key, e.at);
          drawStatus();
          break;
        }
        const took = stepStart.has(key) ? ` ${formatDuration(e.at - (stepStart.get(key) ?? e.at))}` : '';
        stepStart.delete(key);
        // host names and messages (host output) are shown, never obeyed by the terminal
        const detail = `${e.code ? ` ${e.code}` : ''}${e.message ? ` — ${t(e.message)}` : ''}`;
        if (!tty) say(`  ${t(e.host)}: ${t(e.step)} ${e.status}${took}${detail}`);
        else if (e.status === 'fail') say(`${c.red('✗')} ${t(e.host)}: ${t(e.step)} failed${detail}`);
        else drawStatus();
        break;
      }
      case 'host-done': {
        const r = e.result;
        inFlight.delete(r.name);
        if (r.status !== 'skipped') finished.push(r.durationMs);
        counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
        if (wave !== null) waveCounts.set(r.status, (waveCounts.get(r.status) ?? 0) + 1);
        const arrow = r.status === 'skipped' ? '' : r.from !== r.to && r.to ? ` ${t(r.from ?? 'none')} → ${t(r.to)}` : r.to ? ` ${t(r.to)}` : '';
        say(`${statusMark(r.status, c)} ${t(r.name)}: ${r.status}${arrow} (${formatDuration(r.durationMs)})${r.error ? ` — ${r.error.code}` : ''}`);
        break;
      }
      case 'archive':
        say(`  archive ${t(provenanceLine(e.filename, e.provenance))}`);
        break;
      case 'run-end':
        clearStatus();
        if (timer) clearInterval(timer);
        break;
      default:
        break;
    }
  };
  return Object.assign(sink, {
    stop(): void {
      if (timer) clearInterval(timer);
      clearStatus();
    },
  });
}

function names(hosts: string[]): string {
  return hosts.slice(0, 6).map((h) => t(h)).join(', ') + (hosts.length > 6 ? ` +${hosts.length - 6} more` : '');
}

export function statusMark(status: FinalStatus, c: ReturnType<typeof paint>): string {
  switch (status) {
    case 'upgraded':
    case 'switched':
      return c.green('✓');
    case 'pruned':
      return c.green('−');
    case 'unchanged':
      return c.dim('=');
    case 'rolled_back':
      return c.yellow('↺');
    case 'skipped':
      return c.dim('-');
    default:
      return c.red('✗');
  }
}
