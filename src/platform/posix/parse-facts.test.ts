// parseFacts and the uname / version-order mappings it relies on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapArch, mapOs, parseFacts } from './parse-facts.ts';
import { compareGoVersions } from '../version-order.ts';

test('mapOs / mapArch: uname names to GOOS / GOARCH', () => {
  assert.equal(mapOs('Linux'), 'linux');
  assert.equal(mapOs('Darwin'), 'darwin');
  assert.equal(mapOs('FreeBSD'), 'unknown');
  const arch: Array<[string, string]> = [
    ['x86_64', 'amd64'],
    ['amd64', 'amd64'],
    ['aarch64', 'arm64'],
    ['arm64', 'arm64'],
    ['armv6l', 'armv6l'],
    ['armv7l', 'armv6l'],
    ['i386', '386'],
    ['i686', '386'],
    ['ppc64le', 'ppc64le'],
    ['riscv64', 'riscv64'],
  ];
  for (const [m, goarch] of arch) assert.equal(mapArch(m), goarch, m);
});

test('compareGoVersions: release order', () => {
  const sorted = ['go1.27.3', 'go1.9', 'go1.27rc2', 'go1.27.0', 'go1.26.8', 'go1.27beta1', 'go1.10.1', 'weird'].sort(compareGoVersions);
  assert.deepEqual(sorted, ['weird', 'go1.9', 'go1.10.1', 'go1.26.8', 'go1.27beta1', 'go1.27rc2', 'go1.27.0', 'go1.27.3']);
});

test('parseFacts: a Linux host with a managed link', () => {
  const stdout = [
    'uname_s=Linux',
    'uname_m=aarch64',
    'uname_r=6.1.0-18-arm64',
    'os_pretty=Debian%20GNU/Linux%2012%20%28bookworm%29',
    'user=deploy',
    'uid=1000',
    'sudo=nopasswd',
    'go_path=/usr/local/go/bin/go',
    'go_version=go1.26.8',
    'go_goroot=/usr/local/gofleet/versions/go1.26.8',
    'go_gopath=/home/deploy/go',
    'go_goversion=go1.26.8',
    'goroot_path=/usr/local/go',
    'goroot_state=link',
    'goroot_target=/usr/local/gofleet/versions/go1.26.8',
    'goroot_version=go1.26.8',
    'goroot_go_version=go1.26.7',
    'managed_versions=go1.26.8,go1.25.1,go1.27rc1',
    'managed_active=go1.26.8',
    'managed_previous=go1.25.1',
    'free_kb=1048576',
    'writable=0',
    'lock=1',
    'lock_pid=4242',
    'lock_run=20261125-091502-3fa2',
    'lock_since=2026-11-25T09:15:02Z',
    'lock_stale=1',
    'cached=go1.26.8.linux-arm64.tar.gz,odd%2Cname.tar.gz',
    '',
  ].join('\n');
  assert.deepEqual(parseFacts(stdout), {
    os: 'linux',
    arch: 'arm64',
    kernel: '6.1.0-18-arm64',
    osVersion: 'Debian GNU/Linux 12 (bookworm)',
    user: 'deploy',
    isRoot: false,
    sudo: 'nopasswd',
    go: { path: '/usr/local/go/bin/go', version: 'go1.26.8', goroot: '/usr/local/gofleet/versions/go1.26.8', gopath: '/home/deploy/go', goversion: 'go1.26.8' },
    goroot: { path: '/usr/local/go', state: 'link', target: '/usr/local/gofleet/versions/go1.26.8', version: 'go1.26.8', goVersion: 'go1.26.7' },
    managed: { active: 'go1.26.8', versions: ['go1.25.1', 'go1.26.8', 'go1.27rc1'], previous: 'go1.25.1' },
    freeBytes: 1073741824,
    writable: false,
    lock: { pid: '4242', run: '20261125-091502-3fa2', since: '2026-11-25T09:15:02Z', stale: true },
    cachedArchives: ['go1.26.8.linux-arm64.tar.gz', 'odd,name.tar.gz'],
  });
});

test('parseFacts: a bare macOS host (no go, nothing managed, root)', () => {
  const f = parseFacts(
    'uname_s=Darwin\nuname_m=arm64\nuname_r=23.5.0\nos_pretty=macOS%2014.5\nuser=root\nuid=0\nsudo=n/a\ngo_path=\n' +
      'goroot_path=/usr/local/go\ngoroot_state=missing\ngoroot_version=\nmanaged_versions=\nmanaged_active=\nmanaged_previous=\nfree_kb=\nwritable=1\ncached=\n',
  );
  assert.equal(f.os, 'darwin');
  assert.equal(f.arch, 'arm64');
  assert.equal(f.osVersion, 'macOS 14.5');
  assert.equal(f.isRoot, true);
  assert.equal(f.sudo, 'n/a');
  assert.equal(f.go, null);
  assert.deepEqual(f.goroot, { path: '/usr/local/go', state: 'missing', target: null, version: null, goVersion: null });
  assert.deepEqual(f.managed, { active: null, versions: [], previous: null });
  assert.equal(f.freeBytes, null);
  assert.equal(f.lock, null);
  assert.deepEqual(f.cachedArchives, []);
});

test('parseFacts: a goroot whose go does not run, and a login go too old for GOVERSION', () => {
  const f = parseFacts(
    'uname_s=Linux\nuid=1000\ngo_path=/usr/bin/go\ngo_version=go1.15.15\ngo_goroot=/usr/lib/go-1.15\ngo_gopath=\ngo_goversion=\n' +
      'goroot_path=/usr/local/go\ngoroot_state=link\ngoroot_target=/v/go1.27.3\ngoroot_version=go1.27.3\ngoroot_go_version=\n',
  );
  assert.equal(f.goroot.version, 'go1.27.3', 'the name says go1.27.3 ...');
  assert.equal(f.goroot.goVersion, null, '... but its go does not answer');
  assert.deepEqual(f.go, { path: '/usr/bin/go', version: 'go1.15.15', goroot: '/usr/lib/go-1.15', gopath: null, goversion: null });
  // output of an older facts script (keys absent): null as well, never undefined
  const old = parseFacts('go_path=/usr/bin/go\ngo_version=go1.26.8\ngoroot_state=missing\n');
  assert.equal(old.goroot.goVersion, null);
  assert.equal(old.go?.goversion, null);
});
