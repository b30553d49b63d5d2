// One command in the host's WinRS shell: Command (the RemoteShell's wrap of the line), stdin in Send chunks (the
// last with End=true), then Receive until the command is done (an OperationTimeout fault only means "nothing
// yet": the Receive is re-issued), stderr's pid line taken out as over SSH (pid-line.ts), and a Signal terminate
// at the end to free the command on the host.
//
// Every request goes over the host's one HTTP session, one at a time, so nothing is sent while a Receive is held
// by the host: a timeout, an abort or an interrupt is acted on between two requests (within the operation timeout,
// WinrmConnectOptions.operationTimeoutSec). Stopping: the adapter's terminate(pid) runs as a second command in the
// same shell (when the pid line came), then the command is signalled to terminate. Interrupt: the adapter's
// interrupt(pid) runs as a second command, and the first is awaited as usual.
// Faults: a quota fault or a gone shell (WinRM restarted) when starting the command -> the shell is re-created
// once and the Command sent again; a gone shell mid-command -> CONNECTION_LOST (the command's fate is unknown;
// the next command gets a new shell); quota -> WINRM_QUOTA; other faults -> WINRM_FAULT. Authentication is never
// retried (the session rejects a 401 with AUTH_FAILED).
import { GofleetError } from '../../errors.ts';
import type { RemoteShell } from '../../platform/remote-shell.ts';
import { ExecOutput, interrupted, stdinBuffer } from '../exec-output.ts';
import { PidLine } from '../pid-line.ts';
import { connectionLost } from '../ssh-errors.ts';
import type { ExecOptions, ExecResult } from '../types.ts';
import { WinrsFault, type WinrsShell } from './winrs-shell.ts';
import { describeFault } from './wsman/index.ts';

export interface WinrmExecContext {
  host: string;
  shell: WinrsShell;
  /** the host's remote-shell adapter; undefined: commands go as they are (no pid, a stop only signals) */
  remote: RemoteShell | undefined;
  /** bytes of stdin per Send (from the host's MaxEnvelopeSizekb) */
  chunkSize: number;
}

export interface WinrmExecOptions extends ExecOptions {
  /** stdin as pieces of at most chunkSize bytes each (file copies); replaces `stdin` */
  stdinPieces?: AsyncIterable<Buffer>;
}

/** A fault, a lost connection or anything else -> the GofleetError the transport rejects with. */
export function winrmError(err: unknown, host: string, doing: string): GofleetError {
  if (err instanceof GofleetError) return err;
  if (err instanceof WinrsFault) {
    const what = `${host}: ${err.message}`;
    if (err.fault.kind === 'quota') return new GofleetError('WINRM_QUOTA', what, { host, cause: err });
    if (err.fault.kind === 'shell_not_found') return connectionLost({ host, doing: `${doing} (the WinRM shell is gone: ${describeFault(err.fault)})` });
    return new GofleetError('WINRM_FAULT', what, { host, cause: err });
  }
  return connectionLost({ host, doing, cause: err });
}

const recoverable = (err: unknown): boolean =>
  err instanceof WinrsFault && (err.fault.kind === 'quota' || err.fault.kind === 'shell_not_found');

/** Command, re-creating the shell once after a quota fault or when the shell is gone. */
async function startCommand(ctx: WinrmExecContext, line: string): Promise<string> {
  try {
    return await ctx.shell.command(line);
  } catch (err) {
    if (!recoverable(err)) throw err;
    await ctx.shell.recreate();
    return ctx.shell.command(line);
  }
}

/** Send, re-sent while the host says busy (ERROR_BUSY, as Ansible does; at most 3 times); an operation timeout on
 *  a Send is not an error (the data was taken). */
async function sendPiece(ctx: WinrmExecContext, commandId: string, data: Buffer, end: boolean): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.shell.send(commandId, data, end);
    } catch (err) {
      if (err instanceof WinrsFault && err.fault.kind === 'timeout') return;
      if (!(err instanceof WinrsFault && err.fault.kind === 'busy' && attempt < 3)) throw err;
    }
  }
}

async function* slices(data: Buffer | undefined, size: number): AsyncIterable<Buffer> {
  for (let at = 0; data && at < data.length; at += size) yield data.subarray(at, at + size);
}

/** Receive once; null after an operation timeout (nothing yet). */
async function receiveOnce(ctx: WinrmExecContext, commandId: string): Promise<Awaited<ReturnType<WinrsShell['receive']>> | null> {
  try {
    return await ctx.shell.receive(commandId);
  } catch (err) {
    if (err instanceof WinrsFault && err.fault.kind === 'timeout') return null;
    throw err;
  }
}

