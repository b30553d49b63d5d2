// issue 8: what the host's facts say about goroot and versions_dir decides whether gofleet may touch them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostFacts } from '../platform/types.ts';
import { checkGorootSafety } from './check-goroot-safety.ts';

type Over = { goroot?: Partial<HostFacts['goroot']>; managed?: Partial<HostFacts['managed']> };

function facts(over: Over = {}): HostFacts {
  const base: HostFacts = {
    os: 'linux', arch: 'amd64', kernel: '6.1', osVersion: 'Debian 12', user: 'root', isRoot: true, sudo: 'n/a', go: null,
    goroot: {
      path: '/usr/local/go', state: 'link', target: '/usr/local/gofleet/versions/go1.26.8', version: 'go1.26.8', goVersion: 'go1.26.8',
      physical: '/usr/local/gofleet/versions/go1.26.8', fsType: 'ext4', hasGo: true,
    },
    managed: {
      active: 'go1.26.8', versions: ['go1.26.8'], previous: null, dirPhysical: '/usr/local/gofleet/versions', dirFsType: 'ext4', previousLink: null,
    },
    freeBytes: 10 * 1024 ** 3, writable: true, lock: null, cachedArchives: [],
  };
  return { ...base, goroot: { ...base.goroot, ...over.goroot }, managed: { ...base.managed, ...over.managed } };
}

const code = (f: HostFacts, o: { adoptLink?: boolean; versionsDirOnly?: boolean } = {}) => checkGorootSafety({ facts: f, host: 'h', ...o })?.code ?? null;
const foreign = { state: 'link' as const, target: '/lib64', physical: '/usr/lib64', version: null, goVersion: null, hasGo: false };

test('a managed link, a real directory, a missing goroot: fine', () => {
  assert.equal(code(facts()), null);
  assert.equal(code(facts({ goroot: { state: 'dir', target: null, physical: '/usr/local/go' }, managed: { active: null } })), null);
  assert.equal(code(facts({ goroot: { state: 'missing', target: null, physical: '/usr/local/go', version: null, hasGo: false }, managed: { active: null } })), null);
});

test('goroot that physically is a system path: SYSTEM_PATH, even with --adopt-link', () => {
  const f = facts({ goroot: foreign, managed: { active: null } });
  assert.equal(code(f), 'SYSTEM_PATH');
  assert.equal(code(f, { adoptLink: true }), 'SYSTEM_PATH');
  assert.match(checkGorootSafety({ facts: f, host: 'h' })?.message ?? '', /goroot \/usr\/local\/go \(physically \/usr\/lib64\) is a system path \(\/usr\/lib64\)/);
  assert.equal(code(facts({ goroot: { path: '/lib64', physical: '/usr/lib64' } })), 'SYSTEM_PATH');
  assert.equal(code(facts({ managed: { dirPhysical: '/usr/local' } })), 'SYSTEM_PATH');
  assert.equal(code(facts({ managed: { dirPhysical: '/etc/gofleet' } }), { versionsDirOnly: true }), 'SYSTEM_PATH');
});

test('volatile places: under /tmp or on a tmpfs', () => {
  assert.equal(code(facts({ goroot: { physical: '/tmp/go' } })), 'VOLATILE_PATH');
  assert.equal(code(facts({ goroot: { fsType: 'tmpfs' } })), 'VOLATILE_PATH');
  assert.equal(code(facts({ managed: { dirFsType: 'ramfs' } })), 'VOLATILE_PATH');
  assert.equal(code(facts({ managed: { dirPhysical: '/var/tmp/gofleet' } }), { versionsDirOnly: true }), 'VOLATILE_PATH');
  assert.match(checkGorootSafety({ facts: facts({ managed: { dirFsType: 'tmpfs' } }), host: 'h' })?.message ?? '', /on a tmpfs mount, which does not survive a reboot/);
});

test('a link to something that is not a toolchain: GOROOT_NOT_TOOLCHAIN unless --adopt-link', () => {
  const f = facts({ goroot: { ...foreign, target: '/srv/data', physical: '/srv/data' }, managed: { active: null } });
  assert.equal(code(f), 'GOROOT_NOT_TOOLCHAIN');
  assert.equal(code(f, { adoptLink: true }), null);
  assert.equal(code(f, { versionsDirOnly: true }), null);
  // VERSION without bin/go is not a toolchain either
  assert.equal(code(facts({ goroot: { target: '/opt/x', physical: '/opt/x', version: 'go1.22.0', hasGo: false }, managed: { active: null } })), 'GOROOT_NOT_TOOLCHAIN');
  // a toolchain linked from elsewhere, and a dangling link into versions_dir, are fine
  assert.equal(code(facts({ goroot: { target: '/opt/go1.22', physical: '/opt/go1.22', version: 'go1.22.0', hasGo: true }, managed: { active: null } })), null);
  assert.equal(code(facts({ goroot: { physical: '/usr/local/gofleet/versions/go1.25.0', version: null, hasGo: false }, managed: { active: null } })), null);
});
