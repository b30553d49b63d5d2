// One command over an existing ssh2 connection: a new session channel, stdin written then closed,
// stdout/stderr collected, exit code or signal.
//
// Timeout/abort: OpenSSH ignores "signal" requests for root sessions, and closing a channel does not stop a
// command without a pty. So the command is wrapped by the host's remote-shell adapter (platform/remote-shell.ts,
// given by the dialect) to report the pid to stop on stderr first (stripped here before anyone sees it); a
// second channel then runs the adapter's terminate (timeout, abort) or interrupt command for that pid. Without
// an adapter (before the shell is detected) the command is sent as it is and a stop can only close the channel.
import type { Client, ClientChannel } from 'ssh2';
import type { ExecOptions, ExecResult } from './types.ts';
import { ExecOutput, interrupted, stdinBuffer } from './exec-output.ts';
import { connectionLost } from './ssh-errors.ts';
import { GofleetError } from '../errors.ts';
import type { RemoteShell } from '../platform/remote-shell.ts';
import { PidLine } from './pid-line.ts';

export interface SshExecContext {
  host: string;
  /** after the kill, how long to wait for the channel to close (default 3000) */
  killGraceMs?: number;
  /** the host's remote-shell adapter; undefined: commands go as they are (shell not known yet) */
  shell?: RemoteShell;
}

export { PidLine }; // the pid line is read the same by every transport (pid-line.ts)

/** Run a stop command (the adapter's terminate or interrupt) on a second channel; never rejects. */
function runQuietly(client: Client, script: string): Promise<void> {
  return new Promise((resolve) => {
    try {
      client.exec(script, (err, ch) => {
        if (err) return resolve();
        ch.on('close', () => resolve()).on('error', () => resolve());
        ch.resume();
        ch.stderr.resume();
        ch.end();
      });
    } catch {
      resolve();
    }
  });
}

export function sshExec(client: Client, command: string, x: ExecOptions, ctx: SshExecContext): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    if (x.signal?.aborted) {
      reject(interrupted(ctx.host, 'command'));
      return;
    }
    const startedAt = Date.now();
    const out = new ExecOutput(x.onStdout);
    const shell = ctx.shell;
    const pidLine = new PidLine((chunk) => out.stderr(chunk));
    if (!shell) pidLine.end(); // nothing to look for: stderr passes through untouched
    let channel: ClientChannel | undefined;
    let exitCode: number | null = null;
    let signal: string | null = null;
    let timedOut = false;
    let aborted = false;
    let stopping = false;
    let done = false;
    let grace: NodeJS.Timeout | undefined;
    const finish = (err?: GofleetError): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(grace);
      x.signal?.removeEventListener('abort', onAbort);
      x.interrupt?.removeEventListener('abort', onInterrupt);
      pidLine.end();
      if (err) reject(err);
      else if (aborted) reject(interrupted(ctx.host, 'command'));
      // a command the transport stopped itself (its timeout) has no exit code of its own: Windows reports the
      // taskkill'ed process's forced status (1), which must not read as the command's answer
      else resolve(out.result({ exitCode: timedOut ? null : exitCode, signal, startedAt, timedOut }));
    };
    const killThenClose = (pid: number | undefined): void => {
      if (done || !channel) return;
      const ch = channel;
      void (pid === undefined || !shell ? Promise.resolve() : runQuietly(client, shell.terminate(pid))).then(() => {
        if (done) return;
        ch.close();
        grace = setTimeout(() => finish(), ctx.killGraceMs ?? 3000);
      });
    };
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      if (!channel) return; // onOpen stops it
      if (pidLine.pid !== undefined || !shell) return killThenClose(pidLine.pid);
      // the pid line has not arrived yet: wait a little for it
      grace = setTimeout(() => killThenClose(undefined), 1000);
      pidLine.onPid = (pid) => {
        clearTimeout(grace);
        killThenClose(pid);
      };
    };
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    const onInterrupt = (): void => {
      if (!shell) return; // no pid to ask: the command runs on
      if (pidLine.pid !== undefined) void runQuietly(client, shell.interrupt(pidLine.pid));
      else pidLine.onPid = (pid) => void runQuietly(client, shell.interrupt(pid));
    };
    if (x.interrupt?.aborted) onInterrupt();
    else x.interrupt?.addEventListener('abort', onInterrupt, { once: true });
    const timer = x.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      stop();
    }, x.timeoutMs);
    x.signal?.addEventListener('abort', onAbort, { once: true });
    const onOpen = (err: Error | undefined, ch: ClientChannel): void => {
      if (err) {
        finish(new GofleetError('REMOTE_FAILED', `cannot start a command on ${ctx.host}: ${err.message}`,
          { host: ctx.host, cause: err }));
        return;
      }
      channel = ch;
      ch.on('data', (d: Buffer) => out.stdout(d));
      ch.stderr.on('data', (d: Buffer) => pidLine.write(d));
      ch.on('exit', (code: number | null, sig?: string) => {
        exitCode = typeof code === 'number' ? code : null;
        signal = sig ?? null;
      });
      ch.on('close', () => finish());
      ch.on('error', () => {}); // a close follows
      ch.end(stdinBuffer(x.stdin));
      if (stopping) {
        stopping = false;
        stop();
      }
    };
    try {
      client.exec(shell ? shell.wrap(command) : command, onOpen);
    } catch (err) {
      finish(connectionLost({ host: ctx.host, doing: 'starting a command', cause: err }));
    }
  });
}
