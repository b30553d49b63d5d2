// Where output goes. `--json` keeps stdout machine-clean: one JSON document and nothing else.

export interface CliIo {
  /** the command's main output (table or JSON) */
  out: (text: string) => void;
  /** progress, warnings, hints */
  err: (text: string) => void;
  stdoutTty: boolean;
  stderrTty: boolean;
}

export const processIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  stdoutTty: Boolean(process.stdout.isTTY),
  stderrTty: Boolean(process.stderr.isTTY),
};

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2) + '\n');
}
