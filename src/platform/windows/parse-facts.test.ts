// parseWindowsFacts on outputs shaped like the facts script's (ps-facts.ts) on real hosts: values
// percent-encoded exactly as gf_enc does (percentEncode is its controller-side twin, see ps-encode.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentEncode } from '../protocol/percent.ts';
import { mapWindowsArch, parseWindowsFacts } from './parse-facts.ts';

type Lines = Array<[string, string | string[]]>;

function output(lines: Lines, eol = '\n'): string {
  return lines.map(([k, v]) => `${k}=${Array.isArray(v) ? v.map(percentEncode).join(',') : percentEncode(v)}${eol}`).join('');
}

const SYSTEM: Lines = [
  ['os_caption', 'Microsoft Windows Server 2022 Datacenter'],
  ['os_version', '10.0.20348'],
  ['os_build', '20348.2340'],
  ['os_display', '21H2'],
  ['arch_native', 'AMD64'],
  ['arch_process', 'AMD64'],
  ['user', 'BUILD01\\gofleet'],
  ['elevated', '1'],
  ['admin_member', '1'],
  ['ps_version', '5.1.20348.2227'],
  ['ps_edition', 'Desktop'],
  ['has_tar', '1'],
];

/** An elevated admin on a host whose goroot is a gofleet junction, with a stale MSI entry and a machine GOROOT. */
const MANAGED_HOST: Lines = [
  ...SYSTEM,
  ['go_path', 'C:\\Program Files\\Go\\bin\\go.exe'],
  ['goroot_machine', 'C:\\Go'],
  ['goroot_user', ''],
  ['gotoolchain_env', ''],
  ['go_version', 'go1.26.8'],
  ['go_goroot', 'C:\\Program Files\\Go'],
  ['go_gopath', 'C:\\Users\\gofleet\\go'],
  ['go_goversion', 'go1.26.8'],
  ['goroot_path', 'C:\\Program Files\\Go'],
  ['goroot_state', 'link'],
  ['goroot_target', 'C:\\ProgramData\\gofleet\\versions\\go1.26.8'],
  ['goroot_link_kind', 'Junction'],
  ['goroot_version', 'go1.26.8'],
  ['goroot_go_version', 'go1.26.8'],
  ['managed_versions', ['go1.9.7', 'go1.26.8', 'go1.25.12']],
  ['managed_active', 'go1.26.8'],
  ['unverified', ''],
  ['failed_versions', []],
  ['managed_previous', 'go1.25.12'],
  ['managed_previous_link', ''],
  ['free_kb', '52428800'],
  ['writable', '1'],
  ['cached', ['go1.26.8.windows-amd64.zip']],
  ['go_installs', [
    'machine_path|%ProgramFiles%\\Go\\bin|go1.26.8|',
    'user_path|%USERPROFILE%\\go\\bin||',
    'msi|C:\\Program Files\\Go\\|1.22.5|{8A7F1B2C-1111-4A2B-9C3D-0123456789AB}',
    'dir|C:\\Program Files\\Go|go1.26.8|',
  ]],
  ['busy', ['4242:C:\\ProgramData\\gofleet\\versions\\go1.26.8\\bin\\go.exe', '5120:C:\\Program Files\\Go\\bin\\gopls.exe']],
];

test('a managed host: shared keys fill the usual fields, Windows keys the windows sub-object', () => {
  const f = parseWindowsFacts(output(MANAGED_HOST));
  assert.equal(f.os, 'windows');
  assert.equal(f.arch, 'amd64');
  assert.equal(f.kernel, '20348.2340');
  assert.equal(f.osVersion, 'Microsoft Windows Server 2022 Datacenter 21H2');
  assert.equal(f.user, 'BUILD01\\gofleet');
  assert.equal(f.isRoot, true);
  assert.equal(f.sudo, 'n/a');
  assert.deepEqual(f.go, { path: 'C:\\Program Files\\Go\\bin\\go.exe', version: 'go1.26.8', goroot: 'C:\\Program Files\\Go', gopath: 'C:\\Users\\gofleet\\go', goversion: 'go1.26.8' });
  assert.deepEqual(f.goroot, { path: 'C:\\Program Files\\Go', state: 'link', target: 'C:\\ProgramData\\gofleet\\versions\\go1.26.8', version: 'go1.26.8', goVersion: 'go1.26.8' });
  assert.deepEqual(f.managed, { active: 'go1.26.8', versions: ['go1.9.7', 'go1.25.12', 'go1.26.8'], previous: 'go1.25.12', previousLink: null });
  assert.equal(f.freeBytes, 52428800 * 1024);
  assert.equal(f.writable, true);
  assert.equal(f.lock, null);
  assert.deepEqual(f.cachedArchives, ['go1.26.8.windows-amd64.zip']);
  assert.deepEqual(f.busy, [
    { pid: '4242', exe: 'C:\\ProgramData\\gofleet\\versions\\go1.26.8\\bin\\go.exe' },
    { pid: '5120', exe: 'C:\\Program Files\\Go\\bin\\gopls.exe' },
  ]);
  assert.deepEqual(f.windows, {
    caption: 'Microsoft Windows Server 2022 Datacenter',
    version: '10.0.20348',
    build: '20348.2340',
    displayVersion: '21H2',
    archNative: 'AMD64',
    archProcess: 'AMD64',
    elevated: true,
    adminMember: true,
    psVersion: '5.1.20348.2227',
    psEdition: 'Desktop',
    gorootLinkKind: 'Junction',
    machineGoroot: 'C:\\Go',
    userGoroot: null,
    goToolchain: null,
    hasTar: true,
    installs: [
      { source: 'machine_path', path: '%ProgramFiles%\\Go\\bin', version: 'go1.26.8', detail: null },
      { source: 'user_path', path: '%USERPROFILE%\\go\\bin', version: null, detail: null },
      { source: 'msi', path: 'C:\\Program Files\\Go\\', version: '1.22.5', detail: '{8A7F1B2C-1111-4A2B-9C3D-0123456789AB}' },
      { source: 'dir', path: 'C:\\Program Files\\Go', version: 'go1.26.8', detail: null },
    ],
  });
});

