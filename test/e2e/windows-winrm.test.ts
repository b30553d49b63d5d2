// Windows over WinRM, end to end through the real CLI (in-process) against the loopback fake WinRM host
// (test/harness/fake-winrm-server.ts) behind the real auth layer (NTLMv2 with message encryption over http, as a
// stock host speaks), playing the same machine model as the OpenSSH flow (fake-windows-host-model.ts): facts,
// upgrade with the zip copied through the shell (base64 lines, SHA-256 checked on the host), an unchanged rerun,
// use and rollback, a verification failure rolled back. Controller side and protocol only: no PowerShell runs
// here and this is not Windows.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENCRYPTED_CONTENT_TYPE } from '../../src/transport/winrm/encryption.ts';
import { startFakeWinrmHost } from '../harness/fake-winrm-server.ts';
import { createWinrmServerAuth } from '../harness/fake-winrm-auth.ts';
import { withFileCopy } from '../harness/fake-windows-file-copy.ts';
import { newWindowsMachine, windowsHostModel } from '../harness/fake-windows-host-model.ts';
import { gofleet } from './helpers.ts';
import { assertUseThenRollback, assertVerifyFailureRolledBack, factsHost, type HostRow } from './windows-fleet-assert.ts';
import { useWindowsFleet, VDIR } from './windows-fleet.ts';

const PASS_ENV = 'GOFLEET_E2E_WINRM_PASSWORD';

describe('Windows over WinRM (NTLM, sealed), end to end (fake host, controller side)', { timeout: 180_000 }, () => {
  const machine = newWindowsMachine({ active: 'go1.26.8' });
  const fleet = useWindowsFleet({ transport: 'winrm', prefix: 'gofleet-winrm-e2e-', winrm: { password: 'Winrm-e2e-pa55!', passEnv: PASS_ENV }, hosts: [{ machine }] });
  const { run, src } = fleet;

  test('facts over WinRM: os windows, the goroot junction; one logon, every message sealed, one shell', async () => {
    const host = await factsHost(fleet);
    assert.equal(host.os, 'windows');
    assert.equal(host.go?.version, 'go1.26.8');
    assert.deepEqual(host.managed.versions, ['go1.26.8']);
    assert.deepEqual(fleet.auth.logons.map((l) => l.ok), [true]);
    assert.deepEqual([...new Set(fleet.host.requests.map((q) => q.contentType))], [ENCRYPTED_CONTENT_TYPE]);
    assert.equal(fleet.host.requests.filter((q) => q.action === 'Create').length, 1);
    assert.equal(fleet.host.shells(), 0, 'the shell is deleted when the run ends');
  });

  test('upgrade go1.26.8 -> go1.27.3: the zip copied through the shell with its SHA-256; then an unchanged rerun', async () => {
    const r = await run('upgrade', '--to', 'go1.27.3', '--yes', '--json', ...src());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const host: HostRow = r.json().hosts[0];
    assert.deepEqual([host.status, host.from, host.to, host.error], ['upgraded', 'go1.26.8', 'go1.27.3', null]);
    assert.ok(host.steps.some((s) => s.step === 'upload' && s.status === 'ok'), JSON.stringify(host.steps));
    assert.ok(fleet.host.scripts.some((s) => /^# gofleet-script: receive-file$/m.test(s) && s.includes(fleet.archive('go1.27.3.windows-amd64.zip').sha256)), 'the host checked the SHA-256');
    const cachedZip = fleet.host.drives.toLocal(`${VDIR}\\.gofleet\\cache\\go1.27.3.windows-amd64.zip`);
    assert.equal(createHash('sha256').update(readFileSync(cachedZip)).digest('hex'), fleet.archive('go1.27.3.windows-amd64.zip').sha256);
    assert.equal(machine.active, 'go1.27.3');
    const again = await run('upgrade', '--to', 'go1.27.3', '--yes', '--json', ...src());
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(again.json().hosts[0].status, 'unchanged');
  });

  test('use go1.26.8 switches back; rollback returns to go1.27.3', () => assertUseThenRollback(fleet));

  test('a verification failure is rolled_back (exit 2), the old version active again', () =>
    assertVerifyFailureRolledBack(fleet, 'use', 'go1.27.3', '--yes', '--json'));

  test('a host whose WinRM caps a shell below 1024 MB: facts warn that a verification build may be killed by it', async () => {
    const low = await startFakeWinrmHost({ auth: createWinrmServerAuth({ users: { deploy: 'Winrm-e2e-pa55!' } }), operationTimeoutMs: 300,
      config: { maxMemoryPerShellMB: 150 }, respond: withFileCopy((script, ctx) => windowsHostModel(newWindowsMachine({ active: 'go1.26.8' }))(script, ctx)) });
    try {
      const inv = join(fleet.dir, 'low.yml');
      writeFileSync(inv, readFileSync(fleet.inventory, 'utf8').replace(`port: ${fleet.host.port}`, `port: ${low.port}`));
      const r = await gofleet('facts', '--json', '-i', inv);
      const host = r.json().hosts[0];
      assert.equal(host.error, null, JSON.stringify(host.error));
      assert.ok(host.warnings.some((w: string) => /WinRM lets a shell use 150 MB at most .*MaxMemoryPerShellMB/.test(w)), JSON.stringify(host.warnings));
      const fine = (await run('facts', '--json')).json().hosts[0];
      assert.deepEqual(fine.warnings.filter((w: string) => /MaxMemoryPerShellMB/.test(w)), []);
    } finally {
      await low.stop();
    }
  });

  test('every request was answered by the host (no HTTP error, no unknown statement)', () => {
    assert.deepEqual(fleet.host.requests.filter((q) => q.status !== 200 && q.status !== 500), []);
    assert.deepEqual(fleet.host.unrecognized, []);
  });
});
