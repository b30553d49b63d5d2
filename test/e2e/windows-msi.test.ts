// `plan|upgrade --method msi` on a Windows host, end to end through the real CLI (in-process) against the fake
// Windows OpenSSH host (test/harness/fake-windows-sshd.ts) playing the MSI part of the machine model
// (test/harness/fake-windows-msi-model.ts). This proves the CONTROLLER side only: the .msi (the release file of
// kind installer) chosen, pushed at its /C:/ path and checked by SHA-256, the MSI script sent, msiexec's exit
// codes as the script reports them (1618 retried, 3010 a warning, a failure with its log tail), the rollback
// reported. No msiexec runs here (the windows-e2e workflow does that). The .msi files are fixtures with the
// official names; their bytes are not an MSI.
import { before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FixtureArchive } from '../harness/toolchains.ts';
import { newWindowsMachine } from '../harness/fake-windows-host-model.ts';
import { newWindowsMsi } from '../harness/fake-windows-msi-model.ts';
import { gofleet } from './helpers.ts';
import type { HostRow } from './windows-fleet-assert.ts';
import { GOROOT, msiCacheHolds, useWindowsFleet, VDIR, windowsMsis } from './windows-fleet.ts';

const CACHE = `${VDIR}\\.gofleet\\cache`;
const OLD_MSI = 'go1.26.8.windows-amd64.msi';
const NEW_MSI = 'go1.27.3.windows-amd64.msi';

