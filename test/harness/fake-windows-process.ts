// The transport-neutral part of the fake Windows hosts: what cmd.exe and powershell.exe do with a command line,
// whichever server carried it (fake-windows-sshd.ts over SSH, fake-winrm-server.ts over WinRS). A transport hands
// each command line with a ProcessChannel (its stdout, stderr, stdin, exit status, close) to `run`:
// - the bootstrap command line (fake-windows-bootstrap.ts) starts a "PowerShell" with a pid (a multiple of 4):
//   `gofleet-pid:<n>` on stderr first when the text is a bootstrap reading its script from stdin (or an inline
//   text with the adapter's pid line); stdin to its end is the script (UTF-8, a BOM dropped), recorded in
//   `scripts` and handed to `respond`, whose output goes out with CRLF line ends;
// - `taskkill /T /F /PID n`, a script that is one `Stop-Process -Id n -Force` / `taskkill` line, stop process n
//   (TerminateProcess: exit status 1, `terminations`, ctx.signal fires); the interrupt marker script creates
//   %TEMP%\gofleet-interrupt-<n> and fires ctx.interrupt of n (`interrupts`);
// - cmd's `echo` prints its text with %VAR% expanded from `env`; anything else gets cmd.exe's "not recognized".
// The options `transportCompat` and `defaultShell` model what an SSH host's DefaultShell makes of a line
// (see fake-windows-sshd.ts); a WinRS host always runs `cmd.exe /c <line>`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INLINE_PID_LINE, parseBootstrap, readsScriptFromStdin } from './fake-windows-bootstrap.ts';
import { clixmlError, crlf, notRecognized } from './fake-windows-output.ts';
import type { WindowsDrives } from './fake-windows-paths.ts';
import { parseInterruptScript, parseStopScript, parseTaskkill, type StopRequest } from './fake-windows-stop.ts';

export interface Reply {
  stdout?: string;
  stderr?: string;
  /** default 0 */
  exitCode?: number;
}

/** What a `respond` sees of the host (the SSH and the WinRM fake both are one). */
export interface WindowsHostState {
  name: string;
  user: string;
  drives: WindowsDrives;
  /** %TEMP% of the account (C:\\Users\\<user>\\AppData\\Local\\Temp) */
  temp: string;
  /** cmd.exe's environment (%OS%, %USERNAME%, %TEMP%, ...), for `echo` */
  env: Record<string, string>;
  commands: string[];
  scripts: string[];
  /** statements the default respond did not recognise (fake-windows-vocabulary.ts) */
  unrecognized: string[];
  terminations: number[];
  interrupts: number[];
  /** local paths of files held open by a "running process": not writable, removable or renamable */
  locked: Set<string>;
  respond: Respond;
  /** pids of bootstrap runs still going */
  running(): number[];
}

export interface RespondContext {
  host: WindowsHostState;
  pid: number;
  /** the decoded -EncodedCommand text of this run */
  bootstrap: string;
  /** whether that text is a bootstrap that read the script from stdin; else it is the script itself */
  scriptFromStdin: boolean;
  /** stdin as received (the script's bytes when scriptFromStdin) */
  stdin: Buffer;
  /** write now (streamed; LF becomes CRLF) */
  stdout(text: string): void;
  stderr(text: string): void;
  /** write exactly these characters (UTF-8), no line-end conversion: what PowerShell prints of a string */
  raw: { stdout(text: string): void; stderr(text: string): void };
  /** fires when the process is stopped (taskkill, Stop-Process, a WinRS Signal) or the connection is gone */
  signal: AbortSignal;
  /** fires on an interrupt request for this process (its %TEMP% marker file, or the compat `kill -TERM`) */
  interrupt: AbortSignal;
  /** resolves after ms, or rejects when `signal` fires */
  sleep(ms: number): Promise<void>;
  /** cut the connection now (the client sees a lost host) */
  drop(): void;
  /** the process's job-object memory cap in MB (WinRM's MaxMemoryPerShellMB); absent: none (OpenSSH) */
  memoryCapMB?: number;
}

export type Respond = (script: string, ctx: RespondContext) => Reply | void | Promise<Reply | void>;

/** One command's pipes, as the transport carries them. */
export interface ProcessChannel {
  stdout(data: string): void;
  stderr(data: string): void;
  /** the process ended: send the exit status and close (a no-op once the channel is gone) */
  exit(code: number): void;
  /** stdin: each chunk, then its end */
  onStdin(chunk: (d: Buffer) => void, end: () => void): void;
  /** the client closed the channel (or the connection went) */
  onClose(fn: () => void): void;
  /** cut the client's connection */
  drop(): void;
}

