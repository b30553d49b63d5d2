// Parses the Windows facts script's `key=value` lines (see ps-facts.ts) into HostFacts. The keys shared with
// POSIX fill the same fields; the rest go to `windows`. On Windows there is no sudo ('n/a'): `isRoot` means an
// elevated administrator token, and `windows.adminMember` tells a UAC-filtered administrator from a plain user.
// PROCESSOR_ARCHITECTURE to GOARCH: AMD64 -> amd64, ARM64 -> arm64, x86 -> 386 (the machine's own architecture
// first: a 32-bit or emulated PowerShell reports its own); anything else is passed through lowercased.

import { percentDecode } from '../protocol/percent.ts';
import { compareGoVersions } from '../version-order.ts';
import type { HostFacts, WindowsGoInstall } from '../types.ts';

const ARCH: Record<string, string> = { amd64: 'amd64', x64: 'amd64', arm64: 'arm64', x86: '386' };

/** PROCESSOR_ARCHITECTURE (or RuntimeInformation's X64/Arm64/X86) as a GOARCH name. */
export function mapWindowsArch(raw: string): string {
  const key = raw.trim().toLowerCase();
  return ARCH[key] ?? key;
}

function readLines(stdout: string): Map<string, string> {
  const raw = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^([a-z_]+)=(\S*)\r?$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) raw.set(m[1], m[2]);
  }
  return raw;
}

/** `pid:exe` (the exe holds a drive colon) */
function busyItem(item: string): { pid: string; exe: string } {
  const i = item.indexOf(':');
  return i < 0 ? { pid: item, exe: '' } : { pid: item.slice(0, i), exe: item.slice(i + 1) };
}

/** `source|path|version|detail` (| cannot occur in a Windows path) */
function installItem(item: string): WindowsGoInstall {
  const [source = '', path = '', version = '', detail = ''] = item.split('|');
  return { source, path, version: version || null, detail: detail || null };
}

export function parseWindowsFacts(stdout: string): HostFacts {
  const raw = readLines(stdout);
  const get = (key: string): string => percentDecode(raw.get(key) ?? '');
  const opt = (key: string): string | null => get(key) || null;
  const list = (key: string): string[] => (raw.get(key) ?? '').split(',').filter((s) => s !== '').map(percentDecode);
  const state = get('goroot_state');
  const goPath = get('go_path');
  const freeKb = get('free_kb');
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
    freeBytes: /^\d+$/.test(freeKb) ? Number(freeKb) * 1024 : null,
    writable: get('writable') === '1',
    lock:
      get('lock') === '1'
        ? { pid: get('lock_pid'), run: get('lock_run'), since: get('lock_since'), stale: get('lock_stale') === '1' }
        : null,
    cachedArchives: list('cached'),
    ...(raw.has('busy') ? { busy: list('busy').map(busyItem) } : {}),
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
