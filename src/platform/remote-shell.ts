// What a transport needs to know about the shell at the far end, and nothing more (like Ansible, where a
// connection plugin is handed a shell plugin). Each dialect supplies one: posix/remote-shell.ts (sh: `$$`, a
// process group, kill) and windows/remote-shell.ts (PowerShell: its own $PID, taskkill, an interrupt marker).
// The transport moves bytes; it never writes shell syntax itself.
//
// The contract every adapter keeps:
// - `wrap(command)` is the command line actually sent. Before anything else it prints one line
//   `gofleet-pid:<n>\n` on stderr, where <n> is the process that `terminate(n)` / `interrupt(n)` act on;
//   the transport takes that line out of stderr (PID_MARK) before anyone sees it.
// - `terminate(n)` and `interrupt(n)` are command lines the transport runs on a second channel of the same
//   connection, as they are (not wrapped): they must run in whatever shell the account logs in with.
// - `pathSeparators`: what separates path components in the remote paths the transport is given (for the
//   temp name it writes a file under before renaming it into place, in the same directory).
// - `sftpPath(path)`: the name the host's SFTP server knows a remote path by (the same path on POSIX;
//   `C:\x` is `/C:/x` on Windows OpenSSH). The transport's put and get go through it.
// - `receiveFile` / `sendFile` (optional; the Windows adapter has them, for WinRM, which has no SFTP): the text a
//   transport without native file transfer runs, through `wrap`, to copy a file through the shell itself. The
//   file travels as base64 lines (FILE_TRANSFER below); the host checks size and SHA-256 of what it received, and
//   reports them for what it sent.

/** The prefix of the line a wrapped command prints first on stderr: `gofleet-pid:<n>`. */
export const PID_MARK = 'gofleet-pid:';

/**
 * Copying a file through the shell (no SFTP):
 * - receiveFile: stdin is the file as base64 lines, each whole (a line decodes on its own). The command writes
 *   them, as they come, into `temp` (one open file), then checks the byte count and SHA-256 against `size` and
 *   `sha256`: equal, `temp` is renamed over `path` and the command prints FILE_MARK + 'ok' and exits 0; else
 *   `temp` is removed, a message goes to stderr and the exit code is FILE_MISMATCH_EXIT.
 * - sendFile: stdout is the file as base64 lines, then the line FILE_MARK + `<size>:<sha256 hex>` last.
 */
export const FILE_MARK = 'gofleet-file:';
export const FILE_MISMATCH_EXIT = 3;

export interface ReceiveFileRequest {
  /** where the bytes are written first (RemoteShell.pathSeparators apply), then renamed over `path` */
  temp: string;
  path: string;
  size: number;
  /** lower-case hex */
  sha256: string;
}

export type RemoteShellKind = 'posix' | 'powershell';

export interface RemoteShell {
  readonly kind: RemoteShellKind;
  /** the command line as sent: prints `gofleet-pid:<n>` on stderr first, then runs `command` */
  wrap(command: string): string;
  /** stop the command led by `pid` and everything it started, for good (a timeout, an abort) */
  terminate(pid: number): string;
  /**
   * ask the command led by `pid` to stop at its next safe point (ExecOptions.interrupt): never a kill; the
   * command decides how to stop (a host script past its switch rolls back)
   */
  interrupt(pid: number): string;
  /** characters that separate path components in remote paths ('/' on POSIX; '\\' and '/' on Windows) */
  readonly pathSeparators: string;
  /** `path` (as the dialect writes it) in the form the host's SFTP server expects */
  sftpPath(path: string): string;
  /** the command text (sent through `wrap`) that writes the file it reads on stdin: see FILE_MARK */
  receiveFile?(request: ReceiveFileRequest): string;
  /** the command text (sent through `wrap`) that prints `path` on stdout: see FILE_MARK */
  sendFile?(path: string): string;
}

/** A pid as it goes into a terminate/interrupt command: a positive integer, or refused. */
export function pidArg(pid: number): string {
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new RangeError(`not a process id: ${pid}`);
  return String(pid);
}
