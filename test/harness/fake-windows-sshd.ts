// An in-process SSH server (ssh2's Server) that plays a Windows OpenSSH host whose DefaultShell is cmd.exe,
// for controller-side tests of gofleet's Windows support. It proves what gofleet SENDS and how it reads
// what comes back; it runs no PowerShell (a real Windows host is the only proof of the scripts themselves).
//
//   const host = await startFakeWindowsHost({ respond: async (script, ctx) => ({ stdout: 'hi\n', exitCode: 0 }) });
//   after(() => host.stop());
//   const t = await connectSsh(host.spec(), { agent: null });   // host key checked against host.knownHostsPath
//
// What it does
// - Host key (ed25519) generated per host; `knownHostsPath` lists it as `[127.0.0.1]:PORT`. A client key is
//   generated too (`clientKey`, a file): public key auth for `user`; password auth when `password` is set.
//   Every authentication request is recorded in `authAttempts` (the 'none' probe included).
// - exec: every command line is recorded in `commands`. cmd.exe runs it: a `powershell.exe -NoProfile
//   -NonInteractive -ExecutionPolicy Bypass -EncodedCommand <b64>` line (fake-windows-bootstrap.ts) starts a
//   "PowerShell"; `taskkill ... /PID n` stops one; cmd's `echo` prints its text with %VAR% expanded from `env`
//   (gofleet's shell probe `echo gofleet-shell '%OS%'` gets `gofleet-shell 'Windows_NT'`); anything else
//   gets cmd.exe's "'x' is not recognized as an internal or external command" on stderr and exit code 1.
// - A PowerShell run gets a pid (a multiple of 4, as on Windows). When its -EncodedCommand text is a bootstrap
//   that reads the script from stdin (platform/windows/bootstrap.ts), it writes `gofleet-pid:<n>` on stderr
//   first, reads stdin to its end (UTF-8) and that is the script. Otherwise the text is the script and stdin
//   is data (`ctx.stdin`); the pid line comes only if the text has the adapter's
//   `[Console]::Error.WriteLine('gofleet-pid:' + $PID)` line. Scripts are recorded in `scripts` and handed to
//   `respond`, whose stdout and stderr go out with CRLF line ends. The default `respond` is the small command
//   vocabulary of fake-windows-vocabulary.ts.
// - Stopping: a script that is one `Stop-Process -Id n -Force` or `taskkill /PID n /T /F` line (any flag
//   order), or cmd.exe running `taskkill /T /F /PID n`, stops process n. Interrupting: a script that is one
//   `New-Item -ItemType File -Force -Path (Join-Path $env:TEMP 'gofleet-interrupt-<n>') | Out-Null` line
//   creates that marker under `temp` and fires `ctx.interrupt` of process n (recorded in `interrupts`).
// - A stopped process ends as TerminateProcess ends it: exit status 1, no signal, its channel closed; its
//   pid goes to `terminations` and `ctx.signal` fires (so a slow `respond` stops waiting).
// - `ctx.drop()` cuts the TCP connection mid-command (a lost host).
// - SFTP: fake-windows-sftp.ts, over one temp directory per drive (`drives`, default C).
// - `defaultShell: 'powershell'`: the account's OpenSSH DefaultShell is powershell.exe: sshd runs each line
//   through `powershell -c`, so the shell probe's `echo gofleet-shell '%OS%'` prints two lines (`gofleet-shell`,
//   `%OS%`) and a bootstrap's exit code reaches the client as 0 or 1 (PowerShell/PowerShell#13501) unless the
//   line ends with `; exit $LASTEXITCODE`.
// - `transportCompat: 'posix-wrapper'`: also accept what gofleet's SSH transport sends before it is given
//   a dialect adapter (issue 10 seams): the `printf 'gofleet-pid:%s\n' "$$" >&2` line before each command
//   (dropped; the pid line then ends in LF, as printf's does), and `kill -TERM -- -<pid> ...` (terminate)
//   and `kill -TERM -- -<pid>; exit 0` (interrupt: as the marker request, the marker file included) as the
//   stop commands. A real Windows host accepts none of
//   this: without the option such command lines get cmd.exe's refusal.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type AuthContext, type Connection, type ServerChannel } from 'ssh2';
import type { HostSpec } from '../../src/inventory/types.ts';
import { INLINE_PID_LINE, parseBootstrap, readsScriptFromStdin } from './fake-windows-bootstrap.ts';
import { clixmlError, crlf, notRecognized } from './fake-windows-output.ts';
import { WindowsDrives } from './fake-windows-paths.ts';
import { serveSftp } from './fake-windows-sftp.ts';
import { parseInterruptScript, parseStopScript, parseTaskkill, type StopRequest } from './fake-windows-stop.ts';
import { windowsRespond } from './fake-windows-vocabulary.ts';
import { ed25519KeyPair } from './ssh-keys.ts';

