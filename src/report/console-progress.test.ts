import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent, FinalStatus, HostResult } from '../engine/events.ts';
import { consoleProgress, type ProgressOptions } from './console-progress.ts';

function done(name: string, status: FinalStatus, durationMs: number, at: number): EngineEvent {
  const result: HostResult = { name, status, from: 'go1.26.8', to: 'go1.27.3', error: null, warnings: [], startedAt: at - durationMs, durationMs, steps: [] };
  return { kind: 'host-done', run: 'r1', result, at };
}
const step = (host: string, at: number): EngineEvent => ({ kind: 'host-step', run: 'r1', host, step: 'stage', status: 'start', at });

/** Feed events at their own time; returns the status line shown after each event ('' when none). */
function watch(events: EngineEvent[], options: Partial<ProgressOptions> = {}): string[] {
  let clock = 0;
  let screen = '';
  const progress = consoleProgress({ write: (t) => void (screen += t), tty: true, colour: false, now: () => clock, columns: () => 200, ticker: false, ...options });
  const shown: string[] = [];
  for (const e of events) {
    clock = e.at;
    progress(e);
    // the status line is what follows the last "clear line" escape, unless a newline came after it
    const last = screen.lastIndexOf('\r\x1b[2K');
    const tail = last < 0 ? '' : screen.slice(last + 5);
    shown.push(tail.includes('\n') ? '' : tail);
  }
  progress.stop();
  return shown;
}

const S = 1000;

test('the status line shows an eta once a host has finished, from its duration, the hosts left and --parallel', () => {
  const shown = watch(
    [
      { kind: 'run-start', run: 'r1', command: 'upgrade', target: 'go1.27.3', hosts: ['a', 'b', 'c', 'd', 'e'], at: 0 },
      { kind: 'wave-start', run: 'r1', wave: 1, hosts: ['a', 'b', 'c', 'd', 'e'], at: 0 },
      step('a', 0),
      step('b', 0),
      done('a', 'upgraded', 10 * S, 10 * S),
      step('c', 10 * S),
    ],
    { parallel: 2 },
  );
  assert.doesNotMatch(shown[3] ?? '', /eta/, 'no eta before a host finished');
  assert.match(shown[3] ?? '', /0\/5 done · 2 in flight a:stage b:stage/);
  // b needs 0s more (10s in), c 10s, then d and e on the two slots: 20s
  assert.match(shown[5] ?? '', /1\/5 done · 2 in flight b:stage c:stage · 10\.0s · eta 20s$/);
});

test('the eta counts later waves and --pause-after; skipped hosts do not count as work done', () => {
  const shown = watch(
    [
      { kind: 'run-start', run: 'r1', command: 'upgrade', target: 'go1.27.3', hosts: ['a', 'b', 'c', 'd'], at: 0 },
      { kind: 'wave-start', run: 'r1', wave: 1, hosts: ['a'], at: 0 },
      step('a', 0),
      done('a', 'upgraded', 30 * S, 30 * S),
      { kind: 'wave-end', run: 'r1', wave: 1, at: 30 * S },
      { kind: 'wave-start', run: 'r1', wave: 2, hosts: ['b', 'c', 'd'], at: 90 * S },
      done('b', 'skipped', 0, 90 * S),
      step('c', 90 * S),
    ],
    { parallel: 2, waves: [1, 3], pauseMs: 60 * S },
  );
  assert.equal(shown[4], '', 'between waves the status line is hidden (a pause owns the line)');
  // c just started (30s left), d pending on the free slot (30s): 30s
  assert.match(shown[7] ?? '', /^wave 2 · 2\/4 done · 1 in flight c:stage · 1m30s · eta 30s$/);
});

test('without a terminal there is no status line, and no eta', () => {
  let out = '';
  const progress = consoleProgress({ write: (t) => void (out += t), tty: false, colour: false, ticker: false });
  progress({ kind: 'run-start', run: 'r1', command: 'upgrade', target: 'go1.27.3', hosts: ['a', 'b'], at: 0 });
  progress(done('a', 'upgraded', 5 * S, 5 * S));
  progress.stop();
  assert.doesNotMatch(out, /eta/);
  assert.ok(!out.includes('\x1b'), 'no escapes without a terminal');
  assert.match(out, /a: upgraded go1\.26\.8 → go1\.27\.3 \(5\.0s\)/);
});
