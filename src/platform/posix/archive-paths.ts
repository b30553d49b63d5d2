// Where archives live on a POSIX host.
// uploadPath: where the controller uploads an archive before the upgrade script runs. The engine
// creates no directories and the upload happens before any script, so the path is directly under
// /tmp (exists on Linux and macOS, whoever connects, with or without become). The stage step checks
// its SHA-256, copies it into the cache (a copy owned by the script's user, checked again) and
// deletes the upload; every other way out of the upgrade script (unchanged, locked, refused, failed)
// deletes it too (gf_switch_flow).
// cachedArchivePath: <versionsDir>/.gofleet/cache/<filename>, kept so that re-runs skip the upload.

import type { HostPaths } from '../types.ts';
import { checkFilename, checkPaths, checkRunId } from './validate.ts';

/** Where uploads go: exists on Linux and macOS, writable by whoever connects. */
export const UPLOAD_DIR = '/tmp';

export function uploadPath(_paths: HostPaths, filename: string, options: { become: boolean; run: string }): string {
  return `${UPLOAD_DIR}/gofleet-${checkRunId(options.run)}-${checkFilename(filename)}`;
}

export function cachedArchivePath(paths: HostPaths, filename: string): string {
  return `${checkPaths(paths).versionsDir}/.gofleet/cache/${checkFilename(filename)}`;
}
