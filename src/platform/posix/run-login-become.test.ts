// Under become (root via `sudo -n sh -s`, $SUDO_USER = the connecting user) the login-PATH check
// reads the connecting user's login PATH with `su - "$SUDO_USER"`, and falls back to the script's own
// login shell when su does not run. Facts use the same helper, so they agree. Run under dash.
// The happy path needs a user with a real shell and a home we control: it is added to copies of
// /etc/passwd, /etc/shadow and /etc/group that are bind-mounted over the real ones in a private mount
// namespace (unshare -m), so /etc itself is never changed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { VerifyPolicy } from '../types.ts';
import { posix } from './index.ts';
import { BASE_PATH, FakeHost, type RunOptions } from './testing/fake-host.ts';

const isRoot = process.getuid?.() === 0;
const canUnshare = isRoot && spawnSync('unshare', ['-m', 'true']).status === 0;
const hasSu = spawnSync('sh', ['-c', 'command -v su']).status === 0;

let h: FakeHost;
beforeEach(() => {
  h = new FakeHost();
  chmodSync(h.root, 0o755); // the test user must reach its home below the temp dir
  h.install('go1.26.8');
  h.install('go1.27.3');
  h.linkGoroot('go1.26.8');
});
afterEach(() => h.cleanup());

const STRICT: VerifyPolicy = { build: false, requirePath: true };
const vdir = (v: string): string => join(h.versionsDir, v);

function upgrade(options: RunOptions) {
  const r = h.runScript(posix.upgrade({ paths: h.paths, target: 'go1.27.3', archive: null, verify: STRICT, run: h.run }), options);
  return posix.parseRun(r.stdout).outcome;
}

function facts(options: RunOptions) {
  const r = h.runScript(posix.facts(h.paths), options);
  assert.equal(r.code, 0, r.stderr);
  return posix.parseFacts(r.stdout);
}

/** A copy of go1.27.3 outside goroot: "another go" on a login PATH. */
function otherGoBin(): string {
  const dir = join(h.root, 'other-go');
  spawnSync('cp', ['-R', vdir('go1.27.3'), dir]);
  return join(dir, 'bin');
}

