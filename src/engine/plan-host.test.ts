import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planHost } from './plan-host.ts';
import { dialectFor } from '../platform/registry.ts';
import type { HostFacts } from '../platform/types.ts';

type Over = Omit<Partial<HostFacts>, 'goroot' | 'managed'> & { goroot?: Partial<HostFacts['goroot']>; managed?: Partial<HostFacts['managed']> };

function facts(over: Over = {}): HostFacts {
  const base: HostFacts = {
    os: 'linux', arch: 'amd64', kernel: '6.1', osVersion: 'Debian 12', user: 'root', isRoot: true, sudo: 'n/a', go: null,
    goroot: { path: '/usr/local/go', state: 'link', target: '/v/go1.26.8', version: 'go1.26.8', goVersion: 'go1.26.8' },
    managed: { active: 'go1.26.8', versions: ['go1.26.8'], previous: null },
    freeBytes: 10 * 1024 ** 3, writable: true, lock: null, cachedArchives: [],
  };
  return { ...base, ...over, goroot: { ...base.goroot, ...over.goroot }, managed: { ...base.managed, ...over.managed } };
}
const archive = { filename: 'go1.27.3.linux-amd64.tar.gz', size: 80 * 1024 ** 2 };
const privilege = (f: HostFacts, become = false) => dialectFor(f.os === 'unknown' ? 'linux' : f.os).privilege(f, { host: 'h', become, becomePassword: false });
const plan = (f: HostFacts, extra: { become?: boolean } = {}) =>
  planHost({ facts: f, target: 'go1.27.3', privilege: privilege(f, extra.become), archive, host: 'h' });

test('managed link: stage, switch, verify, with an upload', () => {
  const p = plan(facts());
  assert.deepEqual([p.from, p.actions, p.needsUpload, p.skip, p.unchanged], ['go1.26.8', ['stage', 'switch', 'verify'], true, null, false]);
});

test('a manual directory is adopted first', () => {
  const p = plan(facts({ goroot: { state: 'dir', target: null }, managed: { active: null, versions: [] } }));
  assert.deepEqual(p.actions, ['adopt', 'stage', 'switch', 'verify']);
});

test('installed already: no stage, no upload; cached archive: no upload', () => {
  assert.deepEqual(plan(facts({ managed: { versions: ['go1.26.8', 'go1.27.3'] } })).actions, ['switch', 'verify']);
  const cached = plan(facts({ cachedArchives: [archive.filename] }));
  assert.deepEqual([cached.actions, cached.needsUpload], [['stage', 'switch', 'verify'], false]);
});

test('at the target and answering it: unchanged', () => {
  const p = plan(facts({ goroot: { version: 'go1.27.3', goVersion: 'go1.27.3' }, managed: { active: 'go1.27.3' } }));
  assert.equal(p.unchanged, true);
  assert.deepEqual(p.actions, []);
});

test('at the target by name only (its go does not run): not unchanged, a clear failure', () => {
  const p = plan(facts({ goroot: { version: 'go1.27.3', goVersion: null }, managed: { active: 'go1.27.3' } }));
  assert.equal(p.unchanged, false);
  assert.equal(p.skip?.code, 'VERIFY_FAILED');
  assert.match(p.skip?.message ?? '', /does not run/);
});

test('blockers: live lock, sudo, privileges, goroot not a dir or link, disk', () => {
  const code = (f: HostFacts, become = false) => plan(f, { become }).skip?.code;
  assert.equal(code(facts({ lock: { pid: '1', run: 'r', since: 'now', stale: false } })), 'HOST_LOCKED');
  assert.equal(code(facts({ lock: { pid: '1', run: 'r', since: 'now', stale: true } })), undefined);
  assert.equal(code(facts({ isRoot: false, sudo: 'missing' }), true), 'BECOME_FAILED');
  assert.equal(code(facts({ isRoot: false, sudo: 'password-required' }), true), 'BECOME_FAILED');
  assert.equal(code(facts({ isRoot: false, sudo: 'nopasswd' }), true), undefined);
  assert.equal(code(facts({ isRoot: false, writable: false })), 'NO_PRIVILEGE');
  assert.equal(code(facts({ goroot: { state: 'other' } })), 'ADOPT_FAILED');
  assert.equal(code(facts({ freeBytes: 100 * 1024 ** 2 })), 'DISK_FULL');
  // cached archive: only the extraction needs room (4 x 80 MiB)
  assert.equal(code(facts({ freeBytes: 330 * 1024 ** 2, cachedArchives: [archive.filename] })), undefined);
  assert.equal(code(facts({ freeBytes: 330 * 1024 ** 2 })), 'DISK_FULL');
});

