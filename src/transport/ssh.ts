// SSH transport (ssh2): ONE connection per host, reused for every exec, put and get; one SFTP session
// opened lazily and reused. Unreachable hosts are retried with capped backoff; authentication and host-key
// failures never are. Every operation in flight rejects with CONNECTION_LOST if the connection drops,
// so nothing hangs on a dead host.
import { userInfo } from 'node:os';
import type { Client, SFTPWrapper } from 'ssh2';
import { GofleetError, registerSecret } from '../errors.ts';
import type { RemoteShell } from '../platform/remote-shell.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { ExecOptions, ExecResult, PutOptions, Transport, TransportCapabilities, TransportStats } from './types.ts';
import { interrupted } from './exec-output.ts';
import { withRetry } from './retry.ts';
import { connectHop, forwardThrough, type Hop, type HopOptions } from './ssh-connect.ts';
import { connectionLost } from './ssh-errors.ts';
import { spawnProxyCommand } from './proxy-command.ts';
import { sshExec } from './ssh-exec.ts';
import { removeQuietly, sftpGet, sftpPut } from './ssh-sftp.ts';
import { tempNameBeside } from './temp-name.ts';

export interface SshConnectOptions {
  /** per hop: TCP connect + handshake + auth (default 15000) */
  connectTimeoutMs?: number;
  /** add unknown host keys to known_hosts (OpenSSH accept-new); a changed key is refused regardless */
  acceptNewHostKeys?: boolean;
  /** the resolved password for the target host */
  password?: string;
  /** ssh-agent socket; default $SSH_AUTH_SOCK; null: no agent */
  agent?: string | null;
  /** retries when the host is unreachable (default 2) */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
  /** called before each connect attempt (1-based) */
  onAttempt?: (attempt: number) => void;
  /** ssh keepalive (default every 15 s, 3 missed answers drop the connection); false: off */
  keepalive?: { intervalMs: number; countMax: number } | false;
  /** an upload that moves no byte for this long fails with TRANSFER_FAILED (default 60 s) */
  putIdleMs?: number;
  /** the host's remote-shell adapter when already known (else the engine hands it over with useShell) */
  shell?: RemoteShell;
}

type Resolved = Required<Pick<SshConnectOptions, 'connectTimeoutMs' | 'acceptNewHostKeys' | 'keepalive'>> &
  Pick<SshConnectOptions, 'password'> & { agent?: string };

function hopOptions(spec: HostSpec, o: Resolved): Omit<HopOptions, 'address' | 'port' | 'auth'> {
  return { host: spec.name, knownHostsPath: spec.knownHosts, acceptNewHostKeys: o.acceptNewHostKeys,
    connectTimeoutMs: o.connectTimeoutMs, keepalive: o.keepalive };
}

/** Connect through every ProxyJump hop, then to the target; returns every hop, the target last. */
async function openChain(spec: HostSpec, o: Resolved): Promise<Hop[]> {
  const hops: Hop[] = [];
  const localUser = userInfo().username;
  try {
    for (const j of spec.proxyJump ?? []) {
      const prev = hops.at(-1);
      const sock = prev ? await forwardThrough(prev, j.address, j.port, spec.name) : undefined;
      const identities = j.identity ? [j.identity] : spec.identity ?? [];
      hops.push(await connectHop({ ...hopOptions(spec, o), address: j.address, port: j.port, sock, label: 'jump host ',
        auth: { username: j.user ?? spec.user ?? localUser, identities, agent: o.agent } }));
    }
    const prev = hops.at(-1);
    const proxy = spec.proxyCommand && !prev ? spawnProxyCommand({ command: spec.proxyCommand, host: spec.name }) : undefined;
    const sock = prev ? await forwardThrough(prev, spec.address, spec.port, spec.name) : proxy?.sock;
    const target = await connectHop({ ...hopOptions(spec, o), address: spec.address, port: spec.port, sock,
      auth: { username: spec.user ?? localUser, identities: spec.identity ?? [], agent: o.agent, password: o.password } })
      .catch(async (err: unknown) => { throw proxy ? await proxy.explain(err) : err; });
    // the command lives as long as the connection over it: killed when lost, and by closeHops
    if (proxy) {
      target.proxy = proxy;
      target.client.once('close', () => proxy.kill());
    }
    hops.push(target);
    return hops;
  } catch (err) {
    for (const h of hops.reverse()) {
      h.client.end();
      h.proxy?.kill();
    }
    throw err;
  }
}

