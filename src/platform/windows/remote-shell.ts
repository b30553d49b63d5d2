// The Windows remote-shell adapter (see ../remote-shell.ts) for Windows OpenSSH, whose DefaultShell may be
// cmd.exe (the default) or PowerShell: every command line sent is `powershell.exe ... -EncodedCommand <b64>`,
// which both parse alike (base64 holds no cmd or PowerShell metacharacter).
// - wrap: PowerShell text is encoded (UTF-16LE, base64) behind a first line that writes `gofleet-pid:$PID` on
//   stderr. A command line that is already such a bootstrap (the Windows dialect's scriptCommand, built by
//   windows/bootstrap.ts, which reads the script from stdin and prints the pid line itself) is sent unchanged.
//   When the DefaultShell is PowerShell (detect-shell.ts found it), sshd runs the line through `powershell -c`,
//   which maps the inner exit code to 0 or 1 (PowerShell/PowerShell#13501): `; exit $LASTEXITCODE` is appended,
//   as bootstrap.ts does for that shell; under cmd.exe, or when the shell is not known, the line stays bare.
//   That holds for a bootstrap line too: the dialect's scriptCommand does not know the DefaultShell, so under
//   PowerShell the adapter appends the `; exit $LASTEXITCODE` a bare bootstrap line lacks.
// - sftpPath: `C:\ProgramData\x` -> `/C:/ProgramData/x` (sftp-path.ts), the form Windows OpenSSH's SFTP
//   server takes; the dialect writes every path the Windows way and the transport asks the adapter.
// - terminate: `taskkill /T /F /PID n` — the process and its whole tree, forced; valid in cmd and PowerShell.
// - interrupt: Windows has no SIGTERM to send to a console process of another session, and a named event
//   depends on the session namespace sshd's children share. So the interrupt is a marker FILE,
//   `%TEMP%\gofleet-interrupt-<pid>` (both channels run as the same account, so %TEMP% is the same), that the
//   host script polls at the points where the POSIX script checks GF_SIGNAL (INTERRUPT_MARKER_PS is the path as
//   a PowerShell expression, for the script builders). The script removes a marker for its own $PID when it
//   starts (a reused pid) and when it ends.

import { PID_MARK, pidArg, type RemoteShell } from '../remote-shell.ts';
import { receiveFileScript, sendFileScript } from './ps-file-transfer.ts';
import { sftpToWindowsPath, windowsToSftpPath } from './sftp-path.ts';

/** Exactly what the fake Windows host (test/harness/fake-windows-sshd.ts) and windows/bootstrap.ts expect. */
export const POWERSHELL_PREFIX = 'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ';

const BOOTSTRAP_LINE = /^powershell(?:\.exe)? -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand [A-Za-z0-9+/]+={0,2}(?:; exit \$LASTEXITCODE)?$/i;
const KEEP_EXIT_CODE = '; exit $LASTEXITCODE';

/** The account's OpenSSH DefaultShell, when known (detect-shell.ts); 'any': a line valid in both. */
export type WindowsLoginShell = 'cmd' | 'powershell' | 'any';

/** The interrupt marker of the running script, as a PowerShell expression ($PID is the bootstrap's process). */
export const INTERRUPT_MARKER_PS = "(Join-Path $env:TEMP ('gofleet-interrupt-' + $PID))";

/** `powershell.exe ... -EncodedCommand <base64 of UTF-16LE>` running `script`. */
export function encodedCommand(script: string): string {
  return POWERSHELL_PREFIX + Buffer.from(script, 'utf16le').toString('base64');
}

const PID_FIRST = [
  `[Console]::Error.WriteLine('${PID_MARK}' + $PID)`,
  "$ProgressPreference = 'SilentlyContinue'",
  '[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false',
].join('\n');

/** The adapter for a Windows host whose DefaultShell is `login`. */
export function windowsRemoteShellFor(login: WindowsLoginShell): RemoteShell {
  const tail = login === 'powershell' ? KEEP_EXIT_CODE : '';
  return {
    kind: 'powershell',
    wrap: (command) => {
      if (!BOOTSTRAP_LINE.test(command)) return encodedCommand(`${PID_FIRST}\n${command}`) + tail;
      return command.endsWith(KEEP_EXIT_CODE) ? command : command + tail;
    },
    terminate: (pid) => `taskkill /T /F /PID ${pidArg(pid)}`,
    interrupt: (pid) =>
      encodedCommand(`New-Item -ItemType File -Force -Path (Join-Path $env:TEMP 'gofleet-interrupt-${pidArg(pid)}') | Out-Null`),
    pathSeparators: '\\/',
    // a path already in the SFTP form (/C:/x) is normalised and kept in it
    sftpPath: (path) => windowsToSftpPath(/^\/[A-Za-z]:(\/|$)/.test(path) ? sftpToWindowsPath(path) : path),
    // WinRM has no SFTP: files go through the shell (ps-file-transfer.ts)
    receiveFile: receiveFileScript,
    sendFile: sendFileScript,
  };
}

export const windowsRemoteShell: RemoteShell = windowsRemoteShellFor('any');
