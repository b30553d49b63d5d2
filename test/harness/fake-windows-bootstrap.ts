// The PowerShell command line as the fake Windows OpenSSH host checks it:
//   powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand <base64(UTF-16LE(text))>
// (the flags in any order, names case-insensitive, as powershell.exe takes them). Two kinds of text:
// - a bootstrap that reads its script from stdin (src/platform/windows/bootstrap.ts; or Ansible's
//   `$input | Out-String` form): `readsScriptFromStdin`;
// - inline PowerShell (a remote-shell adapter's wrap of a short command): the text is the script, stdin is data.
// The production builders live in src/platform/windows; this file parses strictly what a host would get.
import { encodeCommand } from '../../src/platform/windows/bootstrap.ts';

export const BOOTSTRAP_FLAGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass'] as const;
const EXE = /^(?:powershell(?:\.exe)?|[A-Za-z]:\\Windows\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe)$/i;

/** A powershell.exe command line running `text` (tests of production code use the platform builders). */
export function powershellCommandLine(text: string): string {
  return `powershell.exe ${BOOTSTRAP_FLAGS.join(' ')} -EncodedCommand ${encodeCommand(text)}`;
}

/** Whether the -EncodedCommand text runs a script it reads from stdin (else the text is the script). */
export function readsScriptFromStdin(text: string): boolean {
  return (/\.ReadToEnd\(\)/.test(text) && /\[ScriptBlock\]::Create\(/i.test(text)) || /\$input \| Out-String/i.test(text);
}

/** The line an inline text starts with to report its pid (windows/remote-shell.ts wrap). */
export const INLINE_PID_LINE = /^\[Console\]::Error\.WriteLine\('gofleet-pid:' \+ \$PID\)$/m;

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
