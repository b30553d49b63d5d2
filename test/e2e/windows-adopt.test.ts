// Windows: adopting a real goroot directory, the state file, a swap cut between its renames, stale locks — end to
// end through the real CLI against the fake Windows OpenSSH host playing the machine model
// (test/harness/fake-windows-host-model.ts; this part: fake-windows-goroot-model.ts). It proves the CONTROLLER side
// only: the plan read from facts of these host states, and the outcomes, warnings and errors the real scripts print
// for them read back. The scripts themselves run on a real Windows host only (the windows-e2e workflow).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { FakeWindowsHost } from '../harness/fake-windows-sshd.ts';
import { installVersion, newWindowsMachine, type WindowsMachine } from '../harness/fake-windows-host-model.ts';
import { GOROOT, VDIR, useWindowsFleet, type FleetHostOptions } from './windows-fleet.ts';
import { cutBetweenRenames, installAtGoroot, writeState } from '../harness/fake-windows-goroot-model.ts';
import { newWindowsMsi } from '../harness/fake-windows-msi-model.ts';

const GOPLS = { name: 'gopls.exe', pid: 5120, exe: `${GOROOT}\\bin\\gopls.exe` };

interface HostRow {
  status: string;
  from: string | null;
  to: string | null;
  error: { code: string; message: string; hint?: string } | null;
  warnings?: string[];
  steps: { step: string; status: string }[];
}

/** One fake Windows host (nothing installed) with an HTTP source of go1.26.8 and go1.27.3, its machine replaceable per test. */
function fixture(name: string) {
  const spec: FleetHostOptions = { machine: newWindowsMachine(), installed: [] };
  const fleet = useWindowsFleet({ transport: 'ssh', prefix: `gofleet-${name}-`, hosts: [spec] });
  const f = {
    get h(): FakeWindowsHost { return fleet.host; },
    get machine(): WindowsMachine { return spec.machine; },
    set machine(m: WindowsMachine) { spec.machine = m; },
  };
  const { run, src } = fleet;
  const local = (p: string): string => f.h.drives.toLocal(p);
  const upgrade = async (...more: string[]): Promise<{ code: number; host: HostRow; out: string }> => {
    const r = await run('upgrade', '--to', 'go1.27.3', '--yes', '--json', ...src(), ...more);
    return { code: r.code, host: r.json().hosts[0] as HostRow, out: r.stdout + r.stderr };
  };
  /** a fresh drive: versions_dir and goroot removed */
  const wipe = (): void => {
    rmSync(local('C:\\ProgramData\\gofleet'), { recursive: true, force: true });
    rmSync(local(GOROOT), { recursive: true, force: true });
    mkdirSync(local('C:\\ProgramData'), { recursive: true }); // always there on Windows
  };
  return { f, run, src, local, upgrade, wipe };
}

