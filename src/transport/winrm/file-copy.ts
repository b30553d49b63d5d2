// put and get over WinRM, which has no SFTP: through the shell, with the commands the host's RemoteShell gives
// (receiveFile / sendFile, platform/remote-shell.ts FILE_MARK). The file goes as base64 lines, each line one Send
// (sized from the host's MaxEnvelopeSizekb), into one open file on the host, which checks size and SHA-256 before
// renaming the temp file over the target. An abort stops sending and closes stdin: the host finds the copy short,
// removes the temp file and exits; then the put rejects with INTERRUPTED (nothing is left under either name).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, stat, unlink, writeFile } from 'node:fs/promises';
import { GofleetError } from '../../errors.ts';
import { FILE_MARK, type RemoteShell } from '../../platform/remote-shell.ts';
import { interrupted } from '../exec-output.ts';
import { tempNameBeside } from '../temp-name.ts';
import type { PutOptions } from '../types.ts';
import { winrmExec, type WinrmExecContext } from './winrm-exec.ts';

function failed(host: string, what: string, why: string, cause?: unknown): GofleetError {
  return new GofleetError('TRANSFER_FAILED', `${what} on ${host} failed: ${why}`, { host, cause });
}

function adapter(ctx: WinrmExecContext, what: string): Required<Pick<RemoteShell, 'receiveFile' | 'sendFile'>> & RemoteShell {
  const r = ctx.remote;
  if (!r?.receiveFile || !r.sendFile) {
    throw new GofleetError('INTERNAL', `${what} on ${ctx.host}: the WinRM transport copies files through the shell, and has no shell adapter that can (useShell first)`);
  }
  return r as Required<Pick<RemoteShell, 'receiveFile' | 'sendFile'>> & RemoteShell;
}

async function hashFile(path: string): Promise<{ size: number; sha256: string }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: h.digest('hex') };
}

/** The file as base64 lines of at most `lineBytes` bytes (newline included); stops early when `signal` fires. */
async function* base64Lines(path: string, lineBytes: number, o: PutOptions, total: number): AsyncIterable<Buffer> {
  const raw = Math.floor((lineBytes - 1) / 4) * 3;
  let sent = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: raw })) {
    if (o.signal?.aborted) return;
    const buf = chunk as Buffer;
    yield Buffer.from(`${buf.toString('base64')}\n`, 'latin1');
    sent += buf.length;
    o.onProgress?.(sent, total);
  }
}

export async function winrmPut(ctx: WinrmExecContext, local: string, remotePath: string, o: PutOptions = {}): Promise<number> {
  const what = `copying ${local} to ${remotePath}`;
  const shell = adapter(ctx, what);
  if (o.signal?.aborted) throw interrupted(ctx.host, what);
  const file = await hashFile(local).catch((err: unknown) => {
    throw failed(ctx.host, what, `cannot read ${local}: ${(err as Error).message}`, err);
  });
  const temp = tempNameBeside(remotePath, shell.pathSeparators);
  const line = shell.receiveFile({ temp, path: remotePath, size: file.size, sha256: file.sha256 });
  const r = await winrmExec(ctx, line, { stdinPieces: base64Lines(local, ctx.chunkSize, o, file.size) });
  if (o.signal?.aborted) throw interrupted(ctx.host, what);
  if (r.exitCode !== 0 || !r.stdout.includes(`${FILE_MARK}ok`)) {
    throw failed(ctx.host, what, r.stderr.trim() || `exit code ${r.exitCode}`);
  }
  if (file.size === 0) o.onProgress?.(0, 0);
  return file.size;
}

/** Parse sendFile's output: base64 lines, then `gofleet-file:<size>:<sha256>`; checked here. */
function decodeSent(stdout: string): { data: Buffer; size: number; sha256: string } | undefined {
  const lines = stdout.split(/\r?\n/).filter((l) => l !== '');
  const trailer = lines.pop();
  const m = trailer === undefined ? null : new RegExp(`^${FILE_MARK}(\\d+):([0-9a-f]{64})$`).exec(trailer);
  if (!m) return undefined;
  return { data: Buffer.concat(lines.map((l) => Buffer.from(l, 'base64'))), size: Number(m[1]), sha256: m[2]! };
}

export async function winrmGet(ctx: WinrmExecContext, remotePath: string, local: string): Promise<number> {
  const what = `copying ${remotePath} from the host to ${local}`;
  const shell = adapter(ctx, what);
  const r = await winrmExec(ctx, shell.sendFile(remotePath));
  const sent = r.exitCode === 0 ? decodeSent(r.stdout) : undefined;
  if (!sent) throw failed(ctx.host, what, r.stderr.trim() || `exit code ${r.exitCode}, no file trailer`);
  const got = createHash('sha256').update(sent.data).digest('hex');
  if (sent.data.length !== sent.size || got !== sent.sha256) {
    throw failed(ctx.host, what, `received ${sent.data.length} bytes, SHA-256 ${got}; the host sent ${sent.size} bytes, SHA-256 ${sent.sha256}`);
  }
  const tmp = tempNameBeside(local);
  try {
    await writeFile(tmp, sent.data);
    await rename(tmp, local);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw failed(ctx.host, what, (err as Error).message, err);
  }
  return (await stat(local)).size;
}
