// The `gofleet-pid:<n>` line a wrapped command prints first on stderr (platform/remote-shell.ts), taken out of
// stderr by every transport that runs commands through a RemoteShell (ssh-exec.ts, winrm/winrm-exec.ts).
import { PID_MARK } from '../platform/remote-shell.ts';

const PID_LINE = new RegExp(`(^|\\n)${PID_MARK}(\\d+)\\r?\\n`);

/**
 * Takes the pid line out of stderr (normally its first line; a noisy login shell may print before it) and
 * passes everything else through. Gives up looking after 4 KiB.
 */
export class PidLine {
  pid: number | undefined;
  onPid: ((pid: number) => void) | undefined;
  private head: Buffer | undefined = Buffer.alloc(0);

  constructor(private readonly pass: (chunk: Buffer) => void) {}

  write(chunk: Buffer): void {
    if (!this.head) return this.pass(chunk);
    const head = Buffer.concat([this.head, chunk]);
    const m = PID_LINE.exec(head.toString('latin1'));
    if (!m && head.length < 4096) {
      this.head = head;
      return;
    }
    this.head = undefined;
    if (!m) return this.pass(head);
    const start = m.index + (m[1] ?? '').length; // latin1: one char per byte
    const rest = Buffer.concat([head.subarray(0, start), head.subarray(m.index + m[0].length)]);
    if (rest.length > 0) this.pass(rest);
    this.pid = Number(m[2]);
    this.onPid?.(this.pid);
  }

  end(): void {
    if (this.head && this.head.length > 0) this.pass(this.head);
    this.head = undefined;
  }
}

