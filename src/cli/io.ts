// Where output goes. `--json` keeps stdout machine-clean: one JSON document and nothing else.
// Everything written to the process's stdout and stderr passes safeTerminal (src/report/safe-text.ts): a host
// name or message holding terminal escapes is shown, never obeyed; JSON stays the same JSON.

import { safeTerminal } from '../report/safe-text.ts';

export interface CliIo {
  /** the command's main output (table or JSON) */
  out: (text: string) => void;
  /** progress, warnings, hints */
  err: (text: string) => void;
  stdoutTty: boolean;
  stderrTty: boolean;
}

interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The CLI's output on two streams, with control characters other than gofleet's own escaped. */
export function streamIo(stdout: Stream, stderr: Stream): CliIo {
  return {
    out: (t) => void stdout.write(safeTerminal(t)),
    err: (t) => void stderr.write(safeTerminal(t)),
    stdoutTty: Boolean(stdout.isTTY),
    stderrTty: Boolean(stderr.isTTY),
  };
}

export const processIo: CliIo = streamIo(process.stdout, process.stderr);

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2) + '\n');
}
