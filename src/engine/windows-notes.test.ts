// windows-notes: what `plan` warns about on a Windows host, which installs shadow goroot\bin, which installs are
// "other", and that planFleet / planJson carry the warnings (Windows hosts only, present only when non-empty).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostFacts } from '../platform/types.ts';
import type { HostFactsResult } from './facts-host.ts';
import { planFleet, planJson } from './plan-fleet.ts';
import { goInstall, hostFacts, TARGET, windowsFacts } from './testing/builders.ts';
import { MIN_SHELL_MEMORY_MB, otherInstalls, shadowingInstalls, windowsPathKey, windowsWarnings, winrmWarnings } from './windows-notes.ts';

const GOROOT = 'C:\\Program Files\\Go';

const inst = goInstall;
const winFacts = windowsFacts;

test('path keys: case, quotes, trailing backslashes and the default %ProgramFiles% / %SystemDrive% do not matter', () => {
  assert.equal(windowsPathKey('"%ProgramFiles%\\Go\\bin\\"'), windowsPathKey('c:\\program files\\go\\BIN'));
  assert.equal(windowsPathKey('%SystemDrive%\\Go'), 'c:\\go');
  assert.notEqual(windowsPathKey('%GOROOT%\\bin'), windowsPathKey('C:\\Program Files\\Go\\bin'));
});

test('a healthy elevated host with only goroot\\bin on PATH: no warning, no shadow, no other install', () => {
  const f = winFacts({ installs: [inst('machine_path', '%ProgramFiles%\\Go\\bin', 'go1.26.8', 'go.exe'), inst('user_path', '%USERPROFILE%\\go\\bin')] });
  assert.deepEqual(windowsWarnings(f, GOROOT), []);
  assert.deepEqual(shadowingInstalls(f.windows!, GOROOT), []);
  // a GOPATH\bin in the user PATH (no go command in it) is listed, but it is not a Go install that runs
  assert.deepEqual(otherInstalls(f.windows!, GOROOT), [{ where: '%USERPROFILE%\\go', version: null, kinds: ['user_path'] }]);
  assert.deepEqual(windowsWarnings(hostFacts(), '/usr/local/go'), [], 'POSIX hosts: nothing');
});

test('a machine GOROOT pointing elsewhere is warned about; one that is goroot is not', () => {
  const [away] = windowsWarnings(winFacts({ machineGoroot: 'C:\\Go' }), GOROOT);
  assert.match(away ?? '', /^machine GOROOT=C:\\Go points away from C:\\Program Files\\Go: .*breaks multi-version setups; remove the machine GOROOT variable/);
  assert.deepEqual(windowsWarnings(winFacts({ machineGoroot: '%ProgramFiles%\\Go\\' }), GOROOT), []);
  assert.match(windowsWarnings(winFacts({ userGoroot: 'C:\\Users\\deploy\\sdk\\go1.20' }), GOROOT)[0] ?? '', /^user GOROOT=C:\\Users\\deploy\\sdk\\go1\.20 points away/);
});

test('a user PATH go and choco / scoop shims shadow goroot\\bin; goroot\\bin in the user PATH does not', () => {
  const installs = [
    inst('machine_path', 'C:\\Program Files\\Go\\bin', 'go1.26.8', 'go.exe'),
    inst('user_path', 'C:\\Program Files\\Go\\bin', 'go1.26.8', 'go.exe'),
    inst('user_path', 'C:\\Users\\deploy\\sdk\\go1.20.1\\bin', 'go1.20.1', 'go.exe'),
    inst('choco', 'C:\\ProgramData\\chocolatey\\bin\\go.exe'),
    inst('scoop', 'C:\\Users\\deploy\\scoop\\shims\\go.exe', 'go1.22.0', 'C:\\Users\\deploy\\scoop\\apps\\go\\current'),
  ];
  const f = winFacts({ installs });
  assert.deepEqual(shadowingInstalls(f.windows!, GOROOT).map((i) => i.source), ['user_path', 'choco', 'scoop']);
  assert.deepEqual(windowsWarnings(f, GOROOT), [
    'the user PATH of WIN-1\\deploy holds another go in C:\\Users\\deploy\\sdk\\go1.20.1\\bin (go1.20.1): a shell or tool that puts the user PATH first runs it instead of C:\\Program Files\\Go\\bin',
    'a choco shim C:\\ProgramData\\chocolatey\\bin\\go.exe runs another go wherever its directory comes before C:\\Program Files\\Go\\bin in PATH (choco uninstall golang removes it)',
    'a scoop shim C:\\Users\\deploy\\scoop\\shims\\go.exe (go1.22.0) runs another go wherever its directory comes before C:\\Program Files\\Go\\bin in PATH (scoop uninstall go removes it)',
  ]);
});

