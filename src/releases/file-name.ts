// Official Go download file names (cmd/distpack, go.dev/dl) and platform name mapping. Pure.
//   archive:   go<V>.<goos>-<arch>.tar.gz   (go<V>.windows-<arch>.zip on Windows)
//   installer: go<V>.windows-<arch>.msi, go<V>.darwin-<arch>.pkg
//   source:    go<V>.src.tar.gz

import type { FileKind } from './types.ts';
import { parseVersion } from './version.ts';

export interface ParsedFileName {
  version: string;
  os: string;
  arch: string;
  kind: FileKind;
}

const FILE_RE = /^(go[0-9][0-9a-z.]*?)\.(?:(src)\.tar\.gz|([a-z0-9]+)-([a-z0-9]+)\.(tar\.gz|zip|msi|pkg))$/;

/** Parse an official file name; null for anything else (legacy osx10.8 names, bootstrap tarballs, .sha256, ...). */
export function parseFileName(filename: string): ParsedFileName | null {
  const m = FILE_RE.exec(filename);
  if (!m) return null;
  const [, version = '', src, os = '', arch = '', ext] = m;
  if (!parseVersion(version)) return null;
  if (src) return { version, os: '', arch: '', kind: 'source' };
  const kind: FileKind = ext === 'msi' || ext === 'pkg' ? 'installer' : 'archive';
  return { version, os, arch, kind };
}

/** The official archive file name for a version and platform. */
export function archiveFileName(version: string, os: string, arch: string): string {
  const o = normalizeOs(os);
  return `${version}.${o}-${normalizeArch(arch)}${o === 'windows' ? '.zip' : '.tar.gz'}`;
}

/** uname/PowerShell names -> GOOS. */
export function normalizeOs(os: string): string {
  const o = os.trim().toLowerCase();
  if (o === 'macos' || o === 'osx' || o === 'mac') return 'darwin';
  if (o === 'windows_nt' || o === 'win32' || /^(mingw|msys|cygwin)/.test(o)) return 'windows';
  return o;
}

const ARCH_ALIASES: Record<string, string> = {
  x86_64: 'amd64',
  x64: 'amd64',
  aarch64: 'arm64',
  armv8l: 'armv6l',
  armv7l: 'armv6l',
  armv7: 'armv6l',
  armv6: 'armv6l',
  armhf: 'armv6l',
  arm: 'armv6l',
  i386: '386',
  i486: '386',
  i586: '386',
  i686: '386',
  x86: '386',
};

/** uname -m / PROCESSOR_ARCHITECTURE names -> go.dev arch names (32-bit ARM is armv6l). */
export function normalizeArch(arch: string): string {
  const a = arch.trim().toLowerCase();
  return ARCH_ALIASES[a] ?? a;
}
