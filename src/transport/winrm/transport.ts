// The WinRM transport (issue 11): PSSession-like. One HTTP session per host (http-session.ts: one keep-alive
// socket, NTLM once per socket, sealed over http), the host's winrm/config read once at connect (MaxEnvelopeSizekb
// sizes each Send; MaxMemoryPerShellMB and the shell quotas are kept as `hostLimits` for facts), and ONE WinRS
// shell (codepage 65001, no profile) created at connect and reused by every exec, put and get. Commands go
// through the host's RemoteShell exactly as over SSH (its wrap, pid line, terminate, interrupt); files go through
// the shell too (file-copy.ts), so nativeFileTransfer is false.
import { GofleetError, registerSecret } from '../../errors.ts';
import type { HostSpec, WinrmSpec } from '../../inventory/types.ts';
import type { RemoteShell } from '../../platform/remote-shell.ts';
import { withRetry } from '../retry.ts';
import type { ExecOptions, ExecResult, HostLimits, PutOptions, Transport, TransportCapabilities, TransportStats } from '../types.ts';
import { winrmGet, winrmPut } from './file-copy.ts';
import { WinrmHttpSession, type WinrmEndpoint } from './http-session.ts';
import { winrmError, winrmExec, type WinrmExecContext } from './winrm-exec.ts';
import { WinrsShell, type SoapPoster } from './winrs-shell.ts';
import { sendChunkSize } from './wsman/index.ts';

/** What a host that does not let us read winrm/config is assumed to take: MS-WSMV's "MAY be 150". */
export const DEFAULT_MAX_ENVELOPE_KB = 150;

export interface WinrmConnectOptions {
  /** the resolved password (ansible_password / password: prompt|${env:X}) */
  password?: string;
  /** TCP connect + TLS (default 15000) */
  connectTimeoutMs?: number;
  /** WS-Man OperationTimeout: how long the host holds an idle Receive; a stop or an interrupt waits at most this
   *  long to be sent (default 5) */
  operationTimeoutSec?: number;
  /** retries when the host is unreachable (default 2); authentication is never retried */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
  onAttempt?: (attempt: number) => void;
  /** the host's remote-shell adapter when already known (else the engine hands it over with useShell) */
  shell?: RemoteShell;
  /** loud per-host warnings (certificate validation off, clear-text messages) */
  onWarning?: (text: string) => void;
  /** tests: the SOAP poster to use instead of a WinrmHttpSession (e.g. a plain HTTP one for an auth-less fake) */
  session?: (endpoint: WinrmEndpoint, host: string) => SoapPoster;
}

function unsupported(spec: HostSpec, w: WinrmSpec): GofleetError {
  return new GofleetError('WINRM_AUTH_UNSUPPORTED', `${spec.name}: WinRM authentication asked by ${w.unsupportedAuth} is not supported yet; use ntlm or https+basic/certificate`, { host: spec.name });
}

/** HostSpec (inventory) -> the HTTP session's endpoint. */
export function winrmEndpoint(spec: HostSpec, o: WinrmConnectOptions): WinrmEndpoint {
  const w = spec.winrm ?? { scheme: 'http', auth: 'ntlm', certValidation: 'validate', messageEncryption: 'auto' };
  if (w.unsupportedAuth) throw unsupported(spec, w);
  const e: WinrmEndpoint = {
    host: spec.address, port: spec.port, scheme: w.scheme, path: '/wsman', auth: w.auth, messageEncryption: w.messageEncryption,
    connectTimeoutMs: o.connectTimeoutMs ?? 15_000,
    // the read timeout must outlast the host's hold of a Receive (pywinrm: operation timeout + 10 s)
    readTimeoutMs: ((o.operationTimeoutSec ?? 5) + 25) * 1000,
  };
  if (spec.user !== undefined) e.username = spec.user;
  if (o.password !== undefined) e.password = o.password;
  if (w.scheme === 'https') {
    e.tls = { validate: w.certValidation === 'validate' };
    if (w.caFile) e.tls.caFile = w.caFile;
    if (w.clientCert) e.tls.clientCertFile = w.clientCert;
    if (w.clientKey) e.tls.clientKeyFile = w.clientKey;
  }
  return e;
}

