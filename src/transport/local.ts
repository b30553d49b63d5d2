// Transport for the local machine: exec runs `sh -c command` in its own process group (so a timeout or
// abort kills everything the command started); put/get copy files through a temp name then rename.
import { spawn, type ChildProcess } from 'node:child_process';
import type { ExecOptions, ExecResult, PutOptions, Transport, TransportCapabilities, TransportStats } from './types.ts';
import { ExecOutput, interrupted, stdinBuffer } from './exec-output.ts';
import { copyLocalFile } from './local-copy.ts';
import { GofleetError } from '../errors.ts';
import type { RemoteShell } from '../platform/remote-shell.ts';

export interface LocalTransportOptions {
  /** the host name used in errors and results (default 'localhost') */
  host?: string;
  /** the POSIX shell (default 'sh') */
  shell?: string;
  env?: NodeJS.ProcessEnv;
  /** after a kill, how long to wait for the streams to close before giving up on them (default 2000) */
  killGraceMs?: number;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // the group is already gone; make sure the child is too
  }
}

function runLocal(o: Required<Omit<LocalTransportOptions, 'env'>> & { env?: NodeJS.ProcessEnv },
  command: string, x: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    if (x.signal?.aborted) {
      reject(interrupted(o.host, 'command'));
      return;
    }
    const startedAt = Date.now();
    const out = new ExecOutput(x.onStdout);
    const child = spawn(o.shell, ['-c', command], { detached: true, stdio: 'pipe', env: o.env });
    let timedOut = false;
    let aborted = false;
    let done = false;
    let grace: NodeJS.Timeout | undefined;
    const finish = (exitCode: number | null, signal: string | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(grace);
      x.signal?.removeEventListener('abort', onAbort);
      x.interrupt?.removeEventListener('abort', onInterrupt);
      if (aborted) reject(interrupted(o.host, 'command'));
      else resolve(out.result({ exitCode, signal, startedAt, timedOut }));
    };
    const stop = (): void => {
      killGroup(child);
      // a process that left the group may hold the pipes open: do not wait for it forever
      grace = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(child.exitCode, child.signalCode);
      }, o.killGraceMs);
    };
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    const onInterrupt = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // the group is gone: nothing to ask
      }
    };
    if (x.interrupt?.aborted) onInterrupt();
    else x.interrupt?.addEventListener('abort', onInterrupt, { once: true });
    const timer = x.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      stop();
    }, x.timeoutMs);
    x.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => out.stdout(d));
    child.stderr.on('data', (d: Buffer) => out.stderr(d));
    child.stdin.on('error', () => {}); // EPIPE when the command does not read its stdin
    child.on('error', (err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new GofleetError('REMOTE_FAILED', `cannot run ${o.shell}: ${err.message}`, { host: o.host, cause: err }));
    });
    child.on('close', (code, signal) => finish(code, signal));
    child.stdin.end(stdinBuffer(x.stdin));
  });
}

export function createLocalTransport(options: LocalTransportOptions = {}): Transport {
  const o = { host: options.host ?? 'localhost', shell: options.shell ?? 'sh', killGraceMs: options.killGraceMs ?? 2000,
    env: options.env };
  const stats: TransportStats = { execCount: 0, bytesSent: 0, bytesReceived: 0, connectMs: 0 };
  const capabilities: TransportCapabilities = { stdinScripts: true, nativeFileTransfer: true };
  let closed = false;
  let shell: RemoteShell | undefined;
  const ensureOpen = (doing: string): void => {
    if (closed) throw new GofleetError('CONNECTION_LOST', `cannot ${doing}: the transport to ${o.host} is closed`, { host: o.host });
  };
  return {
    host: o.host,
    capabilities,
    stats,
    get shell() {
      return shell;
    },
    // the local machine runs its own sh in a process group, stopped with process.kill: kept, not used
    useShell(given) {
      shell = given;
    },
    async exec(command, x = {}) {
      ensureOpen('run a command');
      stats.execCount++;
      stats.bytesSent += stdinBuffer(x.stdin)?.length ?? 0;
      const r = await runLocal(o, command, x);
      stats.bytesReceived += Buffer.byteLength(r.stdout) + Buffer.byteLength(r.stderr);
      return r;
    },
    async put(localPath, remotePath, x: PutOptions = {}) {
      ensureOpen('copy a file');
      stats.bytesSent += await copyLocalFile({ from: localPath, to: remotePath, host: o.host, mode: x.mode ?? 0o644,
        signal: x.signal, onProgress: x.onProgress });
    },
    async get(remotePath, localPath) {
      ensureOpen('copy a file');
      stats.bytesReceived += await copyLocalFile({ from: remotePath, to: localPath, host: o.host });
    },
    async close() {
      closed = true;
    },
  };
}
