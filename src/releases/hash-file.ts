// SHA-256 of a file or stream, streamed (archives are ~100 MB).

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';

/** Hex SHA-256 of the file at `path`. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A pass-through that hashes and counts what flows through it. */
export class HashingTap extends Transform {
  readonly #hash = createHash('sha256');
  bytes = 0;

  constructor(private readonly onChunk?: (bytes: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void): void {
    this.#hash.update(chunk);
    this.bytes += chunk.length;
    this.onChunk?.(this.bytes);
    done(null, chunk);
  }

  /** the hex digest; call once, after the stream finished */
  digest(): string {
    return this.#hash.digest('hex');
  }
}
