import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planHost } from './plan-host.ts';
import { checkMethodHosts, MSI_ONE_PER_ARCH_NOTE } from './plan-msi.ts';
import type { GofleetError } from '../errors.ts';
import { dialectFor } from '../platform/registry.ts';
import type { HostFacts, WindowsGoInstall } from '../platform/types.ts';

const GOROOT = 'C:\\Program Files\\Go';
const MSI = { filename: 'go1.27.3.windows-amd64.msi', size: 70 * 1024 ** 2 };
const OLD_MSI = 'go1.26.8.windows-amd64.msi';

/** A Windows host (elevated) whose goroot is `state`; `msiAt`: an MSI uninstall entry with that location. */
function win(state: HostFacts['goroot']['state'], o: { msiAt?: string; cached?: string[]; versions?: string[] } = {}): HostFacts {
  const installs: WindowsGoInstall[] = o.msiAt ? [{ source: 'msi', path: o.msiAt, version: '1.26.8', detail: '{22EA7650}' }] : [];
  const version = state === 'missing' ? null : 'go1.26.8';
  return {
    os: 'windows', arch: 'amd64', kernel: '20348', osVersion: 'Windows Server 2022', user: 'WIN\\admin', isRoot: true, sudo: 'n/a', go: null,
    goroot: { path: GOROOT, state, target: state === 'link' ? 'C:\\ProgramData\\gofleet\\versions\\go1.26.8' : null, version, goVersion: version },
    managed: { active: state === 'link' ? 'go1.26.8' : null, versions: o.versions ?? [], previous: null },
    freeBytes: 10 * 1024 ** 3, writable: true, lock: null, cachedArchives: o.cached ?? [],
    windows: {
      caption: 'Windows Server 2022', version: '10.0.20348', build: '20348', displayVersion: null, archNative: 'AMD64', archProcess: 'AMD64',
      elevated: true, adminMember: true, psVersion: '5.1', psEdition: 'Desktop', gorootLinkKind: null, machineGoroot: null, userGoroot: null,
      goToolchain: null, hasTar: true, installs,
    },
  };
}

const plan = (f: HostFacts, method: 'msi' | 'zip' = 'msi', archive = MSI) =>
  planHost({
    facts: f,
    target: 'go1.27.3',
    privilege: dialectFor(f.os === 'unknown' ? 'linux' : f.os).privilege(f, { host: 'h', become: false, becomePassword: false }),
    archive,
    host: 'h',
    method,
  });

test('goroot missing: stage, msi, verify; a rollback uninstalls the new MSI', () => {
  const p = plan(win('missing'));
  assert.deepEqual([p.actions, p.skip, p.needsUpload], [['stage', 'msi', 'verify'], null, true]);
  assert.deepEqual(p.notes, [MSI_ONE_PER_ARCH_NOTE, 'rollback: uninstalls the new MSI (there was no Go at goroot)']);
});

test('an MSI install at goroot with its .msi cached: reinstalled by a rollback; the target .msi cached: no upload', () => {
  const p = plan(win('dir', { msiAt: `${GOROOT}\\`, cached: [OLD_MSI, MSI.filename] }));
  assert.deepEqual([p.actions, p.skip, p.needsUpload], [['stage', 'msi', 'verify'], null, false]);
  assert.deepEqual(p.notes, [MSI_ONE_PER_ARCH_NOTE, `rollback: reinstalls ${OLD_MSI} from the host's MSI cache`]);
});

test('an MSI install at goroot whose .msi is not cached: refused (MSI_NO_ROLLBACK), the location compared without case', () => {
  const p = plan(win('dir', { msiAt: 'c:\\program files\\go' }));
  assert.equal(p.skip?.code, 'MSI_NO_ROLLBACK');
  assert.match(p.skip?.message ?? '', /go1\.26\.8\.windows-amd64\.msi is not in the host's MSI cache/);
  assert.deepEqual(p.actions, []);
});

test('a manual install at goroot (no MSI entry for it): adopted (moved aside), moved back by a rollback', () => {
  const p = plan(win('dir', { msiAt: 'D:\\Go\\' }));
  assert.deepEqual([p.actions, p.skip], [['adopt', 'stage', 'msi', 'verify'], null]);
  assert.match(p.notes[1] ?? '', /moves the manual install of go1\.26\.8 back/);
});

test('a gofleet junction at goroot: refused (MSI_NOT_APPLICABLE); with --method zip it is the usual switch', () => {
  const f = win('link');
  assert.equal(plan(f).skip?.code, 'MSI_NOT_APPLICABLE');
  const zip = plan(f, 'zip', { filename: 'go1.27.3.windows-amd64.zip', size: MSI.size });
  assert.deepEqual([zip.actions, zip.notes, zip.skip], [['stage', 'switch', 'verify'], [], null]);
});

test('the MSI is always staged: a side-by-side copy of the target under versions_dir is not an MSI install', () => {
  assert.deepEqual(plan(win('missing', { versions: ['go1.27.3'] })).actions, ['stage', 'msi', 'verify']);
});

test('a POSIX host: skipped with MSI_NOT_APPLICABLE, even one already at the target', () => {
  const linux = { ...win('link'), os: 'linux' as const, windows: undefined, goroot: { path: '/usr/local/go', state: 'link' as const, target: '/v/go1.27.3', version: 'go1.27.3', goVersion: 'go1.27.3' } };
  const atTarget = plan({ ...linux, managed: { active: 'go1.27.3', versions: ['go1.27.3'], previous: null } });
  assert.deepEqual([atTarget.unchanged, atTarget.skip?.code], [false, 'MSI_NOT_APPLICABLE']);
  assert.match(atTarget.skip?.message ?? '', /this host runs linux/);
});

test('before any host is contacted: --method msi with only hosts declared POSIX is BAD_OPTION; a mixed or undeclared selection goes on', () => {
  assert.throws(() => checkMethodHosts('msi', [{ name: 'a', os: 'linux' }, { name: 'b', os: 'darwin' }]), (e: GofleetError) => {
    assert.equal(e.code, 'BAD_OPTION');
    assert.match(e.message, /every selected host is declared linux, darwin/);
    return true;
  });
  checkMethodHosts('msi', [{ name: 'a', os: 'linux' }, { name: 'w', os: 'windows' }]);
  checkMethodHosts('msi', [{ name: 'a', os: 'linux' }, { name: 'u' }]);
  checkMethodHosts('zip', [{ name: 'a', os: 'linux' }]);
});

test('a junction at the target whose switch was never verified: refused under --method msi (the zip method verifies it)', () => {
  const f = win('link');
  const unverified = { ...f, goroot: { ...f.goroot, version: 'go1.27.3', goVersion: 'go1.27.3' }, managed: { ...f.managed, active: 'go1.27.3', unverified: 'go1.27.3' } };
  assert.equal(plan(unverified).skip?.code, 'MSI_NOT_APPLICABLE');
  assert.deepEqual(plan(unverified, 'zip').actions, ['verify']);
});
