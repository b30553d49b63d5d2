// Test support (never shipped): a Transport that runs nothing. Every exec is recorded (command, stdin, options)
// and answered by the next scripted reply, else by a handler; a reply may stream stdout, hang until the exec's
// signal or interrupt fires, time out, or lose the connection. Puts and gets are recorded, never copied.
// It keeps only the contract of src/transport/types.ts: an aborted signal rejects with INTERRUPTED, a closed
// transport rejects with CONNECTION_LOST, a failing command resolves with its exit code.

import { GofleetError } from '../../errors.ts';
import { DETECT_SHELL_COMMAND, type LoginShell } from '../../platform/detect-shell.ts';
import type { RemoteShell } from '../../platform/remote-shell.ts';
import type { ExecOptions, ExecResult, PutOptions, Transport, TransportCapabilities, TransportStats } from '../../transport/types.ts';

export interface ExecCall {
  command: string;
  /** stdin as text ('' when none) */
  stdin: string;
  options: ExecOptions;
}

export interface ReplyIo {
  call: ExecCall;
  /** send stdout now: onStdout sees it at once, the result's stdout keeps it */
  write(chunk: string): void;
  /** settles when the exec's `interrupt` fires (never when it has none) */
  interrupted(): Promise<void>;
}

/** What a command answers: any field of ExecResult (exit 0, empty output by default). */
export type Answer = Partial<ExecResult>;

/** A fixed answer, or a function that may write stdout, wait, answer, or throw (the exec then rejects). */
export type Reply = Answer | ((io: ReplyIo) => Answer | Promise<Answer>);

export interface PutCall {
  local: string;
  remote: string;
  options: PutOptions;
}

export interface FakeTransportOptions {
  host?: string;
  /** the shell that answers the engine's shell probe (platform/detect-shell.ts); default posix */
  loginShell?: LoginShell;
  /** answers for the next execs, in order */
  replies?: Reply[];
  /** answers every exec once the replies are used up */
  handler?: (call: ExecCall) => Reply;
  /** false: stdout reaches the result only, never onStdout (a transport that cannot stream) */
  streams?: boolean;
  /** called with each put once it is recorded: may wait, abort something, or throw (the put then rejects) */
  onPut?: (call: PutCall) => void | Promise<void>;
}

/** how each login shell answers `echo gofleet-shell '%OS%'` (platform/detect-shell.ts) */
const SHELL_ANSWERS: Record<LoginShell, string> = {
  posix: 'gofleet-shell %OS%\n',
  cmd: "gofleet-shell 'Windows_NT'\r\n",
  powershell: 'gofleet-shell\r\n%OS%\r\n',
};

const never = new Promise<never>(() => undefined);
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Ready-made replies. */
export const reply = {
  ok: (stdout = '', stderr = ''): Reply => ({ stdout, stderr }),
  exit: (exitCode: number, stderr = '', stdout = ''): Reply => ({ exitCode, stderr, stdout }),
  /** stdout in chunks, one per turn of the event loop (each seen live by onStdout) */
  stream: (...chunks: string[]): Reply => async (io) => {
    for (const c of chunks) {
      io.write(c);
      await tick();
    }
    return {};
  },
  /** the command ran out of its timeoutMs: killed, timedOut set */
  timedOut: (stdout = ''): Reply => ({ stdout, exitCode: null, signal: 'SIGKILL', timedOut: true }),
  /** write `partial`, then the connection drops (exec rejects with CONNECTION_LOST) */
  lost: (partial = ''): Reply => async (io) => {
    if (partial) io.write(partial);
    await tick();
    throw new GofleetError('CONNECTION_LOST', `${io.call.command}: fake connection lost`);
  },
  /** the exec rejects with `err` (a transport failure) */
  fail: (err: Error): Reply => () => {
    throw err;
  },
  /** write `partial`, then never finish: only the exec's signal (INTERRUPTED) or timeoutMs (timedOut) ends it */
  hang: (partial = ''): Reply => (io) => {
    if (partial) io.write(partial);
    return never;
  },
  /** write `partial`, wait for the exec's interrupt (one SIGTERM), then answer `then` (the command's own stop) */
  onInterrupt: (partial: string, then: Reply): Reply => async (io) => {
    if (partial) io.write(partial);
    await io.interrupted();
    return answer(then, io);
  },
  /** wait until `gate` settles, then answer `then` */
  after: (gate: Promise<unknown>, then: Reply): Reply => async (io) => {
    await gate;
    return answer(then, io);
  },
};

async function answer(r: Reply, io: ReplyIo): Promise<Answer> {
  return typeof r === 'function' ? r(io) : r;
}

