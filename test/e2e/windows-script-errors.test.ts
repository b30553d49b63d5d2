// Windows: a host script that ends without an outcome, end to end through the real CLI against the fake Windows
// OpenSSH host (machine model: test/harness/fake-windows-host-model.ts). What arrives is what Windows PowerShell
// 5.1 writes: the bootstrap's catch as CRLF text (`gofleet: ` + the error record, position block included), or a
// CLIXML error record with its position block. The error message must quote the record's message, not the
// position lines under it. Controller side only.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newWindowsMachine } from '../harness/fake-windows-host-model.ts';
import { gofleet } from './helpers.ts';
import { useWindowsFleet } from './windows-fleet.ts';

const DENIED = `Exception calling "Move" with "2" argument(s): "Access to the path 'C:\\Program Files\\Go' is denied."`;

describe('Windows over OpenSSH: a script that ends without an outcome (fake host, controller side)', { timeout: 120_000 }, () => {
  const machine = newWindowsMachine({ active: 'go1.26.8' });
  const fleet = useWindowsFleet({ transport: 'ssh', prefix: 'gofleet-winerr-', archives: null, hosts: [{ machine, installed: ['go1.26.8', 'go1.27.3'] }] });
  const use = async (): Promise<{ code: string; message: string }> => {
    const r = await gofleet('use', 'go1.27.3', '--yes', '--json', '-i', fleet.inventory);
    const host = r.json().hosts[0] as { error: { code: string; message: string } | null };
    assert.ok(host.error, r.stdout + r.stderr);
    return host.error;
  };

  test("the bootstrap's catch (text, CRLF, exit 1): the message names the exception, not its position", async () => {
    machine.inject.uncaught = DENIED;
    const e = await use();
    assert.equal(e.code, 'REMOTE_FAILED');
    assert.match(e.message, /host script exited 1 without an outcome: gofleet: Exception calling "Move" .*is denied\."/);
    assert.doesNotMatch(e.message, /\r|At line:/);
    assert.equal(machine.active, 'go1.26.8');
  });

  test('a CLIXML error record with its position block: the message is quoted', async () => {
    machine.inject.crash = { exitCode: 3, message: DENIED };
    const e = await use();
    assert.equal(e.code, 'REMOTE_FAILED');
    assert.match(e.message, /host script exited 3 without an outcome: .*Exception calling "Move" .*is denied\."/s);
    assert.doesNotMatch(e.message, /CLIXML|_x000D_|At line:/);
  });
});