test('CRLF line endings and stray lines do not matter', () => {
  const crlf = parseWindowsFacts(`gofleet-pid:77\r\n${output(MANAGED_HOST, '\r\n')}WARNING: noise\r\n`);
  assert.deepEqual(crlf, parseWindowsFacts(output(MANAGED_HOST)));
});

test('a UAC-filtered administrator on a fresh Windows 11 ARM64 PC with an MSI install and a lock', () => {
  const f = parseWindowsFacts(
    output([
      ['os_caption', 'Microsoft Windows 11 Pro'],
      ['os_version', '10.0.22631'],
      ['os_build', '22631.3296'],
      ['os_display', '23H2'],
      ['arch_native', 'ARM64'],
      ['arch_process', 'AMD64'],
      ['user', 'DEV-PC\\zoë'],
      ['elevated', '0'],
      ['admin_member', '1'],
      ['ps_version', '5.1.22621.2506'],
      ['ps_edition', 'Desktop'],
      ['has_tar', '1'],
      ['go_path', ''],
      ['goroot_machine', ''],
      ['goroot_user', ''],
      ['gotoolchain_env', 'go1.26.8+auto'],
      ['goroot_path', 'C:\\Program Files\\Go'],
      ['goroot_state', 'dir'],
      ['goroot_version', 'go1.25.3'],
      ['goroot_go_version', 'go1.25.3'],
      ['managed_versions', []],
      ['managed_active', ''],
      ['unverified', ''],
      ['failed_versions', ['go1.27.0']],
      ['managed_previous', ''],
      ['managed_previous_link', ''],
      ['free_kb', ''],
      ['writable', '0'],
      ['lock', '1'],
      ['lock_pid', '9120'],
      ['lock_run', '20261202-101500-ab12'],
      ['lock_since', '2026-12-02T10:15:00Z'],
      ['lock_stale', '1'],
      ['cached', []],
      ['go_installs', ['msi|C:\\Program Files\\Go\\|1.25.3|{22EA7650-4AC6-4001-BF29-F4B8775DB1C0}', 'scoop|C:\\Users\\zoë\\scoop\\shims\\go.exe|go1.24.1|C:\\Users\\zoë\\scoop\\apps\\go\\current']],
      ['busy', []],
    ]),
  );
  assert.equal(f.arch, 'arm64', 'the machine architecture, not the emulated PowerShell one');
  assert.equal(f.isRoot, false);
  assert.equal(f.windows?.elevated, false);
  assert.equal(f.windows?.adminMember, true);
  assert.equal(f.user, 'DEV-PC\\zoë');
  assert.equal(f.go, null);
  assert.equal(f.goroot.state, 'dir');
  assert.equal(f.goroot.target, null);
  assert.equal(f.windows?.gorootLinkKind, null);
  assert.equal(f.freeBytes, null);
  assert.equal(f.writable, false);
  assert.deepEqual(f.lock, { pid: '9120', run: '20261202-101500-ab12', since: '2026-12-02T10:15:00Z', stale: true });
  assert.deepEqual(f.managed.failed, ['go1.27.0']);
  assert.equal(f.windows?.goToolchain, 'go1.26.8+auto');
  assert.deepEqual(f.busy, []);
  assert.deepEqual(f.windows?.installs.map((i) => i.source), ['msi', 'scoop']);
  assert.equal(f.windows?.installs[1]?.detail, 'C:\\Users\\zoë\\scoop\\apps\\go\\current');
});

test('a host that answered little: unknown values stay empty, not guessed', () => {
  const f = parseWindowsFacts(output([['goroot_path', 'C:\\Program Files\\Go'], ['goroot_state', 'missing']]));
  assert.equal(f.os, 'windows');
  assert.equal(f.arch, '');
  assert.equal(f.kernel, '');
  assert.equal(f.isRoot, false);
  assert.equal(f.sudo, 'n/a');
  assert.equal(f.goroot.state, 'missing');
  assert.equal(f.busy, undefined, 'busy not probed');
  assert.equal(f.windows?.adminMember, false);
  assert.deepEqual(f.windows?.installs, []);
  assert.equal(parseWindowsFacts(output([['goroot_state', 'weird']])).goroot.state, 'other');
});

test('PROCESSOR_ARCHITECTURE maps to GOARCH', () => {
  assert.equal(mapWindowsArch('AMD64'), 'amd64');
  assert.equal(mapWindowsArch('ARM64'), 'arm64');
  assert.equal(mapWindowsArch('x86'), '386');
  assert.equal(mapWindowsArch('X64'), 'amd64');
  assert.equal(mapWindowsArch('IA64'), 'ia64');
  const wow = parseWindowsFacts(output([['arch_native', ''], ['arch_process', 'x86']]));
  assert.equal(wow.arch, '386', 'falls back to the process architecture');
});