test('SUDO_USER whose shell is nologin (nobody): su is tried, fails, and the own login PATH is used', { skip: isRoot && hasSu ? false : 'needs root and su' }, () => {
  const shim = join(h.root, 'shim');
  const log = join(h.root, 'su.log');
  mkdirSync(shim);
  const realSu = spawnSync('sh', ['-c', 'command -v su'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(join(shim, 'su'), `#!/bin/sh\necho "su $*" >>'${log}'\nexec '${realSu}' "$@"\n`);
  chmodSync(join(shim, 'su'), 0o755);
  const options = { env: { SUDO_USER: 'nobody', PATH: `${shim}:${BASE_PATH}` } };

  assert.equal(facts(options).go?.path, join(h.goroot, 'bin', 'go'));
  const outcome = upgrade(options);
  assert.equal(outcome?.result, 'switched');
  assert.deepEqual(outcome?.warnings, [], 'the own login PATH finds goroot/bin/go');
  const calls = readFileSync(log, 'utf8').trim().split('\n');
  assert.equal(calls.length, 2, 'once for facts, once for verify');
  for (const call of calls) assert.match(call, /^su - nobody -c .*command -v go/);
});

test('SUDO_USER not set, or root: su is not used', { skip: isRoot ? false : 'needs root' }, () => {
  const shim = join(h.root, 'shim');
  const log = join(h.root, 'su.log');
  mkdirSync(shim);
  writeFileSync(join(shim, 'su'), `#!/bin/sh\necho "su $*" >>'${log}'\nexit 99\n`);
  chmodSync(join(shim, 'su'), 0o755);
  const envs: Array<Record<string, string>> = [{ PATH: `${shim}:${BASE_PATH}` }, { PATH: `${shim}:${BASE_PATH}`, SUDO_USER: 'root' }];
  for (const env of envs) {
    h.linkGoroot('go1.26.8');
    const outcome = upgrade({ env });
    assert.equal(outcome?.result, 'switched');
    assert.deepEqual(outcome?.warnings, []);
  }
  assert.equal(existsSync(log), false, 'su was never run');
});

const USER = 'gftest';
const UID = 4242;

/** Copies of passwd/shadow/group with USER added; a prefix that bind-mounts them in a new mount namespace. */
interface FakeUser {
  /** run as root under "become": SUDO_USER set, /etc copies mounted */
  options: (env?: Record<string, string>) => RunOptions;
  /** run as the user itself (what facts do over SSH without become), /etc copies mounted */
  asUser: () => RunOptions;
  setPath: (dirs: string[]) => void;
}

function fakeUser(loginDirs: string[]): FakeUser {
  const etc = join(h.root, 'etc');
  const home = join(h.root, 'gftest-home');
  mkdirSync(etc);
  mkdirSync(home);
  for (const [name, line] of [
    ['passwd', `${USER}:x:${UID}:${UID}::${home}:/bin/dash`],
    ['shadow', `${USER}:*:20000:0:99999:7:::`],
    ['group', `${USER}:x:${UID}:`],
  ] as const) {
    writeFileSync(join(etc, name), `${readFileSync(`/etc/${name}`, 'utf8').trimEnd()}\n${line}\n`);
  }
  chmodSync(join(etc, 'shadow'), 0o640);
  const setPath = (dirs: string[]): void => {
    writeFileSync(join(home, '.profile'), `echo profile noise /not/a/go\nPATH=${[...dirs, BASE_PATH].join(':')}\nexport PATH\n`);
    chownSync(join(home, '.profile'), UID, UID);
  };
  chownSync(home, UID, UID);
  setPath(loginDirs);
  const mount = 'for f in passwd shadow group; do mount --bind "$1/$f" "/etc/$f" || exit 97; done; shift; exec "$@"';
  const options = (env: Record<string, string> = {}): RunOptions => ({
    prefix: ['unshare', '-m', 'sh', '-c', mount, 'sh', etc],
    env: { SUDO_USER: USER, ...env },
  });
  const asUser = (): RunOptions => ({
    prefix: ['unshare', '-m', 'sh', '-c', mount, 'sh', etc, 'setpriv', `--reuid=${UID}`, `--regid=${UID}`, '--clear-groups'],
    env: { HOME: home, SHELL: '/bin/dash', USER, LOGNAME: USER },
  });
  return { options, asUser, setPath };
}

test("SUDO_USER with a real login shell: verify and facts read that user's login PATH, not root's", { skip: canUnshare && hasSu ? false : 'needs root, unshare -m and su' }, () => {
  const other = otherGoBin();
  const user = fakeUser([other]); // the connecting user's PATH finds another go; root's (h.home) finds goroot/bin
  const f = facts(user.options());
  assert.equal(f.go?.path, join(other, 'go'), 'facts under become: the connecting user finds the other go');
  const own = facts(user.asUser());
  assert.equal(own.user, USER);
  assert.equal(own.go?.path, f.go?.path, 'facts as the user itself (no become) agree');
  const strict = upgrade(user.options());
  assert.equal(strict?.result, 'rolled_back');
  assert.match(strict?.message ?? '', new RegExp(`login PATH finds go at ${other}/go .*\\(login PATH of ${USER}\\)`));
  assert.equal(h.gorootTarget(), vdir('go1.26.8'));
  // the same script without SUDO_USER looks at its own (root's) login PATH: goroot/bin
  assert.equal(facts({ env: {} }).go?.path, join(h.goroot, 'bin', 'go'));

  user.setPath([]);
  assert.equal(facts(user.options()).go, null, 'no go for the user: not replaced by root\'s go');
  const none = upgrade(user.options());
  assert.equal(none?.result, 'switched');
  assert.deepEqual(none?.warnings, [`no go on the login PATH of ${USER}; add ${h.goroot}/bin to PATH`]);

  h.linkGoroot('go1.26.8');
  user.setPath([join(h.goroot, 'bin')]);
  assert.equal(facts(user.options()).go?.path, join(h.goroot, 'bin', 'go'));
  const ok = upgrade(user.options());
  assert.equal(ok?.result, 'switched');
  assert.deepEqual(ok?.warnings, []);
});
