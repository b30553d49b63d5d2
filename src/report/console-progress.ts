// Live progress for people. On a terminal: finished hosts scroll by and one status line at the bottom
// shows counts, hosts in flight with their current step, and elapsed time. Elsewhere: one plain line per event.

import type { EngineEvent, EventSink, FinalStatus } from '../engine/events.ts';
import { formatDuration } from './table.ts';
import { paint } from './colour.ts';

export interface ProgressOptions {
  write: (text: string) => void;
  tty: boolean;
  colour: boolean;
  now?: () => number;
}

export function consoleProgress(options: ProgressOptions): EventSink & { stop(): void } {
  const { write, tty } = options;
  const now = options.now ?? Date.now;
  const c = paint(options.colour);
  const inFlight = new Map<string, string>();
  const stepStart = new Map<string, number>();
  const counts = new Map<FinalStatus, number>();
  let total = 0;
  let started = now();
  // waves: shown only when the run has more than one (wave 1 smaller than the fleet, or a wave 2)
  let wave: number | null = null;
  let waved = false;
  const waveCounts = new Map<FinalStatus, number>();
  let statusShown = false;
  let timer: NodeJS.Timeout | undefined;

  const clearStatus = (): void => {
    if (tty && statusShown) write('\r\x1b[2K');
    statusShown = false;
  };
  const drawStatus = (): void => {
    if (!tty || total === 0) return;
    const done = [...counts.values()].reduce((a, b) => a + b, 0);
    const flight = [...inFlight].slice(0, 4).map(([h, s]) => `${h}:${s}`).join(' ');
    const more = inFlight.size > 4 ? ` +${inFlight.size - 4}` : '';
    const line = `${waved && wave !== null ? `wave ${wave} · ` : ''}${done}/${total} done · ${inFlight.size} in flight ${flight}${more} · ${formatDuration(now() - started)}`;
    write(`\r\x1b[2K${c.dim(line.slice(0, (process.stderr.columns || 120) - 1))}`);
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
        say(c.bold(`gofleet ${e.command}${e.target ? ` → ${e.target}` : ''} · run ${e.run} · ${total} host(s)`));
        if (tty) timer = setInterval(drawStatus, 1000).unref();
        break;
      case 'wave-start':
        wave = e.wave;
        waveCounts.clear();
        waved ||= e.wave > 1 || e.hosts.length < total;
        if (waved) say(c.bold(`wave ${e.wave} · ${e.hosts.length} host(s): ${names(e.hosts)}`));
        break;
      case 'wave-end':
        if (waved) say(`wave ${e.wave} done: ${[...waveCounts].map(([s, n]) => `${n} ${s}`).join(', ') || 'no hosts'}`);
        wave = null;
        break;
      case 'host-step': {
        const key = `${e.host}\0${e.step}`;
        if (e.status === 'start') {
          inFlight.set(e.host, e.step);
          stepStart.set(key, e.at);
          drawStatus();
          break;
        }
        const took = stepStart.has(key) ? ` ${formatDuration(e.at - (stepStart.get(key) ?? e.at))}` : '';
        stepStart.delete(key);
        const detail = `${e.code ? ` ${e.code}` : ''}${e.message ? ` — ${e.message}` : ''}`;
        if (!tty) say(`  ${e.host}: ${e.step} ${e.status}${took}${detail}`);
        else if (e.status === 'fail') say(`${c.red('✗')} ${e.host}: ${e.step} failed${detail}`);
        else drawStatus();
        break;
      }
      case 'host-done': {
        const r = e.result;
        inFlight.delete(r.name);
        counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
        if (wave !== null) waveCounts.set(r.status, (waveCounts.get(r.status) ?? 0) + 1);
        const arrow = r.status === 'skipped' ? '' : r.from !== r.to && r.to ? ` ${r.from ?? 'none'} → ${r.to}` : r.to ? ` ${r.to}` : '';
        say(`${statusMark(r.status, c)} ${r.name}: ${r.status}${arrow} (${formatDuration(r.durationMs)})${r.error ? ` — ${r.error.code}` : ''}`);
        break;
      }
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
  return hosts.slice(0, 6).join(', ') + (hosts.length > 6 ? ` +${hosts.length - 6} more` : '');
}

export function statusMark(status: FinalStatus, c: ReturnType<typeof paint>): string {
  switch (status) {
    case 'upgraded':
      return c.green('✓');
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
