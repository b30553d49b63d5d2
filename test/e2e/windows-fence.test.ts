// Fencing tokens on Windows (issue 14), end to end through the engine under EngineContext.fence against the fake
// Windows OpenSSH host playing the machine model (fake-windows-host-model.ts: the lock's token, machine.fences).
// This proves the CONTROLLER side (the token reaches the scripts, a lower token's live lock is not a HOST_LOCKED for
// the planner, LEASE_LOST comes back as the host's failure with goroot untouched); the scripts' own checks are
// ps-fence.ts, parsed by the PowerShell 5.1 checker in the snapshot tests and run on a real host by windows-e2e.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newWindowsMachine } from '../harness/fake-windows-host-model.ts';
import { fencedUpgrade, fencedUse, type FencedOptions } from './fenced-host.ts';
import { useWindowsFleet } from './windows-fleet.ts';

const RUN = '20261203-121500-winfence';

describe('Windows over OpenSSH: fencing tokens (fake host, controller side)', { timeout: 180_000 }, () => {
  const machine = newWindowsMachine({ active: 'go1.26.8' });
  const fleet = useWindowsFleet({ transport: 'ssh', prefix: 'gofleet-winfence-', hosts: [{ machine, installed: ['go1.26.8'] }] });
  const opts = (token: number): FencedOptions => ({ inventory: fleet.inventory, run: RUN, token, archives: fleet.archives });
  const lockSteps = (steps: { step: string; status: string; code?: string; message?: string }[]): string =>
    steps.filter((s) => s.step === 'lock').map((s) => `${s.status} ${s.code ?? ''} ${s.message ?? ''}`).join(' | ');

  test('a live lock of this run under a lower token is taken over; the lock step says that worker lost its lease', async () => {
    machine.lock = { run: RUN, pid: 4242, token: 5 };
    machine.alive = [4242];
    const { result } = await fencedUpgrade(opts(6), 'go1.27.3');
    assert.equal(result.status, 'upgraded', JSON.stringify(result));
    assert.match(lockSteps(result.steps), /ok {2}took over the lock of run \S+ from pid 4242 \(fencing token 5, this script holds 6\): that worker lost its lease/);
    assert.equal(machine.active, 'go1.27.3');
    assert.deepEqual(machine.fences, { [RUN]: 6 });
    assert.equal(machine.lock, null, 'released');
  });

  test('the older worker wakes up later: its use (a switch) is refused by the recorded token, goroot untouched', async () => {
    const { result } = await fencedUse(opts(5), 'go1.26.8');
    assert.equal(result.status, 'failed', JSON.stringify(result));
    assert.equal(result.error?.code, 'LEASE_LOST');
    assert.match(result.error?.message ?? '', /fencing token 6 of run \S+ is recorded on this host \(this script holds 5\)/);
    assert.equal(machine.active, 'go1.27.3');
  });

  test('the lock taken over while the script stages: its switch is refused, goroot untouched, the newer lock kept', async () => {
    machine.inject.takeOverBeforeSwitch = 8;
    const { result } = await fencedUse(opts(7), 'go1.26.8');
    assert.equal(result.status, 'failed', JSON.stringify(result));
    assert.equal(result.error?.code, 'LEASE_LOST', JSON.stringify(result));
    assert.match(result.error?.message ?? '', /taken over under fencing token 8 .*this script holds 7/);
    assert.equal(machine.active, 'go1.27.3');
    assert.equal(machine.lock?.token, 8, 'the newer worker keeps its lock');
    assert.equal(result.steps.some((s) => s.step === 'unlock'), false, 'no unlock of a lock that is not its');
  });

  test('a live lock of the same lease (same token) is HOST_LOCKED as without fencing; a higher token takes it over', async () => {
    machine.lock = { run: RUN, pid: 4242, token: 8 };
    machine.alive = [4242, 7007];
    const same = (await fencedUse(opts(8), 'go1.26.8')).result;
    assert.equal(same.error?.code, 'HOST_LOCKED', JSON.stringify(same));
    assert.equal(machine.active, 'go1.27.3');
    const { result } = await fencedUse(opts(9), 'go1.26.8');
    assert.equal(result.status, 'switched', JSON.stringify(result));
    assert.equal(machine.active, 'go1.26.8');
  });
});
