// Parses the facts script's `key=value` lines (see sh-facts.ts) into HostFacts. `busy` is set only when the
// host printed the key (a list of `pid:exe`). goroot.goVersion and
// go.goversion are always set (null when the host printed nothing), so "not probed" never shows up.
// uname -s: Linux -> linux, Darwin -> darwin, else unknown. uname -m to GOARCH names:
// x86_64/amd64 -> amd64, aarch64/arm64 -> arm64, armv6l/armv7l/armv8l -> armv6l (the official arm
// archives), i386..i686 -> 386; anything else is passed through lowercased (ppc64le, riscv64, s390x).

import type { HostFacts } from '../types.ts';
import { readFactLines, sharedFacts } from '../protocol/fact-lines.ts';
import { compareGoVersions } from '../version-order.ts';

const ARCH: Record<string, string> = {
  x86_64: 'amd64',
  amd64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  armv6l: 'armv6l',
  armv7l: 'armv6l',
  armv8l: 'armv6l',
  i386: '386',
  i486: '386',
  i586: '386',
  i686: '386',
};

export function mapOs(unameS: string): HostFacts['os'] {
  if (unameS === 'Linux') return 'linux';
  if (unameS === 'Darwin') return 'darwin';
  return 'unknown';
}

export function mapArch(unameM: string): string {
  return ARCH[unameM] ?? unameM.toLowerCase();
}

export function parseFacts(stdout: string): HostFacts {
  const lines = readFactLines(stdout);
  const { raw, get, opt, list } = lines;
  const uid = get('uid');
  const sudo = get('sudo');
  const state = get('goroot_state');
  const goPath = get('go_path');
  return {
    os: mapOs(get('uname_s')),
    arch: mapArch(get('uname_m')),
    kernel: get('uname_r'),
    osVersion: get('os_pretty'),
    user: get('user'),
    isRoot: uid === '0',
    sudo: sudo === 'n/a' || sudo === 'nopasswd' || sudo === 'password-required' ? sudo : 'missing',
    go: goPath
      ? { path: goPath, version: get('go_version'), goroot: get('go_goroot'), gopath: opt('go_gopath'), goversion: opt('go_goversion'),
          ...(raw.has('go_gotoolchain') ? { gotoolchain: opt('go_gotoolchain') } : {}) }
      : null,
    goroot: {
      path: get('goroot_path'),
      state: state === 'link' || state === 'dir' || state === 'missing' ? state : 'other',
      target: state === 'link' ? get('goroot_target') : null,
      version: opt('goroot_version'),
      goVersion: opt('goroot_go_version'),
      // placement (sh-placement.ts): set only when the host printed it, so "not probed" stays undefined
      ...(raw.has('goroot_phys') ? { physical: opt('goroot_phys'), fsType: opt('goroot_fs'), hasGo: get('goroot_go') === '1' } : {}),
    },
    managed: {
      active: opt('managed_active'),
      versions: list('managed_versions').sort(compareGoVersions),
      previous: opt('managed_previous'),
      ...(raw.has('vdir_phys') ? { dirPhysical: opt('vdir_phys'), dirFsType: opt('vdir_fs'), previousLink: opt('managed_previous_link') } : {}),
      // only when the host reports them (hosts in the usual state keep the usual shape)
      ...(opt('unverified') ? { unverified: opt('unverified') } : {}),
      ...(list('failed_versions').length > 0 ? { failed: list('failed_versions').sort(compareGoVersions) } : {}),
    },
    ...sharedFacts(lines),
  };
}