export interface Reply {
  stdout?: string;
  stderr?: string;
  /** default 0 */
  exitCode?: number;
}

export interface RespondContext {
  host: FakeWindowsHost;
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
  /** fires when the process is stopped (taskkill, Stop-Process) or the connection is gone */
  signal: AbortSignal;
  /** fires on an interrupt request for this process (its %TEMP% marker file, or the compat `kill -TERM`) */
  interrupt: AbortSignal;
  /** resolves after ms, or rejects when `signal` fires */
  sleep(ms: number): Promise<void>;
  /** cut the connection now (the client sees a lost host) */
  drop(): void;
}

export type Respond = (script: string, ctx: RespondContext) => Reply | void | Promise<Reply | void>;

export interface FakeWindowsOptions {
  /** inventory name (default win-1) */
  name?: string;
  /** the account (default `deploy`) */
  user?: string;
  /** accept this password too (default: public key only) */
  password?: string;
  respond?: Respond;
  /** drive letters (default ['C']) */
  drives?: string[];
  /** SFTP advertises posix-rename@openssh.com (default true) */
  posixRename?: boolean;
  /** a reason to refuse the decoded bootstrap text (e.g. the platform's decoder does not accept it) */
  checkBootstrap?: (text: string) => string | undefined;
  transportCompat?: 'posix-wrapper';
  /** the account's OpenSSH DefaultShell (default cmd) */
  defaultShell?: 'cmd' | 'powershell';
}

export interface AuthAttempt {
  user: string;
  method: string;
  accepted: boolean;
}

export interface FakeWindowsHost {
  name: string;
  address: string;
  port: number;
  user: string;
  password: string | undefined;
  /** private key file of the client key the host accepts */
  clientKey: string;
  hostKeyPub: string;
  knownHostsPath: string;
  /** the temp dir (drives under drives/, keys, known_hosts) */
  dir: string;
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
  authAttempts: AuthAttempt[];
  /** SFTP requests (`OPEN /C:/x`, `posix-rename /C:/a -> /C:/b`, ...) */
  sftpLog: string[];
  /** local paths of files held open by a "running process": not writable, removable or renamable */
  locked: Set<string>;
  respond: Respond;
  connectionCount(): number;
  /** pids of bootstrap runs still going */
  running(): number[];
  spec(overrides?: Partial<HostSpec>): HostSpec;
  stop(): Promise<void>;
}

const POSIX_PID_PREFIX = `printf 'gofleet-pid:%s\\n' "$$" >&2\n`;
const POSIX_KILL = /^kill -TERM -- -(\d+) 2>\/dev\/null( \|\| exit 0; sleep 1; kill -KILL -- -\1 2>\/dev\/null)?; exit 0$/;

interface Proc {
  pid: number;
  stream: ServerChannel;
  stop: AbortController;
  interrupt: AbortController;
  ended: boolean;
}

function cmdEnvironment(user: string, temp: string, name: string): Record<string, string> {
  return { OS: 'Windows_NT', USERNAME: user, USERPROFILE: `C:\\Users\\${user}`, TEMP: temp, TMP: temp,
    SystemRoot: 'C:\\Windows', ProgramData: 'C:\\ProgramData', ProgramFiles: 'C:\\Program Files',
    PROCESSOR_ARCHITECTURE: 'AMD64', COMPUTERNAME: name.toUpperCase() };
}

/** cmd.exe's %NAME% expansion (names case-insensitive; an unset one stays as written). */
function expandCmdVars(text: string, env: Record<string, string>): string {
  return text.replace(/%([^%\r\n]+)%/g, (all, name: string) =>
    Object.entries(env).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? all);
}

function publicKeyAccepted(ctx: AuthContext, user: string, allowed: ssh2.ParsedKey): boolean {
  if (ctx.method !== 'publickey' || ctx.username !== user) return false;
  if (ctx.key.algo !== allowed.type || !ctx.key.data.equals(allowed.getPublicSSH())) return false;
  // without a signature the client only asks whether the key would do
  return !ctx.signature || allowed.verify(ctx.blob as Buffer, ctx.signature, ctx.hashAlgo) === true;
}

