// What a dialect's standalone-script builder is asked for (`gofleet script`): one self-contained file that a
// machine runs on its own (GPO, SCCM, Intune, a scheduled task, a person), with the release baked in.
// Dialect-neutral: posix/standalone-script.ts builds sh; the PowerShell builder (platform/windows) implements
// the same StandaloneBuilder. Pure: an intent in, the script text out.

import { GofleetError } from '../errors.ts';
import type { HostPaths, VerifyPolicy } from './types.ts';

/** The release file the script installs, resolved by the controller (releases/) when the script is written. */
export interface StandaloneArchive {
  /** official file name, e.g. go1.27.3.linux-amd64.tar.gz */
  filename: string;
  /** the expected SHA-256 (hex): checked on the machine before anything changes */
  sha256: string;
  size: number;
  /** where the machine downloads it; null: the file must lie beside the script (or be given at run time) */
  url: string | null;
}

/** Install side by side, switch, verify, roll back on failure: the upgrade, for one machine. */
export interface StandaloneUpgradeIntent {
  paths: HostPaths;
  /** go1.27.3 */
  target: string;
  archive: StandaloneArchive;
  verify: VerifyPolicy;
  /** names the script in the machine's lock and state file (e.g. script-20261202-163000) */
  run: string;
  /** Windows only: `msi` installs the official MSI instead of the zip side by side */
  method: 'zip' | 'msi';
}

/** Detection (Intune / SCCM): one line on stdout and exit 0 when the target is the active, working toolchain. */
export interface StandaloneDetectIntent {
  paths: HostPaths;
  target: string;
}

export interface StandaloneBuilder {
  upgrade(intent: StandaloneUpgradeIntent): string;
  detect(intent: StandaloneDetectIntent): string;
  /** the file name extension the script wants (`.sh`, `.ps1`) */
  extension: string;
  /** the file mode `-o` writes (0o755 for sh: run as ./file) */
  fileMode: number;
  /**
   * `-o` writes a UTF-8 byte order mark first: Windows PowerShell 5.1 reads a .ps1 without one in the ANSI code
   * page, which would garble a non-ASCII path baked into the script.
   */
  byteOrderMark?: boolean;
}

/** The exit codes of the standalone upgrade script (its header lists them; gf_sa_exit decides them). */
export const STANDALONE_EXIT_CODES: ReadonlyArray<readonly [number, string]> = [
  [0, 'the target is the active, verified toolchain (installed now, or it already was)'],
  [1, 'the script could not run its steps (no temporary directory, no outcome: see the log)'],
  [2, 'failed before the switch, goroot untouched (download, SHA-256 mismatch, disk, lock, privileges, extraction)'],
  [3, 'the target failed verification after the switch and was rolled back: the previous toolchain is active again'],
  [4, 'the rollback failed: inspect goroot now'],
  [5, 'bad arguments'],
  [99, 'interrupted (INT/TERM): stopped before the switch, or rolled back after it'],
];

/** A URL goes into the script quoted and into its header comment: http(s), printable, no blanks. */
export function checkUrl(url: string): string {
  if (!/^https?:\/\/[\x21-\x7e]+$/.test(url)) {
    throw new GofleetError('BAD_OPTION', `not a plain http(s) URL for the script: ${JSON.stringify(url)}`);
  }
  return url;
}