test('an account that is not elevated is warned about, unless the plan already skips the host for it', () => {
  const filtered = winFacts({ elevated: false, adminMember: true });
  assert.deepEqual(windowsWarnings(filtered, GOROOT), ['WIN-1\\deploy is an administrator whose token is not elevated (UAC-filtered): the machine PATH cannot be updated from this account (the upgrade warns and leaves it; C:\\Program Files\\Go\\bin must already be on it), and only paths it can write can be changed']);
  assert.match(windowsWarnings(winFacts({ elevated: false, adminMember: false }), GOROOT)[0] ?? '', /^WIN-1\\deploy is not an administrator: /);
  assert.deepEqual(windowsWarnings(filtered, GOROOT, true), []);
});

test('other installs: one per location, every way it was found, the tree\'s VERSION over the MSI\'s', () => {
  const w = windowsFacts({
    installs: [
      inst('machine_path', 'C:\\Go\\bin', 'go1.19.8', 'go.exe'),
      inst('msi', 'C:\\Go\\', '1.19.8', '{A1B2}'),
      inst('dir', 'C:\\Program Files\\Go', 'go1.26.8'),
      inst('dir', 'C:\\Go', 'go1.19.8'),
    ],
  });
  assert.deepEqual(otherInstalls(w.windows!, GOROOT), [{ where: 'C:\\Go', version: 'go1.19.8', kinds: ['machine_path', 'msi', 'dir'] }]);
});

test('planFleet puts the warnings on Windows host entries, and planJson adds them only when there are some', () => {
  const result = (name: string, facts: HostFacts, goroot: string): HostFactsResult => ({
    name, reachable: true, facts, paths: { goroot, versionsDir: `${goroot}-versions` }, become: false, privilege: { elevate: false, how: 'none' }, error: null, warnings: [],
  });
  const lookup = (): { filename: string; size: number } => ({ filename: 'go.zip', size: 1 });
  const plan = planFleet([result('win', winFacts({ machineGoroot: 'C:\\Go' }), GOROOT), result('lin', hostFacts(), '/usr/local/go')], TARGET, lookup);
  const [win, lin] = plan.waves[0]?.hosts ?? [];
  assert.equal(win?.warnings?.length, 1);
  assert.equal(lin?.warnings, undefined);
  const json = planJson(plan) as { waves: { hosts: Record<string, unknown>[] }[] };
  const [wj, lj] = json.waves[0]?.hosts ?? [];
  assert.deepEqual(wj?.warnings, win?.warnings);
  assert.equal('warnings' in (lj ?? {}), false);
});

test('winrmWarnings: below 1024 MB warns with the fix; 1024 and up, 0 (no cap), unknown or unreadable config: nothing', () => {
  const limits = (maxMemoryPerShellMB: number | undefined, configRead = true) => ({ maxEnvelopeSizeKb: 500, configRead, ...(maxMemoryPerShellMB === undefined ? {} : { maxMemoryPerShellMB }) });
  const [w] = winrmWarnings(limits(1023));
  assert.match(w ?? '', /MaxMemoryPerShellMB=1023 is below 1024 MB/);
  assert.ok(w?.includes('Set-Item WSMan:\\localhost\\Shell\\MaxMemoryPerShellMB 2048'), w);
  assert.equal(MIN_SHELL_MEMORY_MB, 1024);
  for (const quiet of [limits(1024), limits(8192), limits(0), limits(undefined), limits(150, false), undefined]) {
    assert.deepEqual(winrmWarnings(quiet), [], JSON.stringify(quiet));
  }
});