test('an OS older than the target supports is skipped with OS_TOO_OLD, naming both versions', () => {
  const old = plan(facts({ os: 'darwin', kernel: '21.6.0', osVersion: 'macOS 12.7.4' }));
  assert.equal(old.skip?.code, 'OS_TOO_OLD');
  assert.equal(old.skip?.message, 'h: go1.27.3 needs macOS 13 Ventura or later; the host runs macOS 12.7.4');
  assert.deepEqual(old.actions, []);
  assert.equal(plan(facts({ os: 'darwin', kernel: '22.1.0', osVersion: 'macOS 13.1' })).skip, null);
  assert.equal(plan(facts({ kernel: '3.1.0' })).skip?.code, 'OS_TOO_OLD');
  // a host already at the target stays unchanged whatever its OS says
  assert.equal(plan(facts({ kernel: '3.1.0', goroot: { target: '/v/go1.27.3', version: 'go1.27.3', goVersion: 'go1.27.3' }, managed: { active: 'go1.27.3' } })).unchanged, true);
});

// issue 8: plan refuses what upgrade must not touch (engine/check-goroot-safety.ts has the cases)
test('goroot that physically is a system path, or a foreign link: refused, even when it looks at the target', () => {
  const lib64 = facts({ goroot: { target: '/lib64', physical: '/usr/lib64', version: null, goVersion: null, hasGo: false }, managed: { active: null } });
  assert.equal(plan(lib64).skip?.code, 'SYSTEM_PATH');
  assert.deepEqual(plan(lib64).actions, []);
  const atTarget = facts({ goroot: { version: 'go1.27.3', goVersion: 'go1.27.3', fsType: 'tmpfs' }, managed: { active: 'go1.27.3' } });
  assert.equal(plan(atTarget).skip?.code, 'VOLATILE_PATH');
  const other = facts({ goroot: { target: '/srv/data', physical: '/srv/data', version: null, goVersion: null, hasGo: false }, managed: { active: null } });
  assert.equal(plan(other).skip?.code, 'GOROOT_NOT_TOOLCHAIN');
  const adopted = planHost({ facts: other, target: 'go1.27.3', privilege: privilege(other), archive, host: 'h', adoptLink: true });
  assert.deepEqual([adopted.skip, adopted.actions], [null, ['stage', 'switch', 'verify']]);
});

test('at the target but its switch was never verified (the script was killed): verify, never unchanged', () => {
  const at = { goroot: { version: 'go1.27.3', goVersion: 'go1.27.3' } };
  const p = plan(facts({ ...at, managed: { active: 'go1.27.3', versions: ['go1.26.8', 'go1.27.3'], unverified: 'go1.27.3' } }));
  assert.deepEqual([p.unchanged, p.actions, p.needsUpload, p.skip], [false, ['verify'], false, null]);
  // its go does not even answer: still verified (and rolled back by the host), not skipped as broken
  const dead = plan(facts({ goroot: { version: 'go1.27.3', goVersion: null }, managed: { active: 'go1.27.3', unverified: 'go1.27.3' } }));
  assert.deepEqual(dead.actions, ['verify']);
  // the dead script's lock is stale: no blocker; a live lock still blocks
  const stale = plan(facts({ ...at, managed: { active: 'go1.27.3', unverified: 'go1.27.3' }, lock: { pid: '9', run: 'r', since: 's', stale: true } }));
  assert.deepEqual(stale.actions, ['verify']);
  const live = plan(facts({ ...at, managed: { active: 'go1.27.3', unverified: 'go1.27.3' }, lock: { pid: '9', run: 'r', since: 's', stale: false } }));
  assert.equal(live.skip?.code, 'HOST_LOCKED');
});

test('a version that failed verification is not reused: staged again (and uploaded unless cached)', () => {
  const p = plan(facts({ managed: { versions: ['go1.26.8', 'go1.27.3'], failed: ['go1.27.3'] } }));
  assert.deepEqual([p.actions, p.needsUpload], [['stage', 'switch', 'verify'], true]);
});