export async function connectSsh(spec: HostSpec, options: SshConnectOptions = {}): Promise<Transport> {
  registerSecret(options.password);
  const agent = options.agent === null ? undefined : options.agent ?? process.env.SSH_AUTH_SOCK;
  const o: Resolved = {
    connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
    acceptNewHostKeys: options.acceptNewHostKeys ?? false,
    keepalive: options.keepalive ?? { intervalMs: 15_000, countMax: 3 },
    password: options.password,
    agent: agent || undefined,
  };
  const started = Date.now();
  const hops = await withRetry(() => openChain(spec, o), {
    retries: options.retries, sleep: options.sleep, onAttempt: options.onAttempt,
  });
  const t = new SshTransport(spec.name, hops, Date.now() - started, options.putIdleMs ?? 60_000);
  if (options.shell) t.useShell(options.shell);
  return t;
}

class SshTransport implements Transport {
  readonly capabilities: TransportCapabilities = { stdinScripts: true, nativeFileTransfer: true };
  readonly stats: TransportStats;
  shell: RemoteShell | undefined;
  private readonly client: Client;
  private gone: GofleetError | undefined;
  private readonly watchers = new Set<(err: GofleetError) => void>();
  private sftp: Promise<SFTPWrapper> | undefined;
  private closing: Promise<void> | undefined;
  private closed = false;
  private readonly closedHops = new Set<Hop>();

  constructor(
    readonly host: string,
    private readonly hops: Hop[],
    connectMs: number,
    private readonly putIdleMs: number,
  ) {
    this.stats = { execCount: 0, bytesSent: 0, bytesReceived: 0, connectMs };
    this.client = (hops.at(-1) as Hop).client;
    let cause: Error | undefined;
    this.client.on('error', (err: Error) => (cause = err));
    this.client.on('close', () => this.lose(connectionLost({ host, doing: 'connected', cause })));
    for (const h of hops) h.client.once('close', () => this.closedHops.add(h));
  }

  private lose(err: GofleetError): void {
    this.gone ??= err;
    for (const w of this.watchers) w(err);
  }

  /** The error for `doing` something once the connection is gone (lost, or closed by us). */
  private goneError(doing: string, err: GofleetError): GofleetError {
    if (this.closed) return new GofleetError('CONNECTION_LOST', `cannot finish ${doing}: the transport to ${this.host} was closed`, { host: this.host });
    return err.code === 'CONNECTION_LOST' ? connectionLost({ host: this.host, doing, cause: err.cause }) : err;
  }

  /** Run `op`, rejecting as soon as the connection is gone (ssh2 callbacks may never fire then). */
  private async guarded<T>(doing: string, op: () => Promise<T>): Promise<T> {
    if (this.gone) throw this.goneError(doing, this.gone);
    let watcher: ((err: GofleetError) => void) | undefined;
    const lost = new Promise<never>((_, reject) => {
      watcher = (err) => reject(this.goneError(doing, err));
      this.watchers.add(watcher);
    });
    try {
      return await Promise.race([op(), lost]);
    } finally {
      if (watcher) this.watchers.delete(watcher);
    }
  }

  private session(): Promise<SFTPWrapper> {
    if (this.sftp) return this.sftp;
    const opening: Promise<SFTPWrapper> = new Promise<SFTPWrapper>((resolve, reject) => {
      this.client.sftp((err, sftp) => {
        if (err) {
          if (this.sftp === opening) this.sftp = undefined;
          reject(new GofleetError('TRANSFER_FAILED', `cannot open an SFTP session on ${this.host}: ${err.message}`,
            { host: this.host, cause: err }));
          return;
        }
        // a session ended by put's watchdog may close after a new one was opened: leave that one be
        sftp.on('close', () => {
          if (this.sftp === opening) this.sftp = undefined;
        });
        resolve(sftp);
      });
    });
    this.sftp = opening;
    return this.sftp;
  }

