import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planMsiSwitch } from './plan-msi-switch.ts';
import type { HostFacts, WindowsGoInstall } from '../platform/types.ts';

const GOROOT = 'C:\\Program Files\\Go';
const NEW_MSI = 'go1.27.3.windows-amd64.msi';
const OLD_MSI = 'go1.26.8.windows-amd64.msi';

/** A Windows host after `upgrade --method msi` to go1.27.3 (previous go1.26.8 recorded), or as `o` changes it. */
function win(o: { state?: HostFacts['goroot']['state']; msiAt?: string | null; cached?: string[]; previous?: string | null; version?: string | null; versions?: string[] } = {}): HostFacts {
  const state = o.state ?? 'dir';
  const msiAt = o.msiAt === undefined ? `${GOROOT}\\` : o.msiAt;
  const installs: WindowsGoInstall[] = msiAt ? [{ source: 'msi', path: msiAt, version: '1.27.3', detail: '{22EA7650}' }] : [];
  const version = o.version === undefined ? 'go1.27.3' : o.version;
  return {
    os: 'windows', arch: 'amd64', kernel: '20348', osVersion: 'Windows Server 2022', user: 'WIN\\admin', isRoot: true, sudo: 'n/a', go: null,
    goroot: { path: GOROOT, state, target: state === 'link' ? 'C:\\ProgramData\\gofleet\\versions\\go1.27.3' : null, version, goVersion: version },
    managed: { active: state === 'link' ? 'go1.27.3' : null, versions: o.versions ?? [], previous: o.previous === undefined ? 'go1.26.8' : o.previous },
    freeBytes: 10 * 1024 ** 3, writable: true, lock: null, cachedArchives: o.cached ?? [OLD_MSI, NEW_MSI],
    windows: {
      caption: 'Windows Server 2022', version: '10.0.20348', build: '20348', displayVersion: null, archNative: 'AMD64', archProcess: 'AMD64',
      elevated: true, adminMember: true, psVersion: '5.1', psEdition: 'Desktop', gorootLinkKind: null, machineGoroot: null, userGoroot: null,
      goToolchain: null, hasTar: true, installs,
    },
  };
}

const decide = (f: HostFacts, version: string | null = null) => planMsiSwitch({ facts: f, version, host: 'h' });
const code = (d: ReturnType<typeof decide>): string | null => (d.kind === 'refuse' ? d.error.code : null);

test('rollback on an MSI goroot: the previous version\'s MSI reinstalled from the cache, the current one kept to roll forward', () => {
  assert.deepEqual(decide(win()), { kind: 'msi', target: 'go1.26.8', msi: OLD_MSI, rollForward: NEW_MSI });
});

test('use VERSION on an MSI goroot: that version\'s cached MSI; already there: unchanged', () => {
  assert.deepEqual(decide(win({ previous: null }), 'go1.26.8'), { kind: 'msi', target: 'go1.26.8', msi: OLD_MSI, rollForward: NEW_MSI });
  assert.deepEqual(decide(win(), 'go1.27.3'), { kind: 'unchanged', target: 'go1.27.3' });
});

test('the target\'s .msi not cached: MSI_NOT_CACHED, even when the version is side by side under versions_dir (no junction over an MSI goroot)', () => {
  const d = decide(win({ cached: [NEW_MSI], versions: ['go1.26.8'] }));
  assert.equal(code(d), 'MSI_NOT_CACHED');
  assert.match(d.kind === 'refuse' ? d.error.message : '', /go1\.26\.8\.windows-amd64\.msi is not in the host's MSI cache \(C:\\Program Files\\Go is an MSI install\)/);
});

test('the current version\'s .msi not cached (or its version unreadable): MSI_NO_ROLLBACK', () => {
  assert.equal(code(decide(win({ cached: [OLD_MSI] }))), 'MSI_NO_ROLLBACK');
  assert.equal(code(decide(win({ version: null }))), 'MSI_NO_ROLLBACK');
});

test('rollback with no earlier switch recorded on an MSI goroot: NO_PREVIOUS_VERSION', () => {
  assert.equal(code(decide(win({ previous: null }))), 'NO_PREVIOUS_VERSION');
});

test('not an MSI install at goroot: the usual switch (a junction, a manual directory, goroot missing, a POSIX host)', () => {
  assert.deepEqual(decide(win({ state: 'link' })), { kind: 'none' });
  assert.deepEqual(decide(win({ msiAt: 'D:\\Go\\' })), { kind: 'none' });
  assert.deepEqual(decide(win({ msiAt: null })), { kind: 'none' });
  assert.deepEqual(decide(win({ state: 'missing', version: null })), { kind: 'none' });
  assert.deepEqual(decide({ ...win(), os: 'linux', windows: undefined }), { kind: 'none' });
});

test('the MSI entry\'s location is compared without case or trailing backslash', () => {
  assert.equal(decide(win({ msiAt: 'c:\\program files\\go' })).kind, 'msi');
});
