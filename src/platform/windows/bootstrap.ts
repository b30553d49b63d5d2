// The command line the SSH transport runs on a Windows host. The real script never travels on the command line:
// it goes over stdin, and the command line holds only a short bootstrap passed with -EncodedCommand (base64 of
// UTF-16LE text). Base64 holds only [A-Za-z0-9+/=], so the line means the same to cmd.exe and to PowerShell,
// whichever the account's OpenSSH DefaultShell is, and it stays far below cmd.exe's 8191-character limit.
//
// The bootstrap: UTF-8 console encodings (best effort: without a console, setting them throws), progress records
// silenced (they would arrive as CLIXML on stderr), `gofleet-pid:<PID>` as the first stderr line (the transport
// stops the command with it), ALL of stdin read as UTF-8, parsed as one script block (a parse error is reported
// and exits 2, nothing of the script has run), run, and the exit code kept: an `exit N` in the script ends the
// process with N; otherwise the process exits with $LASTEXITCODE (the last native command's code, 0 if none); an
// uncaught terminating error is written to stderr as plain text and exits 1.
//
// Caveat (PowerShell/PowerShell#13501): when the DefaultShell is powershell.exe, sshd runs the line through
// `powershell -c`, which maps the inner process's code to 0 or 1. bootstrapCommandLine({ defaultShell:
// 'powershell' }) appends `; exit $LASTEXITCODE` to keep it, which only PowerShell may be given.

import { GofleetError } from '../../errors.ts';

/** cmd.exe refuses longer command lines (learn.microsoft.com, "Command prompt line string limitation"). */
export const CMD_LINE_LIMIT = 8191;

/** The first stderr line of every bootstrapped command: `gofleet-pid:<PID>`. */
export const PID_LINE_PREFIX = 'gofleet-pid:';

/** Exit code of the bootstrap when the script sent on stdin does not parse (nothing of it ran). */
export const PARSE_ERROR_EXIT = 2;

/** The bootstrap text (Windows PowerShell 5.1); the fake host decodes it from the command line. */
export const BOOTSTRAP_SCRIPT = `$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$gfUtf8 = New-Object System.Text.UTF8Encoding -ArgumentList $false
try { [Console]::OutputEncoding = $gfUtf8 } catch { $null = $_ }
try { [Console]::InputEncoding = $gfUtf8 } catch { $null = $_ }
$OutputEncoding = $gfUtf8
[Console]::Error.WriteLine('${PID_LINE_PREFIX}' + $PID)
[Console]::Error.Flush()
$gfReader = New-Object System.IO.StreamReader -ArgumentList ([Console]::OpenStandardInput()), $gfUtf8
$gfText = $gfReader.ReadToEnd()
try {
  $gfBlock = [ScriptBlock]::Create($gfText)
} catch {
  [Console]::Error.WriteLine('gofleet: the script does not parse: ' + $_.Exception.Message)
  exit ${PARSE_ERROR_EXIT}
}
$global:LASTEXITCODE = 0
try {
  & $gfBlock
} catch {
  [Console]::Error.WriteLine('gofleet: ' + ($_ | Out-String))
  exit 1
}
exit $LASTEXITCODE
`;

/** The -EncodedCommand payload for `script`: base64 of its UTF-16LE bytes. */
export function encodeCommand(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

const POWERSHELL_ARGS = 'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand';

export interface BootstrapOptions {
  /**
   * the account's OpenSSH DefaultShell when the probe knows it; 'powershell' appends `; exit $LASTEXITCODE` so
   * `powershell -c` keeps the exit code. Default 'any': a line valid under cmd.exe and PowerShell alike.
   */
  defaultShell?: 'any' | 'cmd' | 'powershell';
}

/** The exec request string that runs a script sent over stdin on a Windows OpenSSH host. */
export function bootstrapCommandLine(options: BootstrapOptions = {}): string {
  const line = `${POWERSHELL_ARGS} ${encodeCommand(BOOTSTRAP_SCRIPT)}`;
  const full = options.defaultShell === 'powershell' ? `${line}; exit $LASTEXITCODE` : line;
  if (full.length > CMD_LINE_LIMIT) {
    throw new GofleetError('INTERNAL', `the PowerShell bootstrap command line is ${full.length} characters, over cmd.exe's ${CMD_LINE_LIMIT}`);
  }
  return full;
}

/**
 * The text of the -EncodedCommand (or -enc / -e / -ec) argument of a powershell command line, decoded from
 * base64 UTF-16LE; null when the line has none or the payload is not valid base64 of UTF-16LE text.
 */
export function decodeEncodedCommand(commandLine: string): string | null {
  const m = /(?:^|\s)-(?:EncodedCommand|enc|ec|e)\s+([A-Za-z0-9+/=]+)(?=\s|;|$)/i.exec(commandLine);
  const b64 = m?.[1];
  if (b64 === undefined || b64.length % 4 !== 0) return null;
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length % 2 !== 0 || bytes.toString('base64') !== b64) return null;
  return bytes.toString('utf16le');
}