export async function connectWinrm(spec: HostSpec, options: WinrmConnectOptions = {}): Promise<Transport> {
  registerSecret(options.password);
  const endpoint = winrmEndpoint(spec, options);
  const started = Date.now();
  return withRetry(async () => {
    const session = options.session?.(endpoint, spec.name) ?? newSession(endpoint, spec.name, options);
    const url = `${endpoint.scheme}://${endpoint.host}:${endpoint.port}${endpoint.path}`;
    const shell = new WinrsShell(session, { url, maxEnvelopeSize: 153_600, operationTimeoutSec: options.operationTimeoutSec ?? 5 }, spec.name, options.onWarning);
    try {
      const config = await shell.readConfig();
      await shell.create();
      const t = new WinrmTransport(spec.name, session, shell, Date.now() - started, {
        maxEnvelopeSizeKb: config?.maxEnvelopeSizeKb ?? DEFAULT_MAX_ENVELOPE_KB,
        ...(config?.maxMemoryPerShellMB !== undefined ? { maxMemoryPerShellMB: config.maxMemoryPerShellMB } : {}),
        ...(config?.maxShellsPerUser !== undefined ? { maxShellsPerUser: config.maxShellsPerUser } : {}),
        ...(config?.maxProcessesPerShell !== undefined ? { maxProcessesPerShell: config.maxProcessesPerShell } : {}),
        configRead: config !== undefined,
      });
      if (options.shell) t.useShell(options.shell);
      return t;
    } catch (err) {
      await session.close().catch(() => undefined);
      throw winrmError(err, spec.name, 'opening a WinRM shell');
    }
  }, { retries: options.retries, sleep: options.sleep, onAttempt: options.onAttempt });
}

function newSession(endpoint: WinrmEndpoint, host: string, o: WinrmConnectOptions): SoapPoster {
  const s = new WinrmHttpSession(endpoint, host);
  for (const w of s.warnings) o.onWarning?.(w);
  return s;
}

class WinrmTransport implements Transport {
  readonly capabilities: TransportCapabilities = { stdinScripts: true, nativeFileTransfer: false };
  readonly stats: TransportStats;
  shell: RemoteShell | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    readonly host: string,
    private readonly session: SoapPoster,
    private readonly winrs: WinrsShell,
    connectMs: number,
    readonly hostLimits: HostLimits,
  ) {
    this.stats = { execCount: 0, bytesSent: 0, bytesReceived: 0, connectMs };
  }

  useShell(shell: RemoteShell): void {
    this.shell = shell;
  }

  private ctx(): WinrmExecContext {
    if (this.closing) throw new GofleetError('CONNECTION_LOST', `the transport to ${this.host} was closed`, { host: this.host });
    return { host: this.host, shell: this.winrs, remote: this.shell, chunkSize: sendChunkSize(this.hostLimits.maxEnvelopeSizeKb) };
  }

  private count(r: ExecResult, sent: number): ExecResult {
    this.stats.bytesSent += sent;
    this.stats.bytesReceived += Buffer.byteLength(r.stdout) + Buffer.byteLength(r.stderr);
    return r;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const ctx = this.ctx();
    this.stats.execCount++;
    const stdin = options.stdin === undefined ? 0 : Buffer.byteLength(options.stdin);
    return this.count(await winrmExec(ctx, command, options), stdin);
  }

  async put(localPath: string, remotePath: string, options: PutOptions = {}): Promise<void> {
    this.stats.bytesSent += await winrmPut(this.ctx(), localPath, remotePath, options);
  }

  async get(remotePath: string, localPath: string): Promise<void> {
    this.stats.bytesReceived += await winrmGet(this.ctx(), remotePath, localPath);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.winrs.delete();
      await this.session.close().catch(() => undefined);
    })();
    return this.closing;
  }
}
