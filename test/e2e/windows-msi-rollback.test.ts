// `use` and `rollback` on a Windows host whose goroot is an MSI install (after `upgrade --method msi`), end to end
// through the real CLI (in-process) against the fake Windows OpenSSH host and its MSI model
// (test/harness/fake-windows-msi-model.ts). The engine decides from the facts (plan-msi-switch.ts): the wanted
// version's .msi reinstalled from the host's cache by the MSI script, verified, the current one reinstalled on
// failure; a refusal (MSI_NOT_CACHED) that touches nothing when the .msi is not cached; never a junction over an
// MSI-owned goroot. Controller side only: no msiexec runs here.
import { before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { FixtureArchive } from '../harness/toolchains.ts';
import { installVersion, newWindowsMachine } from '../harness/fake-windows-host-model.ts';
import { newWindowsMsi } from '../harness/fake-windows-msi-model.ts';
import { gofleet } from './helpers.ts';
import type { HostRow } from './windows-fleet-assert.ts';
import { msiCacheHolds, useWindowsFleet, VDIR, windowsMsis } from './windows-fleet.ts';

const OLD_MSI = 'go1.26.8.windows-amd64.msi';
const NEW_MSI = 'go1.27.3.windows-amd64.msi';

describe('Windows use / rollback on an MSI goroot, end to end (fake host, controller side)', { timeout: 180_000 }, () => {
  const machine = newWindowsMachine();
  const fleet = useWindowsFleet({ transport: 'ssh', prefix: 'gofleet-winmsi-rb-', archives: windowsMsis, hosts: [{ machine, installed: [] }], runArgs: (f) => f.src() });
  const { run } = fleet;
  let oldMsi: FixtureArchive;
  let newMsi: FixtureArchive;
  const host = (r: { json(): { hosts: HostRow[] } }): HostRow => r.json().hosts[0] as HostRow;
  const cacheHolds = (files: FixtureArchive[]): void => msiCacheHolds(fleet.host, files);
  /** go1.26.8 by its MSI, then `upgrade --method msi` to go1.27.3: both .msi cached, previous go1.26.8 recorded */
  const upgradeViaMsi = async (): Promise<void> => {
    const r = await run('upgrade', '--to', 'go1.27.3', '--method', 'msi', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(host(r).status, 'upgraded');
    assert.deepEqual([machine.msi?.installed, machine.previous], ['go1.27.3', 'go1.26.8']);
    machine.msi!.runs = [];
  };

  before(() => {
    oldMsi = fleet.archive(OLD_MSI);
    newMsi = fleet.archive(NEW_MSI);
  });
  beforeEach(() => {
    machine.active = null;
    machine.previous = null;
    machine.lock = null;
    machine.inject = {};
    machine.msi = newWindowsMsi({ installed: 'go1.26.8' });
    rmSync(fleet.host.drives.toLocal(VDIR), { recursive: true, force: true });
    cacheHolds([oldMsi]);
  });

  test('upgrade --method msi, then rollback: the previous MSI reinstalled from the host cache, verified, switched', async () => {
    await upgradeViaMsi();
    const ran = machine.ran.length;
    const r = await run('rollback', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const row = host(r);
    assert.deepEqual([row.status, row.from, row.to, row.error], ['switched', 'go1.27.3', 'go1.26.8', null], JSON.stringify(row));
    assert.deepEqual(machine.ran.slice(ran), ['facts', 'msi']);
    assert.deepEqual(machine.msi?.runs, [`/i ${OLD_MSI}`]);
    assert.deepEqual([machine.msi?.installed, machine.active, machine.previous], ['go1.26.8', null, 'go1.27.3']);
    assert.ok(row.steps.some((s) => s.step === 'verify' && s.status === 'ok'), JSON.stringify(row.steps));
    // nothing pushed: the .msi came from the host's cache
    assert.ok(!fleet.host.sftpLog.some((l) => l.startsWith('OPEN /C:/') && l.includes(OLD_MSI)), fleet.host.sftpLog.join('\n'));
    // and a second rollback goes forward again, the same way
    const back = await run('rollback', '--yes', '--json');
    assert.equal(back.code, 0, back.stdout + back.stderr);
    assert.deepEqual([host(back).status, host(back).to, machine.msi?.installed], ['switched', 'go1.27.3', 'go1.27.3']);
  });

  test('rollback with the old .msi gone from the cache: MSI_NOT_CACHED with its hint, nothing run, the host still on its MSI go', async () => {
    await upgradeViaMsi();
    // a side-by-side copy of the old version does not tempt it into a junction over the MSI's goroot
    installVersion(fleet.host, VDIR, 'go1.26.8');
    cacheHolds([newMsi]);
    const ran = machine.ran.length;
    const r = await run('rollback', '--yes', '--json');
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const row = host(r);
    assert.deepEqual([row.status, row.error?.code], ['failed', 'MSI_NOT_CACHED'], JSON.stringify(row));
    assert.match(row.error?.message ?? '', /go1\.26\.8\.windows-amd64\.msi is not in the host's MSI cache/);
    assert.match(row.error?.hint ?? '', /gofleet upgrade --to VERSION --method msi/);
    assert.deepEqual(machine.ran.slice(ran), ['facts']);
    assert.deepEqual([machine.msi?.runs, machine.msi?.installed, machine.active], [[], 'go1.27.3', null]);
    // the host still answers its go: the next facts read the MSI install at goroot
    const facts = await gofleet('facts', '--json', '-i', fleet.inventory);
    assert.equal(facts.code, 0, facts.stdout + facts.stderr);
    assert.match(facts.stdout, /go1\.27\.3/);
  });

  test('use VERSION of a cached MSI: installed from the cache and verified; a failed verification reinstalls the current MSI', async () => {
    machine.msi = newWindowsMsi({ installed: 'go1.27.3' });
    cacheHolds([oldMsi, newMsi]);
    machine.inject.verifyFails = 'go1.26.8';
    const failed = await run('use', 'go1.26.8', '--yes', '--json');
    assert.equal(failed.code, 2, failed.stdout + failed.stderr);
    assert.deepEqual([host(failed).status, host(failed).error?.code], ['rolled_back', 'VERIFY_FAILED'], JSON.stringify(host(failed)));
    assert.deepEqual([machine.msi.runs, machine.msi.installed], [[`/i ${OLD_MSI}`, `/i ${NEW_MSI}`], 'go1.27.3']);
    machine.inject = {};
    machine.msi.runs = [];
    const r = await run('use', 'go1.26.8', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual([host(r).status, host(r).from, host(r).to], ['switched', 'go1.27.3', 'go1.26.8'], JSON.stringify(host(r)));
    assert.deepEqual([machine.msi.runs, machine.msi.installed, machine.active], [[`/i ${OLD_MSI}`], 'go1.26.8', null]);
    const again = await run('use', 'go1.26.8', '--yes', '--json');
    assert.deepEqual([again.code, host(again).status, machine.msi.runs.length], [0, 'unchanged', 1]);
  });
});