describe('Windows adopt: a real directory at goroot (fake host, controller side)', { timeout: 180_000 }, () => {
  const { f, run, src, local, upgrade, wipe } = fixture('winadopt');

  test('a manual go1.26.8 at goroot: plan shows adopt before stage, switch and verify; only facts run', async () => {
    wipe();
    f.machine = newWindowsMachine();
    installAtGoroot(f.h, GOROOT, 'go1.26.8');
    const r = await run('plan', '--to', 'go1.27.3', '--json', ...src());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const host = r.json().waves.flatMap((w: { hosts: unknown[] }) => w.hosts)[0];
    assert.deepEqual([host.from, host.to, host.actions], ['go1.26.8', 'go1.27.3', ['adopt', 'stage', 'switch', 'verify']], JSON.stringify(host));
    assert.deepEqual(f.machine.ran, ['facts']);
  });

  test('gopls.exe, run from goroot, holds a file through every retry: FILES_IN_USE naming it, the install untouched', async () => {
    f.machine.locks = [{ file: GOPLS.exe, process: GOPLS, refusals: Infinity }];
    // its executable lies in goroot: the facts list it (busy), so only --force gets past the drain
    const { code, host, out } = await upgrade('--force');
    assert.notEqual(code, 0, out);
    assert.equal(host.status, 'failed', JSON.stringify(host));
    assert.equal(host.error?.code, 'FILES_IN_USE');
    assert.match(host.error?.message ?? '', /cannot move C:\\Program Files\\Go to C:\\ProgramData\\gofleet\\versions\\go1\.26\.8: in use by gopls\.exe \(pid 5120\)/);
    assert.match(host.error?.hint ?? '', /stop the process the message names/);
    assert.ok(host.steps.some((s) => s.step === 'adopt' && s.status === 'fail'), JSON.stringify(host.steps));
    assert.deepEqual(f.machine.moves.filter((x) => x.from === GOROOT).map((x) => [x.attempts, x.ok]), [[6, false]], 'tried six times');
    assert.equal(readFileSync(local(`${GOROOT}\\VERSION`), 'utf8').split('\n')[0], 'go1.26.8');
    assert.ok(existsSync(local(`${GOROOT}\\bin\\go.exe`)), 'goroot as it was');
    assert.ok(!existsSync(local(`${VDIR}\\go1.26.8`)));
    assert.equal(f.machine.active, null);
    assert.equal(f.machine.lock, null, 'the host lock was released');
    const facts = (await run('facts', '--json')).json().hosts[0];
    assert.deepEqual([facts.goroot.state, facts.go?.version], ['dir', 'go1.26.8']);
  });

  test('gopls exits: goroot is moved under versions_dir by its VERSION, goroot becomes the junction; rollback returns to it', async () => {
    f.machine.locks = [];
    f.machine.moves = [];
    const { code, host, out } = await upgrade();
    assert.equal(code, 0, out);
    assert.deepEqual([host.status, host.from, host.to, host.error], ['upgraded', 'go1.26.8', 'go1.27.3', null]);
    assert.ok(host.steps.some((s) => s.step === 'adopt' && s.status === 'ok'), JSON.stringify(host.steps));
    assert.deepEqual(f.machine.moves.filter((x) => x.from === GOROOT).map((x) => [x.to, x.ok]), [[`${VDIR}\\go1.26.8`, true]]);
    assert.equal(readFileSync(local(`${VDIR}\\go1.26.8\\VERSION`), 'utf8').split('\n')[0], 'go1.26.8');
    assert.ok(!existsSync(local(`${GOROOT}\\VERSION`)), 'no directory at goroot: the junction is');
    const facts = (await run('facts', '--json')).json().hosts[0];
    assert.deepEqual([facts.goroot.state, facts.goroot.target, facts.managed.previous], ['link', `${VDIR}\\go1.27.3`, 'go1.26.8']);
    assert.deepEqual(facts.managed.versions, ['go1.26.8', 'go1.27.3']);
    const back = await run('rollback', '--yes', '--json');
    assert.equal(back.code, 0, back.stdout + back.stderr);
    assert.equal(f.machine.active, 'go1.26.8');
  });

  test('an MSI install at goroot: adopted the same way, the MSI registration noted in a warning and still listed', async () => {
    wipe();
    f.machine = newWindowsMachine({ msi: newWindowsMsi({ installed: 'go1.26.8' }) });
    installAtGoroot(f.h, GOROOT, 'go1.26.8');
    const { code, host, out } = await upgrade();
    assert.equal(code, 0, out);
    assert.deepEqual([host.status, host.from, host.to], ['upgraded', 'go1.26.8', 'go1.27.3']);
    assert.ok(host.steps.some((s) => s.step === 'adopt' && s.status === 'ok'), JSON.stringify(host.steps));
    const note = host.warnings?.find((w) => /was installed by the Go MSI/.test(w)) ?? '';
    assert.match(note, /^C:\\Program Files\\Go was installed by the Go MSI \(Go Programming Language amd64 go1\.26\.8 1\.26\.8, product code \{22EA7650-0000-0000-0000-000000001268\}\); it is now C:\\ProgramData\\gofleet\\versions\\go1\.26\.8 behind a junction\. Do not uninstall/, JSON.stringify(host.warnings));
    assert.equal(f.machine.msi?.runs.length, 0, 'no msiexec ran');
    assert.ok(existsSync(local(`${VDIR}\\go1.26.8\\bin\\go.exe`)));
    const facts = (await run('facts', '--json')).json().hosts[0];
    // the uninstall entry stays in HKLM, pointing at goroot (now the junction)
    assert.deepEqual(facts.windows.installs.filter((i: { kind: string }) => i.kind === 'msi').map((i: { where: string; version: string }) => [i.where, i.version]),
      [[`${GOROOT}\\`, '1.26.8']]);
  });
});