describe('Windows --method msi, end to end (fake host, controller side)', { timeout: 180_000 }, () => {
  const machine = newWindowsMachine();
  const fleet = useWindowsFleet({ transport: 'ssh', prefix: 'gofleet-winmsi-', archives: windowsMsis, hosts: [{ machine, installed: [] }] });
  const { run, src } = fleet;
  let oldMsi: FixtureArchive;
  let newMsi: FixtureArchive;
  const planHost = async (): Promise<{ doc: Record<string, unknown>; host: Record<string, unknown> }> => {
    const r = await run('plan', '--to', 'go1.27.3', '--method', 'msi', '--json', ...src());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const doc = r.json();
    return { doc, host: doc.waves.flatMap((w: { hosts: unknown[] }) => w.hosts)[0] };
  };
  /** the host's MSI cache as an earlier MSI upgrade by gofleet left it: go1.26.8's .msi, or nothing */
  const cacheHolds = (files: FixtureArchive[]): void => msiCacheHolds(fleet.host, files);

  before(() => {
    oldMsi = fleet.archive(OLD_MSI);
    newMsi = fleet.archive(NEW_MSI);
  });
  beforeEach(() => {
    // go1.26.8 installed by its MSI at goroot (a plain directory), its .msi in the host's cache
    machine.active = null;
    machine.lock = null;
    machine.inject = {};
    machine.msi = newWindowsMsi({ installed: 'go1.26.8' });
    cacheHolds([oldMsi]);
  });

  test('plan --method msi: an msi action, the one-Go-per-arch note and how it rolls back; only facts run', async () => {
    const ran = machine.ran.length;
    const { doc, host } = await planHost();
    assert.equal(doc.method, 'msi');
    assert.deepEqual([host.from, host.to, host.actions, host.skip], ['go1.26.8', 'go1.27.3', ['stage', 'msi', 'verify'], null]);
    assert.deepEqual(host.notes, [
      'the MSI keeps one Go per architecture and removes the other version',
      `rollback: reinstalls ${OLD_MSI} from the host's MSI cache`,
    ]);
    assert.deepEqual(machine.ran.slice(ran), ['facts']);
    const text = await run('plan', '--to', 'go1.27.3', '--method', 'msi', ...src());
    assert.equal(text.code, 0, text.stdout + text.stderr);
    assert.match(text.stdout, /plan: upgrade to go1\.27\.3 with the official MSI/);
    assert.match(text.stdout, /stage, msi, verify/);
    assert.match(text.stdout, /note: win-1: the MSI keeps one Go per architecture and removes the other version/);
  });

  test('plan --method msi refuses what it could not roll back or should not touch: no cached MSI, a junction', async () => {
    cacheHolds([]);
    const none = (await planHost()).host;
    assert.deepEqual(none.actions, []);
    assert.equal((none.skip as { code: string }).code, 'MSI_NO_ROLLBACK', JSON.stringify(none));
    assert.match((none.skip as { message: string }).message, /go1\.26\.8\.windows-amd64\.msi is not in the host's MSI cache/);
    machine.msi = newWindowsMsi();
    machine.active = 'go1.26.8';
    const junction = (await planHost()).host;
    assert.equal((junction.skip as { code: string }).code, 'MSI_NOT_APPLICABLE', JSON.stringify(junction));
    // and upgrade leaves such a host as it is (skipped), no script beyond the facts
    const ran = machine.ran.length;
    const r = await run('upgrade', '--to', 'go1.27.3', '--method', 'msi', '--yes', '--json', ...src());
    const row: HostRow = r.json().hosts[0];
    assert.deepEqual([row.status, row.error?.code], ['skipped', 'MSI_NOT_APPLICABLE'], JSON.stringify(row));
    assert.deepEqual(machine.ran.slice(ran), ['facts']);
  });

  test('--method msi where every selected host is declared POSIX: BAD_OPTION before any host is contacted', async () => {
    const posix = join(fleet.dir, 'posix.yml');
    writeFileSync(posix, ['hosts:', `  lin-1: { address: 127.0.0.1, port: ${fleet.host.port}, user: ${fleet.host.user}, identity: ${fleet.host.clientKey}, known_hosts: ${fleet.host.knownHostsPath}, os: linux }`, ''].join('\n'));
    const connections = fleet.host.connectionCount();
    for (const cmd of [['plan'], ['upgrade', '--yes']]) {
      const r = await gofleet(...cmd, '--to', 'go1.27.3', '--method', 'msi', '-i', posix, ...src());
      assert.equal(r.code, 5, r.stdout + r.stderr);
      assert.match(r.stderr, /BAD_OPTION.*--method msi installs the official Windows MSI, and every selected host is declared linux/);
    }
    assert.equal(fleet.host.connectionCount(), connections, 'no host contacted');
  });

  test('upgrade --method msi: the .msi pushed and cached, 1618 retried, journalled as method msi; then unchanged', async () => {
    machine.msi = newWindowsMsi({ installed: 'go1.26.8', exitCodes: [1618, 0] });
    const r = await run('upgrade', '--to', 'go1.27.3', '--method', 'msi', '--yes', '--json', ...src());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.json().method, 'msi');
    const host: HostRow = r.json().hosts[0];
    assert.deepEqual([host.status, host.from, host.to, host.error, host.warnings], ['upgraded', 'go1.26.8', 'go1.27.3', null, []]);
    assert.equal(machine.ran.at(-1), 'msi');
    assert.deepEqual(machine.msi.runs, [`/i ${NEW_MSI}`, `/i ${NEW_MSI}`]);
    assert.equal(machine.msi.installed, 'go1.27.3');
    const upload = fleet.host.sftpLog.find((l) => l.startsWith('OPEN /C:/') && l.includes(NEW_MSI));
    assert.ok(upload, fleet.host.sftpLog.join('\n'));
    const cached = readFileSync(fleet.host.drives.toLocal(`${CACHE}\\${NEW_MSI}`));
    assert.equal(createHash('sha256').update(cached).digest('hex'), newMsi.sha256);
    assert.equal(machine.machinePath[0], `${GOROOT}\\bin`);
    const shown = (await gofleet('show', r.json().run, '--json')).json();
    assert.equal(shown.policy.method, 'msi', JSON.stringify(shown.policy));
    const again = await run('upgrade', '--to', 'go1.27.3', '--method', 'msi', '--yes', '--json', ...src());
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(again.json().hosts[0].status, 'unchanged');
  });

  test('msiexec 3010 (reboot needed): upgraded, with the reboot as a warning on the host result', async () => {
    machine.msi = newWindowsMsi({ installed: 'go1.26.8', exitCodes: [3010] });
    const r = await run('upgrade', '--to', 'go1.27.3', '--method', 'msi', '--yes', '--json', ...src());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const host: HostRow = r.json().hosts[0];
    assert.equal(host.status, 'upgraded', JSON.stringify(host));
    assert.ok(host.warnings.some((w) => /exit 3010, the installation needs a reboot/.test(w)), JSON.stringify(host.warnings));
    // the console summary says it too
    machine.msi = newWindowsMsi({ installed: 'go1.26.8', exitCodes: [1641] });
    cacheHolds([oldMsi]);
    const text = await run('upgrade', '--to', 'go1.27.3', '--method', 'msi', '--yes', ...src());
    assert.equal(text.code, 0, text.stdout + text.stderr);
    assert.match(text.stdout, /warning: msiexec go1\.27\.3: exit 1641, the installation needs a reboot/);
  });

  test('msiexec fails (1603): MSI_FAILED with the log tail, rolled back, the old go still installed', async () => {
    machine.msi = newWindowsMsi({ installed: 'go1.26.8', exitCodes: [1603], logTail: 'Action ended: InstallFinalize. Return value 3.' });
    const r = await run('upgrade', '--to', 'go1.27.3', '--method', 'msi', '--yes', '--json', ...src());
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const host: HostRow = r.json().hosts[0];
    assert.deepEqual([host.status, host.error?.code], ['rolled_back', 'MSI_FAILED'], JSON.stringify(host));
    assert.match(host.error?.message ?? '', /exited 1603; log .*Return value 3\./);
    assert.equal(machine.msi.installed, 'go1.26.8');
    assert.ok(host.steps.some((s) => s.step === 'rollback' && s.status === 'ok'), JSON.stringify(host.steps));
  });

  test('verification fails after the MSI: the previous MSI reinstalled from the host cache, rolled_back', async () => {
    machine.inject.verifyFails = 'go1.27.3';
    const r = await run('upgrade', '--to', 'go1.27.3', '--method', 'msi', '--yes', '--json', ...src());
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const host: HostRow = r.json().hosts[0];
    assert.deepEqual([host.status, host.error?.code], ['rolled_back', 'VERIFY_FAILED'], JSON.stringify(host));
    assert.deepEqual(machine.msi?.runs, [`/i ${NEW_MSI}`, `/i ${OLD_MSI}`]);
    assert.equal(machine.msi?.installed, 'go1.26.8');
  });
});
