// Assertions the Windows end-to-end tests (test/e2e/windows-*.test.ts) share, on a fleet of windows-fleet.ts:
// blocks that were the same in the OpenSSH and the WinRM flows.
import assert from 'node:assert/strict';
import type { Transport, WindowsFleet } from './windows-fleet.ts';

export interface HostStep { step: string; status: string; code?: string }

/** A host's row in the JSON of upgrade, use, rollback and prune (the fields these tests read). */
export interface HostRow {
  name: string;
  status: string;
  from: string | null;
  to: string | null;
  error: { code: string; message: string; hint?: string } | null;
  warnings: string[];
  removed?: string[];
  steps: HostStep[];
}

/** `use go1.26.8` switches the first host back from go1.27.3; `rollback` returns it to go1.27.3. */
export async function assertUseThenRollback(fleet: WindowsFleet<Transport>): Promise<void> {
  const use = await fleet.run('use', 'go1.26.8', '--yes', '--json');
  assert.equal(use.code, 0, use.stdout + use.stderr);
  assert.equal(fleet.machine.active, 'go1.26.8');
  const back = await fleet.run('rollback', '--yes', '--json');
  assert.equal(back.code, 0, back.stdout + back.stderr);
  assert.equal(fleet.machine.active, 'go1.27.3');
}

/** From go1.26.8, `args` (a switch to go1.27.3) fails its verification: rolled_back, VERIFY_FAILED, exit 2, go1.26.8 active. */
export async function assertVerifyFailureRolledBack(fleet: WindowsFleet<Transport>, ...args: string[]): Promise<void> {
  const { machine } = fleet;
  machine.active = 'go1.26.8';
  machine.inject.verifyFails = 'go1.27.3';
  try {
    const r = await fleet.run(...args);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const host: HostRow = r.json().hosts[0];
    assert.equal(host.status, 'rolled_back', JSON.stringify(host));
    assert.equal(host.error?.code, 'VERIFY_FAILED');
    assert.equal(machine.active, 'go1.26.8');
  } finally {
    machine.inject.verifyFails = undefined;
  }
}

/** `facts --json` on the fleet exits 0 and reads the first host without an error: its entry. */
export async function factsHost<T = any>(fleet: WindowsFleet<Transport>): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await fleet.run('facts', '--json');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const host = r.json().hosts[0];
  assert.equal(host.error, null, JSON.stringify(host.error));
  return host as T;
}