export interface WindowsProcessOptions {
  /** a reason to refuse the decoded bootstrap text (e.g. the platform's decoder does not accept it) */
  checkBootstrap?: (text: string) => string | undefined;
  transportCompat?: 'posix-wrapper';
  /** the account's OpenSSH DefaultShell (default cmd) */
  defaultShell?: 'cmd' | 'powershell';
  /** name in the messages the fake itself writes (default fake-windows-sshd) */
  label?: string;
  /** the memory cap of the job object every process runs in (WinRM: the shell's MaxMemoryPerShellMB; 0 or absent:
   *  none, as over OpenSSH); handed to respond as ctx.memoryCapMB */
  memoryCapMB?: number;
}

export interface WindowsProcesses {
  /** run a command line as cmd.exe would; the pid when it started a PowerShell */
  run(ch: ProcessChannel, commandLine: string): number | undefined;
  /** TerminateProcess: exit status 1 (or `exitCode`), `terminations` unless quiet; false when no such process */
  terminate(pid: number, o?: { exitCode?: number; record?: boolean }): boolean;
  running(): number[];
  /** every process stops (the host or its service goes away) */
  stopAll(reason: string): void;
}

const POSIX_PID_PREFIX = `printf 'gofleet-pid:%s\\n' "$$" >&2\n`;
const POSIX_KILL = /^kill -TERM -- -(\d+) 2>\/dev\/null( \|\| exit 0; sleep 1; kill -KILL -- -\1 2>\/dev\/null)?; exit 0$/;

interface Proc {
  pid: number;
  ch: ProcessChannel;
  stop: AbortController;
  interrupt: AbortController;
  ended: boolean;
}

export function cmdEnvironment(user: string, temp: string, name: string): Record<string, string> {
  return { OS: 'Windows_NT', USERNAME: user, USERPROFILE: `C:\\Users\\${user}`, TEMP: temp, TMP: temp,
    SystemRoot: 'C:\\Windows', ProgramData: 'C:\\ProgramData', ProgramFiles: 'C:\\Program Files',
    PROCESSOR_ARCHITECTURE: 'AMD64', COMPUTERNAME: name.toUpperCase() };
}

/** cmd.exe's %NAME% expansion (names case-insensitive; an unset one stays as written). */
function expandCmdVars(text: string, env: Record<string, string>): string {
  return text.replace(/%([^%\r\n]+)%/g, (all, name: string) =>
    Object.entries(env).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? all);
}

function answer(ch: ProcessChannel, r: Reply, eol = true, exitOf = (code: number): number => code): void {
  if (r.stdout) ch.stdout(eol ? crlf(r.stdout) : r.stdout);
  if (r.stderr) ch.stderr(eol ? crlf(r.stderr) : r.stderr);
  ch.exit(exitOf(r.exitCode ?? 0));
}

