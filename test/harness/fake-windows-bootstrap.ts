// The PowerShell bootstrap command line as the fake Windows OpenSSH host checks it:
//   powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand <base64(UTF-16LE(text))>
// (the flags in any order, names case-insensitive, as powershell.exe takes them). The real script comes
// over stdin. The builder for production lives in src/platform/windows (engineer ps-core); until it is
// merged this file encodes and decodes on its own.

export const BOOTSTRAP_FLAGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass'] as const;
const EXE = /^(?:powershell(?:\.exe)?|[A-Za-z]:\\Windows\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe)$/i;

/** base64 of the UTF-16LE text, as -EncodedCommand takes it. */
export function encodePowerShell(text: string): string {
  return Buffer.from(text, 'utf16le').toString('base64');
}

/** A bootstrap command line for `text` (the fake's own; tests of production code use the platform builder). */
export function bootstrapCommandLine(text: string): string {
  return `powershell.exe ${BOOTSTRAP_FLAGS.join(' ')} -EncodedCommand ${encodePowerShell(text)}`;
}

export type BootstrapParse =
  | { kind: 'bootstrap'; text: string }
  /** powershell.exe, but not as the bootstrap runs it: what PowerShell says, and its exit code */
  | { kind: 'refused'; stderr: string; exitCode: number }
  | { kind: 'other' };

const BAD_ENCODING = 'Cannot process the command because the value specified with -EncodedCommand is not properly ' +
  'encoded. The value must be Base64 encoded.\r\n';

/** Parse a command line; a `bootstrap` only when it is exactly the bootstrap shape with a well-formed payload. */
export function parseBootstrap(commandLine: string): BootstrapParse {
  const words = commandLine.trim().split(/[ \t]+/);
  if (!EXE.test(words[0] ?? '')) return { kind: 'other' };
  const rest = words.slice(1);
  const at = rest.findIndex((w) => /^-EncodedCommand$/i.test(w));
  const flags = at < 0 ? rest : [...rest.slice(0, at), ...rest.slice(at + 2)];
  // each flag once, `Bypass` right after `-ExecutionPolicy`, nothing else
  const options = flags.join(' ').toLowerCase().split(/ (?=-)/).sort();
  const want = ['-executionpolicy bypass', '-noninteractive', '-noprofile'];
  if (at < 0 || options.join('|') !== want.join('|')) {
    return { kind: 'refused', stderr: `fake-windows-sshd: powershell.exe run without the bootstrap's flags: ${commandLine}\r\n`, exitCode: 64 };
  }
  const b64 = rest[at + 1] ?? '';
  const bytes = Buffer.from(b64, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || bytes.toString('base64') !== b64 || bytes.length % 2 !== 0) {
    return { kind: 'refused', stderr: BAD_ENCODING, exitCode: 1 };
  }
  return { kind: 'bootstrap', text: bytes.toString('utf16le') };
}
