// The Windows facts in `facts` and `plan`, end to end through the real CLI (in-process) against the fake Windows
// OpenSSH host (test/harness/fake-windows-sshd.ts) playing test/harness/fake-windows-host-model.ts with a messy
// machine: an old C:\Go (MSI and machine PATH), a machine GOROOT=C:\Go, a go in the user PATH, a chocolatey shim,
// and an administrator whose token UAC filtered. This proves the CONTROLLER side (the facts lines read, the JSON
// and text printed); which installs a real host reports is the facts script's business (windows-e2e workflow).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newWindowsMachine } from '../harness/fake-windows-host-model.ts';
import { factsHost } from './windows-fleet-assert.ts';
import { GOROOT, useWindowsFleet } from './windows-fleet.ts';

const USER_GO = 'C:\\Users\\deploy\\sdk\\go1.20.1\\bin';
const CHOCO = 'C:\\ProgramData\\chocolatey\\bin\\go.exe';

describe('Windows facts in facts and plan, end to end (fake host, controller side)', { timeout: 120_000 }, () => {
  const machine = newWindowsMachine({
    active: 'go1.26.8',
    facts: {
      elevated: '0',
      admin_member: '1',
      goroot_machine: 'C:\\Go',
      go_installs: [
        `machine_path|${GOROOT}\\bin|go1.26.8|go.exe`,
        'machine_path|C:\\Go\\bin|go1.19.8|go.exe',
        'msi|C:\\Go\\|1.19.8|{B3F2A1C4-0000-4D5E-9F00-123456789ABC}',
        'dir|C:\\Go|go1.19.8|',
        `user_path|${USER_GO}|go1.20.1|go.exe`,
        'user_path|%USERPROFILE%\\go\\bin||',
        `choco|${CHOCO}||`,
      ],
    },
  });
  const fleet = useWindowsFleet({ transport: 'ssh', prefix: 'gofleet-winfacts-', hosts: [{ machine }] });
  const { run } = fleet;

  test('facts --json: the host entry gains a windows object (installs, shadowing, elevation, machine GOROOT)', async () => {
    const host = await factsHost(fleet);
    // the DESIGN shape is kept
    assert.deepEqual([host.name, host.reachable, host.os, host.go?.version], ['win-1', true, 'windows', 'go1.26.8']);
    const w = host.windows;
    assert.deepEqual([w.elevated, w.admin_member, w.machine_goroot, w.user_goroot], [false, true, 'C:\\Go', null]);
    assert.equal(w.installs.length, 7);
    assert.deepEqual(w.installs[2], { where: 'C:\\Go\\', kind: 'msi', version: '1.19.8', detail: '{B3F2A1C4-0000-4D5E-9F00-123456789ABC}' });
    assert.deepEqual(w.shadowing.map((i: { where: string; kind: string }) => [i.kind, i.where]), [['user_path', USER_GO], ['choco', CHOCO]]);
    assert.deepEqual(machine.ran, ['facts']);
  });

  test('facts (human): the table, then the account, the other installs, the GOROOT and the shadowing entries', async () => {
    const r = await run('facts');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('windows: win-1: '));
    assert.deepEqual(lines, [
      `windows: win-1: administrator, token not elevated (UAC); other Go installs: C:\\Go (go1.19.8, machine PATH, MSI, dir); C:\\Users\\deploy\\sdk\\go1.20.1 (go1.20.1, user PATH); %USERPROFILE%\\go (user PATH); ${CHOCO} (choco shim)`,
      `windows: win-1: machine GOROOT=C:\\Go is set: it breaks multi-version setups; shadowing ${GOROOT}\\bin: ${USER_GO} (user PATH), ${CHOCO} (choco shim)`,
    ]);
  });

  test('plan: the host is planned, with warnings for the machine GOROOT, the shadowing go, the shim and the filtered token', async () => {
    const src = fleet.src();
    const json = await run('plan', '--to', 'go1.27.3', '--json', ...src);
    assert.equal(json.code, 0, json.stdout + json.stderr);
    const host = json.json().waves[0].hosts[0];
    assert.equal(host.skip, null, JSON.stringify(host.skip));
    assert.deepEqual(host.warnings.map((w: string) => w.split(/[ :]/)[0]), ['machine', 'the', 'a', 'WIN-1\\deploy']);
    assert.match(host.warnings[0], /^machine GOROOT=C:\\Go points away from C:\\Program Files\\Go/);
    assert.match(host.warnings[1], /user PATH of WIN-1\\deploy holds another go in C:\\Users\\deploy\\sdk\\go1\.20\.1\\bin \(go1\.20\.1\)/);
    assert.match(host.warnings[2], /^a choco shim C:\\ProgramData\\chocolatey\\bin\\go\.exe runs another go/);
    assert.match(host.warnings[3], /token is not elevated \(UAC-filtered\)/);
    const text = await run('plan', '--to', 'go1.27.3', ...src);
    assert.equal(text.code, 0, text.stdout + text.stderr);
    assert.deepEqual(text.stdout.split('\n').filter((l) => l.startsWith('warning: win-1: ')), host.warnings.map((w: string) => `warning: win-1: ${w}`));
  });
});