  useShell(shell: RemoteShell): void {
    this.shell = shell;
  }

  async exec(command: string, x: ExecOptions = {}): Promise<ExecResult> {
    this.stats.execCount++;
    const shell = this.shell;
    const r = await this.guarded('running a command', () => sshExec(this.client, command, x, { host: this.host, ...(shell ? { shell } : {}) }));
    this.stats.bytesSent += x.stdin === undefined ? 0 : Buffer.byteLength(x.stdin);
    this.stats.bytesReceived += Buffer.byteLength(r.stdout) + Buffer.byteLength(r.stderr);
    return r;
  }

  async put(localPath: string, remotePath: string, x: PutOptions = {}): Promise<void> {
    if (x.signal?.aborted) throw interrupted(this.host, `copying ${localPath}`);
    const doing = `copying ${localPath} to ${remotePath}`;
    // Ending the SFTP session fails the transfer in flight -- except that ssh2 never answers a write fastPut
    // queues after the session closed, so the watchdog settles the upload itself: on abort, and when no
    // byte has moved for PUT_IDLE_MS (a stalled server that still answers keepalives).
    let settle: ((err: GofleetError) => void) | undefined;
    const stopped = new Promise<never>((_, reject) => (settle = reject));
    stopped.catch(() => undefined);
    const stop = (err: GofleetError): void => {
      const ending = this.sftp;
      this.sftp = undefined; // the next use opens a new session, not this ending one
      void ending?.then((s) => s.end(), () => undefined);
      setTimeout(() => settle?.(err), 1000).unref();
    };
    const onAbort = (): void => stop(interrupted(this.host, doing));
    x.signal?.addEventListener('abort', onAbort, { once: true });
    let moved = Date.now();
    const idle = setInterval(() => {
      if (Date.now() - moved < this.putIdleMs) return;
      clearInterval(idle);
      stop(new GofleetError('TRANSFER_FAILED', `${doing} on ${this.host} stalled: no progress for ${Math.round(this.putIdleMs / 1000)} s`, { host: this.host }));
    }, Math.min(5000, this.putIdleMs)).unref();
    const onProgress = (done: number, total: number): void => {
      moved = Date.now();
      x.onProgress?.(done, total);
    };
    // the SFTP server's name for the path (the remote shell's business: /C:/... on Windows)
    const target = this.sftpPath(remotePath);
    const tmp = tempNameBeside(target, this.shell?.pathSeparators);
    try {
      this.stats.bytesSent += await this.guarded(doing, async () =>
        Promise.race([sftpPut(await this.session(), localPath, target, { host: this.host, mode: x.mode ?? 0o644, onProgress, tmp }), stopped]));
    } catch (err) {
      // an abort ended the SFTP session before sftpPut could remove its partial file: do it on a new one,
      // for a few seconds at most (a stalled connection would never answer)
      if (!this.gone) {
        const cleanup = this.guarded('cleaning up', async () => removeQuietly(await this.session(), tmp));
        await Promise.race([cleanup, new Promise((r) => setTimeout(r, 5000).unref())]).catch(() => undefined);
      }
      if (x.signal?.aborted) throw interrupted(this.host, doing);
      throw err;
    } finally {
      clearInterval(idle);
      x.signal?.removeEventListener('abort', onAbort);
    }
  }

  async get(remotePath: string, localPath: string): Promise<void> {
    this.stats.bytesReceived += await this.guarded(`copying ${remotePath}`, async () =>
      sftpGet(await this.session(), this.sftpPath(remotePath), localPath, this.host));
  }

  private sftpPath(remotePath: string): string {
    return this.shell ? this.shell.sftpPath(remotePath) : remotePath;
  }

  close(): Promise<void> {
    this.closing ??= this.closeHops();
    return this.closing;
  }

  private async closeHops(): Promise<void> {
    this.closed = true;
    this.lose(new GofleetError('CONNECTION_LOST', `the transport to ${this.host} is closed`, { host: this.host }));
    for (const h of [...this.hops].reverse()) {
      if (this.closedHops.has(h)) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        h.client.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        h.client.end();
      });
      h.proxy?.kill();
    }
  }
}
