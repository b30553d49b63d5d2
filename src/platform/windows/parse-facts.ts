// Parses the Windows facts script's `key=value` lines (see ps-facts.ts) into HostFacts. The keys shared with
// POSIX fill the same fields; the rest go to `windows`. On Windows there is no sudo ('n/a'): `isRoot` means an
// elevated administrator token, and `windows.adminMember` tells a UAC-filtered administrator from a plain user.
// PROCESSOR_ARCHITECTURE to GOARCH: AMD64 -> amd64, ARM64 -> arm64, x86 -> 386 (the machine's own architecture
// first: a 32-bit or emulated PowerShell reports its own); anything else is passed through lowercased.

import { readFactLines, sharedFacts } from '../protocol/fact-lines.ts';
import { compareGoVersions } from '../version-order.ts';
import type { HostFacts, WindowsGoInstall } from '../types.ts';

const ARCH: Record<string, string> = { amd64: 'amd64', x64: 'amd64', arm64: 'arm64', x86: '386' };

/** PROCESSOR_ARCHITECTURE (or RuntimeInformation's X64/Arm64/X86) as a GOARCH name. */
export function mapWindowsArch(raw: string): string {
  const key = raw.trim().toLowerCase();
  return ARCH[key] ?? key;
}

/** `source|path|version|detail` (| cannot occur in a Windows path) */
function installItem(item: string): WindowsGoInstall {
  const [source = '', path = '', version = '', detail = ''] = item.split('|');
  return { source, path, version: version || null, detail: detail || null };
}

export function parseWindowsFacts(stdout: string): HostFacts {
  const lines = readFactLines(stdout);
  const { get, opt, list } = lines;
  const state = get('goroot_state');
  const goPath = get('go_path');
  const elevated = get('elevated') === '1';
  const caption = get('os_caption');
  const display = opt('os_display');
  return {
    os: 'windows',
    arch: mapWindowsArch(get('arch_native') || get('arch_process')),
    kernel: get('os_build') || get('os_version'),
    osVersion: display ? `${caption} ${display}` : caption,
    user: get('user'),
    isRoot: elevated,
    sudo: 'n/a',
    go: goPath
      ? { path: goPath, version: get('go_version'), goroot: get('go_goroot'), gopath: opt('go_gopath'), goversion: opt('go_goversion') }
      : null,
    goroot: {
      path: get('goroot_path'),
      state: state === 'link' || state === 'dir' || state === 'missing' ? state : 'other',
      target: state === 'link' ? get('goroot_target') : null,
      version: opt('goroot_version'),
      goVersion: opt('goroot_go_version'),
    },
    managed: {
      active: opt('managed_active'),
      versions: list('managed_versions').sort(compareGoVersions),
      previous: opt('managed_previous'),
      previousLink: opt('managed_previous_link'),
      ...(opt('unverified') ? { unverified: opt('unverified') } : {}),
      ...(list('failed_versions').length > 0 ? { failed: list('failed_versions').sort(compareGoVersions) } : {}),
    },
    ...sharedFacts(lines),
    windows: {
      caption,
      version: get('os_version'),
      build: get('os_build'),
      displayVersion: display,
      archNative: get('arch_native'),
      archProcess: get('arch_process'),
      elevated,
      adminMember: get('admin_member') === '1' || elevated,
      psVersion: get('ps_version'),
      psEdition: get('ps_edition'),
      gorootLinkKind: state === 'link' ? opt('goroot_link_kind') : null,
      machineGoroot: opt('goroot_machine'),
      userGoroot: opt('goroot_user'),
      goToolchain: opt('gotoolchain_env'),
      hasTar: get('has_tar') === '1',
      installs: list('go_installs').map(installItem),
    },
  };
}
