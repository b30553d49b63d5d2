// Pick the archive for one platform out of a release list. Pure.

import { GofleetError } from '../errors.ts';
import { normalizeArch, normalizeOs } from './file-name.ts';
import type { Release, ReleaseFile } from './types.ts';
import { compareVersions, parseVersion } from './version.ts';

/**
 * The `kind: archive` file of `version` for os/arch (tar.gz, or zip on Windows). os and arch may use
 * uname names (x86_64, aarch64, armv7l, i686, Darwin). VERSION_UNKNOWN when the release is not listed,
 * RELEASE_FILE_MISSING when it has no archive for the platform.
 */
export function findFile(releases: readonly Release[], version: string, os: string, arch: string): ReleaseFile {
  const release = findRelease(releases, version);
  const goos = normalizeOs(os);
  const goarch = normalizeArch(arch);
  const ext = goos === 'windows' ? '.zip' : '.tar.gz';
  const archives = release.files.filter((f) => f.kind === 'archive' || f.kind === 'module-zip');
  const file = archives.find((f) => f.os === goos && f.arch === goarch && f.filename.endsWith(ext));
  if (file) return file;
  const offered = [...new Set(archives.map((f) => `${f.os}/${f.arch}`))].sort();
  throw new GofleetError(
    'RELEASE_FILE_MISSING',
    `${release.version} has no ${ext} archive for ${goos}/${goarch}` +
      (offered.length > 0 ? ` (archives: ${offered.join(', ')})` : ' (the source lists no archives for it)'),
  );
}

/** The official Windows MSI (`kind: installer`) of `version` for arch: `gofleet script --os windows --method msi`. */
export function findMsiFile(releases: readonly Release[], version: string, arch: string): ReleaseFile {
  const release = findRelease(releases, version);
  const goarch = normalizeArch(arch);
  const file = release.files.find((f) => f.kind === 'installer' && f.os === 'windows' && f.arch === goarch && f.filename.endsWith('.msi'));
  if (file) return file;
  throw new GofleetError('RELEASE_FILE_MISSING', `${release.version} has no .msi installer for windows/${goarch} in this source`, {
    hint: 'The MSI method needs a source that lists the installers (go.dev/dl does); or use --method zip.',
  });
}

function findRelease(releases: readonly Release[], version: string): Release {
  const exact = releases.find((r) => r.version === version);
  if (exact) return exact;
  if (parseVersion(version)) {
    const same = releases.find((r) => parseVersion(r.version) && compareVersions(r.version, version) === 0);
    if (same) return same;
  }
  throw new GofleetError('VERSION_UNKNOWN', `${version} is not offered by the source`);
}

/** The file a host gets: under --method msi a Windows host gets the official .msi (kind installer), else the archive. */
export function findFileFor(releases: readonly Release[], version: string, os: string, arch: string, method?: 'zip' | 'msi'): ReleaseFile {
  return method === 'msi' && os === 'windows' ? findMsiFile(releases, version, arch) : findFile(releases, version, os, arch);
}
