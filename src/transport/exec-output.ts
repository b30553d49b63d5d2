// Collects a command's stdout/stderr as bytes, streams stdout to a callback as text without splitting
// multi-byte characters, and counts bytes. Shared by every transport's exec.
import { StringDecoder } from 'node:string_decoder';
import { GofleetError } from '../errors.ts';
import type { ExecResult } from './types.ts';

export class ExecOutput {
  private readonly out: Buffer[] = [];
  private readonly err: Buffer[] = [];
  private readonly decoder = new StringDecoder('utf8');
  bytes = 0;

  constructor(private readonly onStdout?: (chunk: string) => void) {}

  stdout(chunk: Buffer): void {
    this.out.push(chunk);
    this.bytes += chunk.length;
    if (this.onStdout) {
      const text = this.decoder.write(chunk);
      if (text) this.onStdout(text);
    }
  }

  stderr(chunk: Buffer): void {
    this.err.push(chunk);
    this.bytes += chunk.length;
  }

  result(o: { exitCode: number | null; signal: string | null; startedAt: number; timedOut: boolean }): ExecResult {
    if (this.onStdout) {
      const rest = this.decoder.end();
      if (rest) this.onStdout(rest);
    }
    return {
      exitCode: o.exitCode,
      signal: o.signal,
      stdout: Buffer.concat(this.out).toString('utf8'),
      stderr: Buffer.concat(this.err).toString('utf8'),
      durationMs: Date.now() - o.startedAt,
      timedOut: o.timedOut,
    };
  }
}

/** The error an aborted exec or transfer rejects with. */
export function interrupted(host: string, doing: string): GofleetError {
  return new GofleetError('INTERRUPTED', `${doing} on ${host} was aborted`, { host });
}

export function stdinBuffer(stdin: string | Buffer | undefined): Buffer | undefined {
  if (stdin === undefined) return undefined;
  return typeof stdin === 'string' ? Buffer.from(stdin, 'utf8') : stdin;
}