describe('Windows state file, a swap cut between its renames (fake host, controller side)', { timeout: 180_000 }, () => {
  const { f, run, src, local, upgrade, wipe } = fixture('winstate');

  test('rollback after an upgrade reads the previous version from the state file on the host', async () => {
    wipe();
    f.machine = newWindowsMachine({ active: 'go1.26.8' });
    installVersion(f.h, VDIR, 'go1.26.8');
    const { code, out } = await upgrade();
    assert.equal(code, 0, out);
    const state = readFileSync(local(`${VDIR}\\.gofleet\\state`), 'utf8');
    assert.match(state, /^active=go1\.27\.3\nprevious=go1\.26\.8\n/);
    assert.doesNotMatch(state, /verify_pending/);
    // the model forgets what it holds in memory: only the drive remembers (a host is its disk)
    f.machine = newWindowsMachine({ active: 'go1.27.3' });
    const back = await run('rollback', '--yes', '--json');
    assert.equal(back.code, 0, back.stdout + back.stderr);
    assert.equal(back.json().hosts[0].status, 'switched', JSON.stringify(back.json().hosts[0]));
    assert.equal(f.machine.active, 'go1.26.8');
    assert.match(readFileSync(local(`${VDIR}\\.gofleet\\state`), 'utf8'), /^active=go1\.26\.8\nprevious=go1\.27\.3\n/);
  });

  test('a switch recorded but never verified: facts say unverified, plan verifies, a failing verify rolls back as recorded', async () => {
    f.machine = newWindowsMachine({ active: 'go1.27.3' });
    writeState(f.h, VDIR, {
      active: 'go1.27.3', previous: 'go1.26.8', run: 'run-stopped',
      pending: { target: 'go1.27.3', kind: 'link', link: `${VDIR}\\go1.26.8`, active: 'go1.26.8', version: 'go1.26.8', previous: '' },
    });
    const facts = (await run('facts', '--json')).json().hosts[0];
    assert.equal(facts.managed.unverified, 'go1.27.3', JSON.stringify(facts.managed));
    const plan = await run('plan', '--to', 'go1.27.3', '--json', ...src());
    assert.deepEqual(plan.json().waves.flatMap((w: { hosts: { actions: string[] }[] }) => w.hosts)[0]?.actions, ['verify']);
    f.machine.inject.verifyFails = 'go1.27.3';
    const { code, host, out } = await upgrade();
    assert.equal(code, 2, out);
    assert.deepEqual([host.status, host.error?.code], ['rolled_back', 'VERIFY_FAILED'], JSON.stringify(host));
    assert.ok(host.steps.some((s) => s.step === 'switch' && s.status === 'skip'), JSON.stringify(host.steps));
    assert.equal(f.machine.active, 'go1.26.8');
    assert.doesNotMatch(readFileSync(local(`${VDIR}\\.gofleet\\state`), 'utf8'), /verify_pending/);
  });

  test('a host cut between the two renames (goroot missing, the new junction beside it) is repaired by the next run', async () => {
    f.machine = newWindowsMachine();
    cutBetweenRenames(f.h, f.machine, { goroot: GOROOT, vdir: VDIR, from: 'go1.26.8', to: 'go1.27.3', pid: 4412 });
    const before = (await run('facts', '--json')).json().hosts[0];
    assert.deepEqual([before.goroot.state, before.go], ['missing', null], JSON.stringify(before.goroot));
    const r = await run('use', 'go1.27.3', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const host: HostRow = r.json().hosts[0];
    assert.equal(host.status, 'switched', JSON.stringify(host));
    assert.ok(host.warnings?.includes(`repaired ${GOROOT}, left missing by a run stopped in the middle of a switch: it is now a junction to ${VDIR}\\go1.27.3`),
      JSON.stringify(host.warnings));
    assert.ok(host.steps.some((s) => s.step === 'verify' && s.status === 'ok'), JSON.stringify(host.steps));
    assert.deepEqual(f.machine.besideGoroot, [], 'the leftover junctions of the stopped run are gone');
    const after = (await run('facts', '--json')).json().hosts[0];
    assert.deepEqual([after.goroot.state, after.goroot.target, after.managed.previous, after.managed.unverified ?? null],
      ['link', `${VDIR}\\go1.27.3`, 'go1.26.8', null]);
  });
});

describe('Windows prune on a host cut between the renames (fake host, controller side)', { timeout: 180_000 }, () => {
  const { f, run, wipe } = fixture('winprunecut');

  test('prune repairs goroot first, so the version the repaired junction points to is kept', async () => {
    wipe();
    f.machine = newWindowsMachine();
    installVersion(f.h, VDIR, 'go1.26.8');
    installVersion(f.h, VDIR, 'go1.27.3');
    // `use go1.26.8` from go1.27.3, stopped with goroot missing
    cutBetweenRenames(f.h, f.machine, { goroot: GOROOT, vdir: VDIR, from: 'go1.27.3', to: 'go1.26.8', pid: 4416 });
    const r = await run('prune', '--keep', '1', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const host: HostRow & { removed: string[] } = r.json().hosts[0];
    assert.deepEqual([host.status, host.removed], ['unchanged', []], JSON.stringify(host)); // nothing removed
    assert.ok(host.warnings?.some((w) => w.startsWith(`repaired ${GOROOT}, left missing by a run stopped in the middle of a switch`)), JSON.stringify(host.warnings));
    assert.equal(f.machine.active, 'go1.26.8');
    assert.ok(existsSync(f.h.drives.toLocal(`${VDIR}\\go1.26.8\\bin\\go.exe`)));
  });
});

describe('Windows host lock: stale and live holders (fake host, controller side)', { timeout: 180_000 }, () => {
  const { f, run, src } = fixture('winlock');

  test('a lock whose holder pid is gone is stale: taken over with a warning, the switch goes through', async () => {
    f.machine = newWindowsMachine({ active: 'go1.26.8', lock: { run: 'run-dead', pid: 9004 } });
    installVersion(f.h, VDIR, 'go1.26.8');
    installVersion(f.h, VDIR, 'go1.27.3');
    const facts = (await run('facts', '--json')).json().hosts[0];
    assert.deepEqual([facts.lock?.pid, facts.lock?.stale], ['9004', true], JSON.stringify(facts.lock));
    const r = await run('use', 'go1.27.3', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const host: HostRow = r.json().hosts[0];
    assert.equal(host.status, 'switched', JSON.stringify(host));
    assert.ok(host.warnings?.includes('took over a stale lock (pid=9004 run=run-dead since=2026-01-01T00:00:00Z start=20260101000000000)'), JSON.stringify(host.warnings));
    assert.equal(f.machine.active, 'go1.27.3');
    assert.equal(f.machine.lock, null);
  });

  test('a lock whose holder runs: plan skips the host HOST_LOCKED, prune fails HOST_LOCKED, nothing changed', async () => {
    f.machine = newWindowsMachine({ active: 'go1.27.3', lock: { run: 'run-live', pid: 9008 }, alive: [9008] });
    installVersion(f.h, VDIR, 'go1.24.13');
    const plan = await run('plan', '--to', 'go1.26.8', '--json', ...src());
    const planned = plan.json().waves.flatMap((w: { hosts: unknown[] }) => w.hosts)[0];
    assert.match(JSON.stringify(planned), /HOST_LOCKED/);
    const r = await run('prune', '--keep', '1', '--yes', '--json');
    assert.notEqual(r.code, 0, r.stdout + r.stderr);
    const host: HostRow = r.json().hosts[0];
    assert.equal(host.error?.code, 'HOST_LOCKED', JSON.stringify(host));
    assert.match(host.error?.message ?? '', /held by pid 9008 \(run run-live/);
    assert.deepEqual(f.machine.lock, { run: 'run-live', pid: 9008 });
    assert.ok(existsSync(f.h.drives.toLocal(`${VDIR}\\go1.24.13`)));
  });
});
