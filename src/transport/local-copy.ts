// Copy a local file atomically: stream into a temp name beside the target, set the mode, then rename.
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, rename, stat, unlink } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GofleetError } from '../errors.ts';
import { interrupted } from './exec-output.ts';
import { tempNameBeside } from './temp-name.ts';

export interface LocalCopy {
  from: string;
  to: string;
  host: string;
  /** mode of the result; default: what a new file gets (0666 & ~umask) */
  mode?: number;
  signal?: AbortSignal;
  onProgress?: (transferred: number, total: number) => void;
}

/** Returns the number of bytes copied. */
export async function copyLocalFile(c: LocalCopy): Promise<number> {
  if (c.signal?.aborted) throw interrupted(c.host, `copying ${c.from}`);
  const tmp = tempNameBeside(c.to);
  let total = 0;
  let copied = 0;
  try {
    total = (await stat(c.from)).size;
    const count = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        copied += chunk.length;
        c.onProgress?.(copied, total);
        cb(null, chunk);
      },
    });
    await pipeline(createReadStream(c.from), count, createWriteStream(tmp, { flags: 'wx', mode: c.mode ?? 0o666 }),
      { signal: c.signal });
    if (c.mode !== undefined) await chmod(tmp, c.mode);
    await rename(tmp, c.to);
    if (total === 0) c.onProgress?.(0, 0);
    return copied;
  } catch (err) {
    await unlink(tmp).catch(() => {});
    if (c.signal?.aborted) throw interrupted(c.host, `copying ${c.from}`);
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new GofleetError('TRANSFER_FAILED', `copying ${c.from} to ${c.to} on ${c.host} failed: ${why}`,
      { host: c.host, cause: err });
  }
}
