// --pause and --pause-after: the CLI's side of the engine's between-waves hook (engine/wave-gate.ts).
//
// - `--pause-after DURATION`: before each wave after the first, wait DURATION with a countdown on stderr
//   (redrawn in place on a terminal, one line otherwise). Ctrl-C during the wait is the usual first Ctrl-C:
//   no further host starts, the rest end `skipped` (INTERRUPTED), exit 99.
// - `--pause`: then ask on the terminal "wave N of M: K hosts — continue? [y/N]". No (or Ctrl-C at the
//   question) stops the rollout there: the wave and the later ones end `skipped` (INTERRUPTED, "the rollout was
//   stopped before wave N"), exit 99 like a "no" to the first question, and `gofleet resume RUN` goes on later.
//   `--yes` answers every question, these included (as apt-get -y does): the waves follow each other without
//   asking. Without a terminal and without `--yes` the command is refused before any host is contacted
//   (a gate nobody can open must not be skipped silently).
// - Both: the wait first, then the question. The failure budget stops a rollout before any pause.

import type { BeforeWave, UpcomingWave } from '../engine/wave-gate.ts';
import { GofleetError } from '../errors.ts';
import type { LineLevel } from '../log/log-level.ts';
import { abortableSleep } from '../engine/abortable-sleep.ts';

export interface PauseSettings {
  pause: boolean;
  pauseAfterMs?: number;
  yes: boolean;
}

/** What --pause does here: ask on the terminal, answered by --yes, or nothing asked for. */
export type PauseMode = 'ask' | 'answered-by-yes' | 'off';

/** Decide (before any host is contacted) whether --pause can be honoured; throws BAD_OPTION when it cannot. */
export function pauseMode(settings: PauseSettings, interactive: boolean): PauseMode {
  if (!settings.pause) return 'off';
  if (settings.yes) return 'answered-by-yes';
  if (interactive) return 'ask';
  throw new GofleetError('BAD_OPTION', '--pause asks before each wave, but there is no terminal to ask on', {
    hint: 'Run it on a terminal, use --pause-after DURATION for a timed wait between waves, or add --yes to go on without asking.',
  });
}

export interface GateIo {
  /** ask a yes/no question on the terminal (prompt.ts `confirm`) */
  ask(question: string): Promise<'yes' | 'no' | 'interrupted'>;
  /** stderr */
  write(text: string): void;
  /** stderr is a terminal: the countdown is redrawn in place */
  tty: boolean;
  /** the run id, for the "resume RUN" advice */
  run?: string;
  /** aborted by Ctrl-C: ends a wait early */
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  log?: (level: LineLevel, msg: string, fields?: Record<string, unknown>) => void;
}

export interface PauseGate {
  /** the hook for runFleet; undefined when there is nothing to do between waves */
  beforeWave: BeforeWave | undefined;
  /** true once a question was answered no (the run then exits 99) */
  stopped(): boolean;
}

export function pauseGate(mode: PauseMode, pauseAfterMs: number | undefined, io: GateIo): PauseGate {
  const ask = mode === 'ask';
  const wait = pauseAfterMs !== undefined && pauseAfterMs > 0 ? pauseAfterMs : 0;
  let stopped = false;
  if (!ask && wait === 0) return { beforeWave: undefined, stopped: () => false };
  const beforeWave: BeforeWave = async (next) => {
    if (wait > 0) {
      io.log?.('info', `pausing ${wait} ms before wave ${next.wave}`, { wave: next.wave, pause_ms: wait });
      await countdown(next, wait, io);
      if (io.signal?.aborted) return 'stop';
    }
    if (!ask) return 'continue';
    const answer = await io.ask(pauseQuestion(next));
    io.log?.('info', `pause before wave ${next.wave}: ${answer}`, { wave: next.wave, answer });
    if (answer === 'yes') return 'continue';
    stopped = true;
    io.write(`stopping: wave ${next.wave} and later are not started; \`gofleet resume ${io.run ?? 'RUN'}\` continues from there.\n`);
    return 'stop';
  };
  return { beforeWave, stopped: () => stopped };
}

/** "wave 2 of 3: 4 hosts — continue?" (prompt.ts adds " [y/N]") */
export function pauseQuestion(next: Pick<UpcomingWave, 'wave' | 'waves' | 'hosts'>): string {
  return `wave ${next.wave} of ${next.waves}: ${hostCount(next.hosts.length)} — continue?`;
}

/** "wave 2 of 3 (4 hosts) starts in 1m05s · Ctrl-C stops the rollout" */
export function countdownLine(next: Pick<UpcomingWave, 'wave' | 'waves' | 'hosts'>, leftMs: number): string {
  return `wave ${next.wave} of ${next.waves} (${hostCount(next.hosts.length)}) starts in ${clock(leftMs)} · Ctrl-C stops the rollout`;
}

function hostCount(n: number): string {
  return `${n} host${n === 1 ? '' : 's'}`;
}

/** 5s, 1m05s, 1h00m05s — whole seconds, rounded up */
function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (h > 0) return `${h}h${pad(m)}m${pad(sec)}s`;
  return m > 0 ? `${m}m${pad(sec)}s` : `${sec}s`;
}

/** Wait `ms` (less when the signal aborts): a line redrawn every second on a terminal, one line otherwise. */
async function countdown(next: UpcomingWave, ms: number, io: GateIo): Promise<void> {
  const now = io.now ?? Date.now;
  const sleep = io.sleep ?? abortableSleep;
  const end = now() + ms;
  if (!io.tty) {
    io.write(`pausing: ${countdownLine(next, ms)}\n`);
    await sleep(ms, io.signal);
    return;
  }
  for (let left = end - now(); left > 0 && !io.signal?.aborted; left = end - now()) {
    io.write(`\r\x1b[2K${countdownLine(next, left)}`);
    await sleep(Math.min(1000, left - Math.floor((left - 1) / 1000) * 1000), io.signal);
  }
  io.write('\r\x1b[2K');
}

export { abortableSleep };
