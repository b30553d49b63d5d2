// Run one local command (go, git) and return its outcome as data: exit code, combined output, whether our
// timeout stopped it. Never rejects. On timeout the whole process group is killed (go test runs children).

import { spawn } from 'node:child_process';

export interface CommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** kill the process group after this long */
  timeoutMs?: number;
  stdin?: string;
}

export interface CommandResult {
  /** null when it could not start or was killed */
  exitCode: number | null;
  /** stdout and stderr interleaved as they came (long output keeps its head and tail) */
  output: string;
  /** stdout alone (for commands whose stdout is data, like go list) */
  stdout: string;
  timedOut: boolean;
  durationMs: number;
}

export type RunCommand = (file: string, args: readonly string[], options: CommandOptions) => Promise<CommandResult>;

const HEAD = 256 * 1024;
const TAIL = 64 * 1024;

class Capture {
  private head = '';
  private tail = '';
  private dropped = 0;
  add(text: string): void {
    if (this.head.length < HEAD) {
      const room = HEAD - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (text.length === 0) return;
    this.tail += text;
    if (this.tail.length > TAIL) {
      this.dropped += this.tail.length - TAIL;
      this.tail = this.tail.slice(-TAIL);
    }
  }
  text(): string {
    return this.dropped > 0 ? `${this.head}\n… (${this.dropped} bytes not kept) …\n${this.tail}` : this.head + this.tail;
  }
}

export const runCommand: RunCommand = (file, args, options) =>
  new Promise((resolve) => {
    const started = Date.now();
    const all = new Capture();
    const out = new Capture();
    let timedOut = false;
    const child = spawn(file, [...args], { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const killGroup = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = options.timeoutMs ? setTimeout(() => ((timedOut = true), killGroup()), options.timeoutMs) : null;
    child.stdout.on('data', (d: Buffer) => (all.add(d.toString()), out.add(d.toString())));
    child.stderr.on('data', (d: Buffer) => all.add(d.toString()));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
    const finish = (exitCode: number | null, extra = ''): void => {
      if (timer) clearTimeout(timer);
      if (extra) all.add(extra);
      resolve({ exitCode, output: all.text(), stdout: out.text(), timedOut, durationMs: Date.now() - started });
    };
    child.on('error', (err) => finish(null, `${file}: ${err.message}\n`));
    child.on('close', (code) => finish(timedOut ? null : code));
  });