export function windowsProcesses(host: WindowsHostState, o: WindowsProcessOptions = {}): WindowsProcesses {
  const procs = new Map<number, Proc>();
  let nextPid = 4000 + 4 * Math.floor(Math.random() * 1000);
  const label = o.label ?? 'fake-windows-sshd';

  const end = (p: Proc, exitCode: number): void => {
    if (p.ended) return;
    p.ended = true;
    procs.delete(p.pid);
    p.ch.exit(exitCode);
  };
  const terminate = (pid: number, t: { exitCode?: number; record?: boolean } = {}): boolean => {
    const p = procs.get(pid);
    if (!p) return false;
    if (t.record !== false) host.terminations.push(pid);
    end(p, t.exitCode ?? 1);
    p.stop.abort(new Error(`process ${pid} terminated`));
    return true;
  };
  // the marker the Windows adapter's interrupt creates, which the host script polls for (in compat mode too)
  const interrupt = (pid: number): void => {
    writeFileSync(join(host.drives.toLocal(host.temp), `gofleet-interrupt-${pid}`), '');
    const p = procs.get(pid);
    if (!p) return;
    host.interrupts.push(pid);
    p.interrupt.abort();
  };

  const stopReply = (r: StopRequest): Reply => {
    if (r.how === 'taskkill' && !r.force) {
      return { stderr: `ERROR: The process with PID ${r.pid} could not be terminated.\nReason: This process can only be ` +
        'terminated forcefully (with /F option).\n', exitCode: 1 };
    }
    const found = terminate(r.pid);
    if (r.how === 'taskkill') {
      return found ? { stdout: `SUCCESS: The process with PID ${r.pid} (child process of PID 2044) has been terminated.\n` }
        : { stderr: `ERROR: The process "${r.pid}" not found.\n`, exitCode: 128 };
    }
    if (found || r.quiet) return {};
    return { stderr: clixmlError(`Stop-Process : Cannot find a process with the process identifier ${r.pid}.`,
      { command: 'Stop-Process' }), exitCode: 1 };
  };

  const context = (p: Proc, text: string, stdin: Buffer, fromStdin: boolean): RespondContext => ({
    host, pid: p.pid, bootstrap: text, stdin, scriptFromStdin: fromStdin,
    ...(o.memoryCapMB ? { memoryCapMB: o.memoryCapMB } : {}),
    stdout: (t) => void (!p.ended && p.ch.stdout(crlf(t))),
    stderr: (t) => void (!p.ended && p.ch.stderr(crlf(t))),
    raw: {
      stdout: (t) => void (!p.ended && p.ch.stdout(t)),
      stderr: (t) => void (!p.ended && p.ch.stderr(t)),
    },
    signal: p.stop.signal,
    interrupt: p.interrupt.signal,
    sleep: (ms) => new Promise((resolve, reject) => {
      if (p.stop.signal.aborted) return reject(p.stop.signal.reason as Error);
      const timer = setTimeout(resolve, ms);
      p.stop.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(p.stop.signal.reason as Error);
      }, { once: true });
    }),
    drop: () => p.ch.drop(),
  });

  const finishQuietly = (p: Proc, reply: Reply): void => {
    p.ended = true;
    procs.delete(p.pid);
    answer(p.ch, reply);
  };

  const runBootstrap = async (p: Proc, text: string, pidEol: string, exitOf?: (code: number) => number): Promise<void> => {
    const fromStdin = readsScriptFromStdin(text);
    if (fromStdin || INLINE_PID_LINE.test(text)) p.ch.stderr(`gofleet-pid:${p.pid}${pidEol}`);
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve) => {
      p.ch.onStdin((d) => chunks.push(d), resolve);
      p.stop.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    if (p.ended) return;
    const stdin = Buffer.concat(chunks);
    const script = fromStdin ? stdin.toString('utf8').replace(/^\uFEFF/, '') : text;
    host.scripts.push(script);
    const interruptPid = parseInterruptScript(script);
    if (interruptPid !== undefined) {
      interrupt(interruptPid);
      return finishQuietly(p, {});
    }
    const stopPid = parseStopScript(script);
    if (stopPid) return finishQuietly(p, stopReply(stopPid));
    let reply: Reply | void;
    try {
      reply = await host.respond(script, context(p, text, stdin, fromStdin));
    } catch (err) {
      if (p.ended || p.stop.signal.aborted) return;
      reply = { stderr: `${label}: respond failed: ${(err as Error).message}\n`, exitCode: 1 };
    }
    if (p.ended || p.stop.signal.aborted) return;
    p.ended = true;
    procs.delete(p.pid);
    answer(p.ch, reply ?? {}, true, exitOf);
  };

  const run = (ch: ProcessChannel, commandLine: string): number | undefined => {
    host.commands.push(commandLine);
    let line = commandLine;
    let pidEol = '\r\n';
    if (o.transportCompat === 'posix-wrapper') {
      const kill = POSIX_KILL.exec(line);
      if (kill) {
        const pid = Number(kill[1]);
        if (kill[2]) terminate(pid);
        else interrupt(pid);
        return void answer(ch, {});
      }
      if (line.startsWith(POSIX_PID_PREFIX)) {
        line = line.slice(POSIX_PID_PREFIX.length);
        pidEol = '\n';
      }
    }
    // under a PowerShell DefaultShell: `powershell -c <line>` keeps only success/failure of the inner process
    // unless the line carries the exit code on itself
    let exitOf: ((code: number) => number) | undefined;
    if (o.defaultShell === 'powershell') {
      if (/^echo gofleet-shell '%OS%'$/.test(line)) return void answer(ch, { stdout: 'gofleet-shell\n%OS%\n' });
      const keep = line.endsWith('; exit $LASTEXITCODE');
      if (keep) line = line.slice(0, -'; exit $LASTEXITCODE'.length);
      else exitOf = (code) => (code === 0 ? 0 : 1);
    }
    const echo = /^echo(?:\s(.*))?$/is.exec(line);
    if (echo) return void answer(ch, { stdout: `${echo[1] === undefined ? 'ECHO is on.' : expandCmdVars(echo[1], host.env)}\n` });
    const killPid = parseTaskkill(line);
    if (killPid) return void answer(ch, stopReply(killPid));
    const b = parseBootstrap(line);
    if (b.kind === 'refused') return void answer(ch, { stderr: b.stderr, exitCode: b.exitCode }, false);
    const refusal = b.kind === 'bootstrap' ? o.checkBootstrap?.(b.text) : undefined;
    if (refusal) return void answer(ch, { stderr: `${label}: bootstrap refused: ${refusal}\n`, exitCode: 64 });
    if (b.kind === 'other') return void answer(ch, { stderr: notRecognized(line), exitCode: 1 }, false);
    const p: Proc = { pid: (nextPid += 4), ch, stop: new AbortController(), interrupt: new AbortController(), ended: false };
    procs.set(p.pid, p);
    ch.onClose(() => p.stop.abort(new Error('channel closed')));
    void runBootstrap(p, b.text, pidEol, exitOf);
    return p.pid;
  };

  return {
    run, terminate, running: () => [...procs.keys()],
    stopAll: (reason) => {
      for (const p of procs.values()) p.stop.abort(new Error(reason));
    },
  };
}
