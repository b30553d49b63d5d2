// Windows: files held open during a rename, end to end through the real CLI against the fake Windows OpenSSH
// host playing the machine model (test/harness/fake-windows-host-model.ts, locks: fake-windows-locks.ts).
// Windows refuses to rename a directory while a file in it is open (an antivirus scan of freshly extracted
// files, a go.exe still running from a toolchain); the scripts' gf_move_dir retries with backoff (0.5..8 s,
// scaled down by the model) and, when the file stays open, stage fails FILES_IN_USE naming the process when
// its executable lies in the directory, while prune keeps the version with a warning. This proves the
// CONTROLLER side only (how it reads those outcomes); the retries themselves run on a real Windows host only.
// A go.exe whose executable lies in a managed version is also in the facts (`busy`), so the engine drains first;
// the stage meets it only with --force (or when it starts after the facts were read).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { installVersion, markFailed, newWindowsMachine } from '../harness/fake-windows-host-model.ts';
import type { HostRow } from './windows-fleet-assert.ts';
import { useWindowsFleet, VDIR } from './windows-fleet.ts';

const GO_EXE = { name: 'go.exe', pid: 6112, exe: `${VDIR}\\go1.27.3\\bin\\go.exe` };

describe('Windows over OpenSSH: files held open during a rename (fake host, controller side)', { timeout: 180_000 }, () => {
  const machine = newWindowsMachine({ active: 'go1.26.8' });
  const fleet = useWindowsFleet({ transport: 'ssh', prefix: 'gofleet-winlock-', hosts: [{ machine }] });
  const { run, src } = fleet;
  const upgrade = async (...more: string[]): Promise<{ code: number; host: HostRow; out: string }> => {
    const r = await run('upgrade', '--to', 'go1.27.3', '--yes', '--json', ...src(), ...more);
    return { code: r.code, host: r.json().hosts[0] as HostRow, out: r.stdout + r.stderr };
  };
  const stageRenames = () => machine.moves.filter((x) => x.to === `${VDIR}\\go1.27.3`);

  test('antivirus holds the extracted tree past every retry: FILES_IN_USE without a name, goroot untouched', async () => {
    machine.locks = [{ file: `${VDIR}\\.tmp-go1.27.3-*\\go\\bin\\go.exe`, refusals: Infinity }];
    const { code, host, out } = await upgrade();
    assert.notEqual(code, 0, out);
    assert.equal(host.status, 'failed', JSON.stringify(host));
    assert.equal(host.error?.code, 'FILES_IN_USE');
    assert.match(host.error?.message ?? '', /cannot rename the extracted tree to .*go1\.27\.3: a file in it is open \(antivirus/);
    assert.match(host.error?.hint ?? '', /antivirus/);
    assert.deepEqual(stageRenames().map((x) => [x.attempts, x.ok]), [[6, false]], 'tried six times');
    assert.equal(machine.active, 'go1.26.8');
    assert.equal(machine.lock, null, 'the host lock was released');
  });

  test('antivirus lets go of the extracted tree during the retries: upgraded', async () => {
    machine.moves = [];
    machine.locks = [{ file: `${VDIR}\\.tmp-go1.27.3-*\\go\\bin\\go.exe`, refusals: 2 }];
    const { code, host, out } = await upgrade();
    assert.equal(code, 0, out);
    assert.deepEqual([host.status, host.error], ['upgraded', null]);
    assert.deepEqual(stageRenames().map((x) => [x.attempts, x.ok]), [[3, true]], 'refused twice, then renamed');
    // the tree the failed run left (antivirus held it) is still held: the sweep under the lock says so
    assert.ok(host.warnings?.some((w) => /^could not remove the leftover .*\\\.tmp-go1\.27\.3-\d+$/.test(w)), JSON.stringify(host.warnings));
    assert.equal(machine.active, 'go1.27.3');
  });

  test('a go.exe running from a managed version shows in the facts (busy): the upgrade drains, then skips the host untouched', async () => {
    machine.locks = [];
    const back = await run('use', 'go1.26.8', '--yes', '--json');
    assert.equal(back.code, 0, back.stdout + back.stderr);
    // the scan is over: this run's sweep removed the tree the first test's run left
    const warnings = (back.json().hosts[0] as HostRow).warnings;
    assert.ok(warnings?.some((w) => /^removed what earlier runs that did not finish left behind: \.tmp-go1\.27\.3-\d+$/.test(w)), JSON.stringify(warnings));
    markFailed(fleet.host, VDIR, 'go1.27.3'); // failed verification earlier: restaged, its old tree moved aside first
    machine.moves = [];
    machine.locks = [{ file: GO_EXE.exe, process: GO_EXE, refusals: Infinity }];
    const ran = machine.ran.length;
    const { code, host, out } = await upgrade('--drain-timeout', '1s');
    assert.notEqual(code, 0, out);
    assert.equal(host.error?.code, 'HOST_BUSY', JSON.stringify(host));
    assert.match(host.error?.message ?? '', /6112 .*go1\.27\.3\\bin\\go\.exe/);
    assert.ok(machine.ran.slice(ran).every((k) => k === 'facts'), machine.ran.slice(ran).join(' '));
    assert.deepEqual(machine.moves, []);
  });

  test('with --force, that go.exe persists through the retries: FILES_IN_USE naming it, with the hint; go1.26.8 still active and answering', async () => {
    const { code, host, out } = await upgrade('--force');
    assert.notEqual(code, 0, out);
    assert.equal(host.status, 'failed', JSON.stringify(host));
    assert.equal(host.error?.code, 'FILES_IN_USE');
    assert.match(host.error?.message ?? '', /cannot move the incomplete .*go1\.27\.3 away: in use by go\.exe \(pid 6112\)/);
    assert.match(host.error?.hint ?? '', /stop the process the message names/);
    assert.equal(machine.moves.at(-1)?.attempts, 6);
    assert.equal(machine.active, 'go1.26.8');
    assert.ok(existsSync(fleet.host.drives.toLocal(`${VDIR}\\go1.26.8\\bin\\go.exe`)));
    const facts = await run('facts', '--json');
    assert.equal(facts.code, 0, facts.stdout + facts.stderr);
    const f = facts.json().hosts[0];
    assert.equal(f.go?.version, 'go1.26.8', 'the old go still answers');
    assert.equal(f.lock ?? null, null, JSON.stringify(f.lock));
  });

  test('that go.exe exits during the retries: the restage goes through, upgraded', async () => {
    machine.moves = [];
    machine.locks = [{ file: GO_EXE.exe, process: GO_EXE, refusals: 3 }];
    const { code, host, out } = await upgrade('--force');
    assert.equal(code, 0, out);
    assert.deepEqual([host.status, host.error], ['upgraded', null]);
    assert.deepEqual(machine.moves.map((x) => [x.from, x.attempts, x.ok]).slice(0, 1), [[`${VDIR}\\go1.27.3`, 4, true]]);
    assert.equal(machine.active, 'go1.27.3');
  });

  test('prune: a version a go.exe runs from is kept with a warning naming it; one antivirus holds for a moment is removed', async () => {
    installVersion(fleet.host, VDIR, 'go1.25.9');
    installVersion(fleet.host, VDIR, 'go1.24.13');
    machine.previous = 'go1.26.8';
    machine.moves = [];
    machine.locks = [
      { file: `${VDIR}\\go1.25.9\\bin\\go.exe`, process: { name: 'go.exe', pid: 7020, exe: `${VDIR}\\go1.25.9\\bin\\go.exe` }, refusals: Infinity },
      { file: `${VDIR}\\go1.24.13\\pkg\\tool\\compile.exe`, refusals: 1 },
    ];
    const r = await run('prune', '--keep', '2', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const host: HostRow = r.json().hosts[0];
    assert.deepEqual([host.status, host.removed], ['pruned', ['go1.24.13']], JSON.stringify(host));
    assert.ok(host.warnings?.some((w) => /kept go1\.25\.9: go\.exe \(pid 7020\) runs from/.test(w)), JSON.stringify(host.warnings));
    assert.ok(existsSync(fleet.host.drives.toLocal(`${VDIR}\\go1.25.9`)));
    assert.ok(!existsSync(fleet.host.drives.toLocal(`${VDIR}\\go1.24.13`)));
    assert.deepEqual(machine.moves.map((x) => [x.from, x.attempts, x.ok]), [[`${VDIR}\\go1.24.13`, 2, true]]);
  });
});