/** A side command (the adapter's terminate or interrupt): run to its end, output dropped; never rejects. */
async function runSide(ctx: WinrmExecContext, line: string): Promise<void> {
  try {
    const id = await ctx.shell.command(line);
    await sendPiece(ctx, id, Buffer.alloc(0), true);
    for (let i = 0; i < 5; i++) if ((await receiveOnce(ctx, id))?.done) break;
    await ctx.shell.signal(id, 'terminate');
  } catch {
    // best effort: the main command is signalled anyway
  }
}

interface Flags {
  timedOut: boolean;
  aborted: boolean;
  interrupt: boolean;
  interruptSent: boolean;
}

export async function winrmExec(ctx: WinrmExecContext, command: string, x: WinrmExecOptions = {}): Promise<ExecResult> {
  if (x.signal?.aborted) throw interrupted(ctx.host, 'command');
  const startedAt = Date.now();
  const out = new ExecOutput(x.onStdout);
  const pidLine = new PidLine((chunk) => out.stderr(chunk));
  if (!ctx.remote) pidLine.end(); // nothing to look for: stderr passes through untouched
  const f: Flags = { timedOut: false, aborted: false, interrupt: x.interrupt?.aborted ?? false, interruptSent: false };
  const timer = x.timeoutMs === undefined ? undefined : setTimeout(() => (f.timedOut = true), x.timeoutMs);
  const onAbort = (): void => void (f.aborted = true);
  const onInterrupt = (): void => void (f.interrupt = true);
  x.signal?.addEventListener('abort', onAbort, { once: true });
  x.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  const stopping = (): boolean => f.timedOut || f.aborted;
  let exitCode: number | null = null;
  let commandId: string | undefined;
  try {
    commandId = await startCommand(ctx, ctx.remote ? ctx.remote.wrap(command) : command);
    await sendStdin(ctx, commandId, x.stdinPieces ?? slices(stdinBuffer(x.stdin), ctx.chunkSize), stopping);
    for (;;) {
      if (stopping()) {
        if (ctx.remote && pidLine.pid !== undefined) await runSide(ctx, ctx.remote.terminate(pidLine.pid));
        await ctx.shell.signal(commandId, 'terminate');
        break;
      }
      if (f.interrupt && !f.interruptSent && ctx.remote && pidLine.pid !== undefined) {
        f.interruptSent = true;
        await runSide(ctx, ctx.remote.interrupt(pidLine.pid));
      }
      const r = await receiveOnce(ctx, commandId);
      if (!r) continue;
      for (const c of r.chunks) {
        if (c.stream === 'stdout') out.stdout(c.data);
        else pidLine.write(c.data);
      }
      if (r.done) {
        exitCode = r.exitCode;
        await ctx.shell.signal(commandId, 'terminate');
        break;
      }
    }
  } catch (err) {
    if (err instanceof WinrsFault && err.fault.kind === 'shell_not_found') ctx.shell.forget();
    else if (commandId !== undefined) await abandon(ctx, commandId, err);
    throw winrmError(err, ctx.host, 'running a command');
  } finally {
    clearTimeout(timer);
    x.signal?.removeEventListener('abort', onAbort);
    x.interrupt?.removeEventListener('abort', onInterrupt);
    pidLine.end();
  }
  if (f.aborted) throw interrupted(ctx.host, 'command');
  // a command the transport stopped itself has no exit code of its own (as ssh-exec)
  return out.result({ exitCode: f.timedOut ? null : exitCode, signal: null, startedAt, timedOut: f.timedOut });
}

/** A command left behind by a failed request (a 413 on a Send, a fault): signalled to terminate, best effort, so
 *  its process does not wait on a stdin that never ends until the shell goes. Not over a lost connection. */
async function abandon(ctx: WinrmExecContext, commandId: string, err: unknown): Promise<void> {
  if (err instanceof GofleetError && (err.kind === 'unreachable' || err.kind === 'auth' || err.code === 'INTERRUPTED')) return;
  await ctx.shell.signal(commandId, 'terminate').catch(() => undefined);
}

/** stdin in pieces, the last one with End=true (an empty End=true when there is no stdin: the command must see
 *  its stdin closed). Stops early when the command is being stopped. */
async function sendStdin(ctx: WinrmExecContext, commandId: string, pieces: AsyncIterable<Buffer>, stopping: () => boolean): Promise<void> {
  let held: Buffer | undefined;
  for await (const piece of pieces) {
    if (stopping()) return;
    if (held) await sendPiece(ctx, commandId, held, false);
    held = piece;
  }
  await sendPiece(ctx, commandId, held ?? Buffer.alloc(0), true);
}
