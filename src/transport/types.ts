// The narrow, byte-level transport contract (like Ansible's ConnectionBase).
// A transport moves bytes and runs commands; it knows nothing of Go, shells' dialects or the engine: how a
// command is wrapped, and how its process is found, interrupted and stopped, comes from the remote-shell
// adapter the transport is handed (platform/remote-shell.ts).

import type { RemoteShell } from '../platform/remote-shell.ts';

export interface ExecOptions {
  /** bytes or text written to the command's stdin, then stdin is closed */
  stdin?: string | Buffer;
  /** kill the command (and report timedOut) after this many ms */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Ask the command to stop: when this fires, the remote shell's `interrupt` is sent once and nothing else
   * (POSIX: one SIGTERM to its process group; no kill, the channel stays open, the result is awaited as
   * usual). The command decides how to stop: a host script past its switch rolls back. Unlike `signal`, the
   * promise still resolves with the command's own result. A remote transport not yet handed a shell (useShell)
   * cannot tell which process to ask, and does nothing.
   */
  interrupt?: AbortSignal;
  /** called with each chunk of stdout as it arrives (for live step markers) */
  onStdout?: (chunk: string) => void;
}

/** One shape for success and failure: a non-zero exit is data, not an exception. */
export interface ExecResult {
  exitCode: number | null;
  /** the signal that ended the command, if any */
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface PutOptions {
  /** file mode for the remote file, default 0o644 */
  mode?: number;
  signal?: AbortSignal;
  /** progress callback: bytes transferred so far, total */
  onProgress?: (transferred: number, total: number) => void;
}

export interface TransportCapabilities {
  /** scripts can be piped over stdin (all current transports) */
  stdinScripts: boolean;
  /** file transfer over the same connection (SFTP) rather than through exec */
  nativeFileTransfer: boolean;
}

export interface TransportStats {
  /** exec calls made after connect */
  execCount: number;
  bytesSent: number;
  bytesReceived: number;
  connectMs: number;
}

/** Limits the host's remote service puts on a session (WinRM: winrm/config), read once at connect. */
export interface HostLimits {
  /** largest request envelope, KB (Send chunks are sized from it); the default when the config could not be read */
  maxEnvelopeSizeKb: number;
  /** memory cap of a shell and everything it runs (a go build killed by it is not a broken toolchain) */
  maxMemoryPerShellMB?: number;
  maxShellsPerUser?: number;
  maxProcessesPerShell?: number;
  /** false: the account may not read winrm/config (not an administrator); the values are defaults */
  configRead: boolean;
}

export interface Transport {
  readonly host: string;
  /** WinRM only: the host's session limits (facts report MaxMemoryPerShellMB) */
  readonly hostLimits?: HostLimits;
  readonly capabilities: TransportCapabilities;
  readonly stats: TransportStats;
  /**
   * Run a command: a command line in the remote shell's language (already quoted by the platform layer),
   * wrapped by the remote shell adapter when one was handed over; scripts go over `stdin` (to `sh -s`, or the
   * PowerShell bootstrap). Rejects only for transport failures (connection lost, aborted); a failing command
   * resolves with its exit code.
   */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /**
   * Hand the transport the remote-shell adapter of the host's dialect, once the shell is known (the engine
   * detects it, engine/detect-host-shell.ts, or takes the inventory's os). Until then commands are sent as
   * they are: no pid line, so a timeout or an abort can only close the channel. The local transport runs
   * the controller's own sh in a process group and ignores it.
   */
  useShell(shell: RemoteShell): void;
  /** the adapter handed over by useShell, if any */
  readonly shell: RemoteShell | undefined;
  /** Copy a local file to the remote path (written to a temp name then renamed by the caller's script). */
  put(localPath: string, remotePath: string, options?: PutOptions): Promise<void>;
  /** Copy a remote file to a local path. */
  get(remotePath: string, localPath: string): Promise<void>;
  close(): Promise<void>;
}
