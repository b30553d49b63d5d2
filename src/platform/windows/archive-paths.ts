// Where archives live on a Windows host.
// uploadPath: where the controller uploads an archive before the upgrade script runs: directly in
// <versionsDir>\.gofleet\cache would need the directory to exist first, and the engine creates none; the
// Windows temp directory (C:\Windows\Temp) is not writable by a non-elevated user. So uploads go to
// C:\ProgramData (exists on every Windows, writable by every user for new files) as
// gofleet-<run>-<filename>; the stage step checks its SHA-256, copies it into the cache and deletes it, and
// every other way out of the upgrade script deletes it too (gf_switch_flow / gf_msi_flow).
// The SFTP form of these paths (/C:/ProgramData/...) is the transport's business (sftp-path.ts, engineer ps-core).
// cachedArchivePath: <versionsDir>\.gofleet\cache\<filename>, kept so that re-runs skip the upload (and the
// MSI method's rollback finds the previous MSI).

import type { HostPaths } from '../types.ts';
import { checkFilename, checkRunId, checkWindowsPaths } from './validate.ts';

/** Where uploads go on a Windows host. */
export const UPLOAD_DIR = 'C:\\ProgramData';

export function uploadPath(_paths: HostPaths, filename: string, options: { become: boolean; run: string }): string {
  return `${UPLOAD_DIR}\\gofleet-${checkRunId(options.run)}-${checkFilename(filename)}`;
}

export function cachedArchivePath(paths: HostPaths, filename: string): string {
  return `${checkWindowsPaths(paths).versionsDir}\\.gofleet\\cache\\${checkFilename(filename)}`;
}