export class FakeTransport implements Transport {
  readonly host: string;
  readonly capabilities: TransportCapabilities;
  readonly stats: TransportStats = { execCount: 0, bytesSent: 0, bytesReceived: 0, connectMs: 0 };
  readonly calls: ExecCall[] = [];
  /** execs that found no reply and no handler (each also rejected) */
  readonly unexpected: ExecCall[] = [];
  readonly puts: PutCall[] = [];
  /** shell probes answered (kept out of `calls`: they are the connection's, not the host operation's) */
  shellProbes = 0;
  /** the remote-shell adapter handed over by the engine */
  shell: RemoteShell | undefined;
  private readonly loginShell: LoginShell;
  readonly gets: { remote: string; local: string }[] = [];
  closed = false;
  private readonly replies: Reply[];
  private readonly handler: ((call: ExecCall) => Reply) | undefined;
  private readonly streams: boolean;
  private readonly onPut: FakeTransportOptions['onPut'];

  constructor(o: FakeTransportOptions = {}) {
    this.host = o.host ?? 'fake-host';
    this.capabilities = { stdinScripts: true, nativeFileTransfer: true };
    this.loginShell = o.loginShell ?? 'posix';
    this.replies = [...(o.replies ?? [])];
    this.handler = o.handler;
    this.streams = o.streams ?? true;
    this.onPut = o.onPut;
  }

  /** Queue more answers. */
  reply(...replies: Reply[]): this {
    this.replies.push(...replies);
    return this;
  }

  /** scripted replies not used yet */
  get pending(): number {
    return this.replies.length;
  }

  useShell(shell: RemoteShell): void {
    this.shell = shell;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (command === DETECT_SHELL_COMMAND && !this.closed) {
      this.shellProbes++;
      return { exitCode: 0, signal: null, stdout: SHELL_ANSWERS[this.loginShell], stderr: '', durationMs: 0, timedOut: false };
    }
    const call: ExecCall = { command, stdin: options.stdin === undefined ? '' : options.stdin.toString(), options };
    this.calls.push(call);
    this.stats.execCount++;
    this.stats.bytesSent += Buffer.byteLength(call.stdin);
    if (this.closed) throw new GofleetError('CONNECTION_LOST', `cannot run a command: the transport to ${this.host} is closed`, { host: this.host });
    if (options.signal?.aborted) throw aborted(this.host);
    const next = this.replies.shift() ?? (this.handler ? this.handler(call) : undefined);
    if (next === undefined) {
      this.unexpected.push(call);
      throw new Error(`FakeTransport(${this.host}): no reply scripted for exec #${this.calls.length}: ${command}`);
    }
    let stdout = '';
    const io: ReplyIo = {
      call,
      write: (chunk) => {
        stdout += chunk;
        if (this.streams) options.onStdout?.(chunk);
      },
      interrupted: () => settledBy(options.interrupt),
    };
    const ends = new AbortController();
    try {
      const got = await Promise.race([
        answer(next, io),
        rejectOn(options.signal, ends.signal, () => aborted(this.host)),
        timeoutAfter(options.timeoutMs, ends.signal),
      ]);
      if (got.stdout) io.write(got.stdout);
      this.stats.bytesReceived += Buffer.byteLength(stdout) + Buffer.byteLength(got.stderr ?? '');
      return { exitCode: 0, signal: null, stderr: '', durationMs: 0, timedOut: false, ...got, stdout };
    } finally {
      ends.abort();
    }
  }

  async put(local: string, remote: string, options: PutOptions = {}): Promise<void> {
    const call = { local, remote, options };
    this.puts.push(call);
    if (this.closed) throw new GofleetError('CONNECTION_LOST', `cannot copy: the transport to ${this.host} is closed`, { host: this.host });
    if (options.signal?.aborted) throw aborted(this.host);
    await this.onPut?.(call);
  }

  async get(remote: string, local: string): Promise<void> {
    this.gets.push({ remote, local });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function aborted(host: string): GofleetError {
  return new GofleetError('INTERRUPTED', `command on ${host} was aborted`, { host });
}

function settledBy(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return never;
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Rejects when `signal` aborts; forgotten when `done` aborts (the exec ended first). */
function rejectOn(signal: AbortSignal | undefined, done: AbortSignal, error: () => Error): Promise<never> {
  if (!signal) return never;
  return new Promise((_, reject) => {
    const onAbort = (): void => reject(error());
    signal.addEventListener('abort', onAbort, { once: true });
    done.addEventListener('abort', () => signal.removeEventListener('abort', onAbort), { once: true });
  });
}

/** Answers as a killed command after `ms` (the transport's own timeout); forgotten when `done` aborts. */
function timeoutAfter(ms: number | undefined, done: AbortSignal): Promise<Answer> {
  if (ms === undefined) return never;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ exitCode: null, signal: 'SIGKILL', timedOut: true }), ms);
    done.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
}
