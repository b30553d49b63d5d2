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
// The command-line handling below is the transport-neutral core in fake-windows-process.ts (shared with the
// fake WinRM host, fake-winrm-server.ts).
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
import { WindowsDrives } from './fake-windows-paths.ts';
import { cmdEnvironment, windowsProcesses, type ProcessChannel, type Respond, type WindowsHostState } from './fake-windows-process.ts';
import { serveSftp } from './fake-windows-sftp.ts';
import { windowsRespond } from './fake-windows-vocabulary.ts';
import { ed25519KeyPair } from './ssh-keys.ts';

export type { Reply, Respond, RespondContext, WindowsHostState } from './fake-windows-process.ts';

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

export interface FakeWindowsHost extends WindowsHostState {
  address: string;
  port: number;
  password: string | undefined;
  /** private key file of the client key the host accepts */
  clientKey: string;
  hostKeyPub: string;
  knownHostsPath: string;
  /** the temp dir (drives under drives/, keys, known_hosts) */
  dir: string;
  authAttempts: AuthAttempt[];
  /** SFTP requests (`OPEN /C:/x`, `posix-rename /C:/a -> /C:/b`, ...) */
  sftpLog: string[];
  connectionCount(): number;
  spec(overrides?: Partial<HostSpec>): HostSpec;
  stop(): Promise<void>;
}

function publicKeyAccepted(ctx: AuthContext, user: string, allowed: ssh2.ParsedKey): boolean {
  if (ctx.method !== 'publickey' || ctx.username !== user) return false;
  if (ctx.key.algo !== allowed.type || !ctx.key.data.equals(allowed.getPublicSSH())) return false;
  // without a signature the client only asks whether the key would do
  return !ctx.signature || allowed.verify(ctx.blob as Buffer, ctx.signature, ctx.hashAlgo) === true;
}

/** An exec channel as the Windows process core sees it. */
function sshChannel(stream: ServerChannel, conn: Connection): ProcessChannel {
  return {
    stdout: (d) => void stream.write(d),
    stderr: (d) => void stream.stderr.write(d),
    exit: (code) => {
      if (!stream.writable) return;
      stream.exit(code);
      stream.end();
    },
    onStdin: (chunk, end) => {
      stream.on('data', chunk);
      stream.once('end', end);
    },
    onClose: (fn) => void stream.on('close', fn),
    drop: () => (conn as unknown as { _sock: { destroy(): void } })._sock.destroy(),
  };
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
  const connections = new Set<Connection>();
  let connected = 0;

  const host = {
    name: o.name ?? 'win-1', address: '127.0.0.1', port: 0, user, password: o.password, clientKey,
    hostKeyPub: hostKey.public, knownHostsPath: join(dir, 'known_hosts'), dir, drives, temp,
    env: cmdEnvironment(user, temp, o.name ?? 'win-1'),
    commands: [] as string[], scripts: [] as string[], unrecognized: [] as string[], terminations: [] as number[], interrupts: [] as number[],
    authAttempts: [] as AuthAttempt[], sftpLog: [] as string[], locked: new Set<string>(),
    respond: o.respond ?? windowsRespond,
  } as FakeWindowsHost;
  const processes = windowsProcesses(host, {
    checkBootstrap: o.checkBootstrap, transportCompat: o.transportCompat, defaultShell: o.defaultShell,
  });

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
      session.on('exec', (accept, _reject, info) => void processes.run(sshChannel(accept(), conn), info.command));
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
  host.running = () => processes.running();
  host.spec = (overrides = {}) => ({
    name: host.name, address: host.address, port: host.port, user, transport: 'ssh', identity: [clientKey],
    knownHosts: host.knownHostsPath, become: false, os: 'windows', tags: [], groups: [], vars: {},
    source: { file: join(dir, 'inventory.yml') }, ...overrides,
  });
  let stopping: Promise<void> | undefined;
  host.stop = () => (stopping ??= (async () => {
    processes.stopAll('host stopped');
    for (const c of connections) c.end();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  })());
  return host;
}