export async function startFakeWindowsHost(o: FakeWindowsOptions = {}): Promise<FakeWindowsHost> {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-fakewin-'));
  const user = o.user ?? 'deploy';
  const hostKey = ed25519KeyPair();
  const clientPair = ed25519KeyPair('gofleet-test-client');
  const clientKey = join(dir, 'client_ed25519');
  writeFileSync(clientKey, clientPair.private, { mode: 0o600 });
  const allowed = ssh2.utils.parseKey(clientPair.public);
  if (allowed instanceof Error) throw allowed;
  const drives = new WindowsDrives(join(dir, 'drives'), o.drives ?? ['C'], `C:\\Users\\${user}`);
  const temp = `C:\\Users\\${user}\\AppData\\Local\\Temp`;
  mkdirSync(drives.toLocal(temp), { recursive: true });
  const procs = new Map<number, Proc>();
  const connections = new Set<Connection>();
  let connected = 0;
  let nextPid = 4000 + 4 * Math.floor(Math.random() * 1000);

  const host = {
    name: o.name ?? 'win-1', address: '127.0.0.1', port: 0, user, password: o.password, clientKey,
    hostKeyPub: hostKey.public, knownHostsPath: join(dir, 'known_hosts'), dir, drives, temp,
    env: cmdEnvironment(user, temp, o.name ?? 'win-1'),
    commands: [] as string[], scripts: [] as string[], unrecognized: [] as string[], terminations: [] as number[], interrupts: [] as number[],
    authAttempts: [] as AuthAttempt[], sftpLog: [] as string[], locked: new Set<string>(),
    respond: o.respond ?? windowsRespond,
  } as FakeWindowsHost;

  const terminate = (pid: number): boolean => {
    const p = procs.get(pid);
    if (!p) return false;
    host.terminations.push(pid);
    end(p, 1);
    p.stop.abort(new Error(`process ${pid} terminated`));
    return true;
  };
  // the marker the Windows adapter's interrupt creates, which the host script polls for (in compat mode too)
  const interrupt = (pid: number): void => {
    writeFileSync(join(drives.toLocal(temp), `gofleet-interrupt-${pid}`), '');
    const p = procs.get(pid);
    if (!p) return;
    host.interrupts.push(pid);
    p.interrupt.abort();
  };
  const end = (p: Proc, exitCode: number): void => {
    if (p.ended) return;
    p.ended = true;
    procs.delete(p.pid);
    if (p.stream.writable) {
      p.stream.exit(exitCode);
      p.stream.end();
    }
  };
  const answer = (stream: ServerChannel, r: Reply, eol = true, exitOf = (code: number): number => code): void => {
    if (r.stdout) stream.write(eol ? crlf(r.stdout) : r.stdout);
    if (r.stderr) stream.stderr.write(eol ? crlf(r.stderr) : r.stderr);
    stream.exit(exitOf(r.exitCode ?? 0));
    stream.end();
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

  const runBootstrap = async (stream: ServerChannel, conn: Connection, text: string, pidEol: string, exitOf?: (code: number) => number): Promise<void> => {
    const pid = (nextPid += 4);
    const p: Proc = { pid, stream, stop: new AbortController(), interrupt: new AbortController(), ended: false };
    procs.set(pid, p);
    stream.on('close', () => p.stop.abort(new Error('channel closed')));
    const fromStdin = readsScriptFromStdin(text);
    if (fromStdin || INLINE_PID_LINE.test(text)) stream.stderr.write(`gofleet-pid:${pid}${pidEol}`);
    const chunks: Buffer[] = [];
    stream.on('data', (d: Buffer) => chunks.push(d));
    await new Promise<void>((resolve) => {
      stream.once('end', resolve);
      p.stop.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    if (p.ended) return;
    const stdin = Buffer.concat(chunks);
    const script = fromStdin ? stdin.toString('utf8').replace(/^\uFEFF/, '') : text;
    host.scripts.push(script);
    const interruptPid = parseInterruptScript(script);
    if (interruptPid !== undefined) {
      interrupt(interruptPid);
      p.ended = true;
      procs.delete(pid);
      return answer(stream, {});
    }
    const stopPid = parseStopScript(script);
    if (stopPid) {
      p.ended = true;
      procs.delete(pid);
      return answer(stream, stopReply(stopPid));
    }
    const ctx: RespondContext = {
      host, pid, bootstrap: text, stdin, scriptFromStdin: fromStdin,
      stdout: (t) => void (!p.ended && stream.write(crlf(t))),
      stderr: (t) => void (!p.ended && stream.stderr.write(crlf(t))),
      raw: {
        stdout: (t) => void (!p.ended && stream.write(t)),
        stderr: (t) => void (!p.ended && stream.stderr.write(t)),
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
      drop: () => (conn as unknown as { _sock: { destroy(): void } })._sock.destroy(),
    };
    let reply: Reply | void;
    try {
      reply = await host.respond(script, ctx);
    } catch (err) {
      if (p.ended || p.stop.signal.aborted) return;
      reply = { stderr: `fake-windows-sshd: respond failed: ${(err as Error).message}\n`, exitCode: 1 };
    }
    if (p.ended || p.stop.signal.aborted) return;
    p.ended = true;
    procs.delete(pid);
    answer(stream, reply ?? {}, true, exitOf);
  };

  const onExec = (stream: ServerChannel, conn: Connection, commandLine: string): void => {
    host.commands.push(commandLine);
    let line = commandLine;
    let pidEol = '\r\n';
    if (o.transportCompat === 'posix-wrapper') {
      const kill = POSIX_KILL.exec(line);
      if (kill) {
        const pid = Number(kill[1]);
        if (kill[2]) terminate(pid);
        else interrupt(pid);
        return answer(stream, {});
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
      if (/^echo gofleet-shell '%OS%'$/.test(line)) return answer(stream, { stdout: 'gofleet-shell\n%OS%\n' });
      const keep = line.endsWith('; exit $LASTEXITCODE');
      if (keep) line = line.slice(0, -'; exit $LASTEXITCODE'.length);
      else exitOf = (code) => (code === 0 ? 0 : 1);
    }
    const echo = /^echo(?:\s(.*))?$/is.exec(line);
    if (echo) return answer(stream, { stdout: `${echo[1] === undefined ? 'ECHO is on.' : expandCmdVars(echo[1], host.env)}\n` });
    const killPid = parseTaskkill(line);
    if (killPid) return answer(stream, stopReply(killPid));
    const b = parseBootstrap(line);
    if (b.kind === 'refused') return answer(stream, { stderr: b.stderr, exitCode: b.exitCode }, false);
    const refusal = b.kind === 'bootstrap' ? o.checkBootstrap?.(b.text) : undefined;
    if (refusal) return answer(stream, { stderr: `fake-windows-sshd: bootstrap refused: ${refusal}\n`, exitCode: 64 });
    if (b.kind === 'other') return answer(stream, { stderr: notRecognized(line), exitCode: 1 }, false);
    void runBootstrap(stream, conn, b.text, pidEol, exitOf);
  };

  const onAuth = (ctx: AuthContext): void => {
    let accepted = publicKeyAccepted(ctx, user, allowed);
    if (ctx.method === 'password') accepted = o.password !== undefined && ctx.username === user && ctx.password === o.password;
    const probe = ctx.method === 'publickey' && !ctx.signature;
    host.authAttempts.push({ user: ctx.username, method: probe ? 'publickey-query' : ctx.method, accepted });
    if (accepted) ctx.accept();
    else ctx.reject(o.password === undefined ? ['publickey'] : ['publickey', 'password']);
  };

  const server = new ssh2.Server({ hostKeys: [hostKey.private], ident: 'OpenSSH_for_Windows_9.5' }, (conn) => {
    connected++;
    connections.add(conn);
    conn.on('close', () => connections.delete(conn));
    conn.on('error', () => undefined); // a client that goes away mid-handshake
    conn.on('authentication', onAuth);
    conn.on('session', (acceptSession) => {
      const session = acceptSession();
      session.on('exec', (accept, _reject, info) => onExec(accept(), conn, info.command));
      session.on('sftp', (accept) => serveSftp(accept(), {
        drives, locked: host.locked, posixRename: o.posixRename ?? true, log: host.sftpLog,
      }));
      session.on('pty', (_accept, reject) => reject());
      session.on('shell', (_accept, reject) => reject());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host.port = (server.address() as AddressInfo).port;
  writeFileSync(host.knownHostsPath, `[127.0.0.1]:${host.port} ${hostKey.public}\n`, { mode: 0o600 });

  host.connectionCount = () => connected;
  host.running = () => [...procs.keys()];
  host.spec = (overrides = {}) => ({
    name: host.name, address: host.address, port: host.port, user, transport: 'ssh', identity: [clientKey],
    knownHosts: host.knownHostsPath, become: false, os: 'windows', tags: [], groups: [], vars: {},
    source: { file: join(dir, 'inventory.yml') }, ...overrides,
  });
  let stopping: Promise<void> | undefined;
  host.stop = () => (stopping ??= (async () => {
    for (const p of procs.values()) p.stop.abort(new Error('host stopped'));
    for (const c of connections) c.end();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  })());
  return host;
}
