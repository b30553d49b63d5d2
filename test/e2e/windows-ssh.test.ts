// Windows over OpenSSH, end to end through the real CLI (in-process) against the fake Windows OpenSSH host
// (test/harness/fake-windows-sshd.ts, host key checking on) playing the machine model of
// test/harness/fake-windows-host-model.ts. This proves the CONTROLLER side only: the shell probe picking the
// Windows dialect, the bootstrap command line, the scripts sent over stdin, the upload at its /C:/ SFTP path
// with the right SHA-256, the outputs read back. No PowerShell runs here (the windows-e2e workflow does that).
// No real Windows toolchain zip exists on this machine: fakeToolchainArchive builds zips with the official
// names and layout (go1.26.8.windows-amd64.zip, go1.27.3.windows-amd64.zip), served by the HTTP source.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { BOOTSTRAP_SCRIPT, decodeEncodedCommand } from '../../src/platform/windows/bootstrap.ts';
import { installVersion, newWindowsMachine } from '../harness/fake-windows-host-model.ts';
import { gofleet, spawnGofleet, waitFor } from './helpers.ts';
import { assertUseThenRollback, assertVerifyFailureRolledBack, factsHost, type HostRow } from './windows-fleet-assert.ts';
import { GOROOT, useWindowsFleet, VDIR } from './windows-fleet.ts';

describe('Windows over OpenSSH, end to end (fake host, controller side)', { timeout: 180_000 }, () => {
  const machine = newWindowsMachine({ active: 'go1.26.8' });
  const fleet = useWindowsFleet({ transport: 'ssh', prefix: 'gofleet-winssh-', hosts: [{ machine }] });
  const { run, src } = fleet;

  test('facts: os windows, arch, elevated, the goroot junction; sent through the bootstrap, the script over stdin', async () => {
    const host = await factsHost(fleet);
    assert.equal(host.os, 'windows');
    assert.equal(host.arch, 'amd64');
    assert.equal(host.go?.version, 'go1.26.8');
    assert.deepEqual(host.managed.versions, ['go1.26.8']);
    assert.equal(host.privileges.root, true, 'an elevated administrator');
    assert.deepEqual([host.goroot.state, host.goroot.target], ['link', `${VDIR}\\go1.26.8`]);
    // the shell probe first (cmd.exe's echo), then the bootstrap line, whose decoded text is the production bootstrap
    assert.match(fleet.host.commands[0] ?? '', /^echo gofleet-shell/);
    const boot = fleet.host.commands.find((c) => c.startsWith('powershell.exe '));
    assert.equal(decodeEncodedCommand(boot ?? ''), BOOTSTRAP_SCRIPT);
    assert.ok(!boot?.endsWith('; exit $LASTEXITCODE'), 'bare under cmd.exe');
    assert.match(fleet.host.scripts.at(-1) ?? '', /^# gofleet: facts/);
  });

  test('plan: go1.26.8 -> go1.27.3 (stage, switch, verify), nothing run on the host but facts', async () => {
    const ran = machine.ran.length;
    const r = await run('plan', '--to', 'go1.27.3', '--json', ...src());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const host = r.json().waves.flatMap((w: { hosts: unknown[] }) => w.hosts)[0];
    assert.equal(host.from, 'go1.26.8');
    assert.equal(host.to, 'go1.27.3');
    assert.ok(host.actions.includes('switch') && host.actions.includes('verify'), JSON.stringify(host));
    assert.deepEqual(machine.ran.slice(ran), ['facts']);
  });

  test('upgrade go1.26.8 -> go1.27.3: the zip uploaded at its /C:/ path with its SHA-256, cached; then an unchanged rerun', async () => {
    const r = await run('upgrade', '--to', 'go1.27.3', '--yes', '--json', ...src());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const host: HostRow = r.json().hosts[0];
    assert.deepEqual([host.status, host.from, host.to, host.error], ['upgraded', 'go1.26.8', 'go1.27.3', null]);
    assert.ok(host.steps.some((s) => s.step === 'verify' && s.status === 'ok'));
    const upload = fleet.host.sftpLog.find((l) => l.startsWith('OPEN /C:/ProgramData/.gofleet-'));
    assert.ok(upload?.includes('go1.27.3.windows-amd64.zip'), fleet.host.sftpLog.join('\n'));
    const cachedZip = fleet.host.drives.toLocal(`${VDIR}\\.gofleet\\cache\\go1.27.3.windows-amd64.zip`);
    assert.equal(createHash('sha256').update(readFileSync(cachedZip)).digest('hex'), fleet.archive('go1.27.3.windows-amd64.zip').sha256);
    assert.equal(machine.active, 'go1.27.3');
    assert.equal(machine.machinePath[0], `${GOROOT}\\bin`);
    // journalled: history and show agree with what the upgrade printed
    const recorded = (await gofleet('history', '--json')).json().runs[0];
    assert.deepEqual([recorded.id, recorded.command, recorded.status, recorded.counts], [r.json().run, 'upgrade', 'done', { upgraded: 1 }]);
    const shown = (await gofleet('show', r.json().run, '--json')).json();
    assert.deepEqual(shown.hosts.map((x: HostRow) => [x.name, x.status, x.from, x.to]), [['win-1', 'upgraded', 'go1.26.8', 'go1.27.3']]);
    const again = await run('upgrade', '--to', 'go1.27.3', '--yes', '--json', ...src());
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(again.json().hosts[0].status, 'unchanged');
  });

  test('use go1.26.8 switches back; rollback returns to go1.27.3', () => assertUseThenRollback(fleet));

  test('a verification failure is rolled_back (exit 2), the old version active again', () =>
    assertVerifyFailureRolledBack(fleet, 'upgrade', '--to', 'go1.27.3', '--yes', '--json', ...fleet.src()));

  test('a script that dies before its outcome: its exit code and its CLIXML error, decoded, in the message', async () => {
    machine.inject.crash = { exitCode: 3, message: "Access to the path 'C:\\Program Files\\Go' is denied." };
    const r = await run('use', 'go1.27.3', '--yes', '--json');
    assert.equal(machine.active, 'go1.26.8');
    const host: HostRow = r.json().hosts[0];
    assert.equal(host.error?.code, 'REMOTE_FAILED', JSON.stringify(host));
    assert.match(host.error.message, /host script exited 3 without an outcome: .*Access to the path 'C:\\Program Files\\Go' is denied\./s);
    assert.doesNotMatch(host.error.message, /CLIXML|<Objs|_x000D_/);
  });

  test('a connection lost mid-verify: the controller reconnects and reads the outcome back (recover)', async () => {
    machine.active = 'go1.26.8';
    machine.inject.dropMidVerify = true;
    const connections = fleet.host.connectionCount();
    const r = await run('use', 'go1.27.3', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const host: HostRow & { warnings: string[] } = r.json().hosts[0];
    assert.equal(host.status, 'switched', JSON.stringify(host));
    assert.ok(host.warnings.some((w) => /read back from the host/.test(w)), JSON.stringify(host.warnings));
    assert.ok(host.steps.some((s) => s.step === 'recover' && s.status === 'ok'), JSON.stringify(host.steps));
    assert.ok(fleet.host.connectionCount() >= connections + 2, 'reconnected after the drop');
    assert.equal(machine.active, 'go1.27.3');
  });

  test('Ctrl-C twice while verifying (the CLI as a child process): rolled back, INTERRUPTED, exit 99', async () => {
    machine.active = 'go1.26.8';
    machine.inject.slowVerify = true;
    const cli = spawnGofleet('use', 'go1.27.3', '-i', fleet.inventory, '--yes', '--json');
    let exited = false;
    void cli.exited.then(() => (exited = true));
    try {
      await waitFor('the host to verify', async () => {
        if (exited) throw new Error(`the CLI ended before verifying:\n${cli.output()}`);
        return machine.verifying;
      }, { timeoutMs: 60_000, intervalMs: 50 });
      cli.child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 200));
      cli.child.kill('SIGINT');
      const ended = await Promise.race([cli.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit:\n${cli.output()}`)), 60_000))]);
      assert.equal(ended.code, 99, cli.output());
      const host = (JSON.parse(cli.stdout()) as { hosts: HostRow[] }).hosts[0];
      assert.equal(host?.status, 'rolled_back', JSON.stringify(host));
      assert.equal(host?.error?.code, 'INTERRUPTED');
      assert.equal(machine.active, 'go1.26.8');
      assert.ok(fleet.host.interrupts.length >= 1, 'the interrupt marker request reached the host');
    } finally {
      machine.inject.slowVerify = false;
      if (!exited) cli.child.kill('SIGKILL');
    }
  });

  test('prune removes managed versions past --keep (never the active one)', async () => {
    installVersion(fleet.host, VDIR, 'go1.25.9');
    installVersion(fleet.host, VDIR, 'go1.24.13');
    machine.previous = 'go1.27.3';
    const r = await run('prune', '--keep', '2', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(r.json().hosts.map((x: { status: string; removed: string[] }) => [x.status, x.removed]), [['pruned', ['go1.25.9', 'go1.24.13']]]);
    const recorded = (await gofleet('history', '--json')).json().runs[0];
    assert.deepEqual([recorded.command, recorded.counts], ['prune', { pruned: 1 }]);
    assert.ok(!existsSync(fleet.host.drives.toLocal(`${VDIR}\\go1.24.13`)));
    assert.ok(existsSync(fleet.host.drives.toLocal(`${VDIR}\\go1.26.8`)));
  });
});

describe('Windows over OpenSSH with PowerShell as the DefaultShell (fake host, controller side)', { timeout: 120_000 }, () => {
  const machine = newWindowsMachine({ active: 'go1.26.8' });
  // no os: the shell probe finds PowerShell and picks the Windows dialect
  const fleet = useWindowsFleet({
    transport: 'ssh', prefix: 'gofleet-winps-', archives: null,
    hosts: [{ machine, defaultShell: 'powershell', os: null, installed: ['go1.26.8', 'go1.27.3'] }],
  });

  test('detected as Windows; the bootstrap line carries `; exit $LASTEXITCODE`; a script\'s exit code 3 arrives as 3', async () => {
    const facts = await gofleet('facts', '--json', '-i', fleet.inventory);
    assert.equal(facts.code, 0, facts.stdout + facts.stderr);
    assert.equal(facts.json().hosts[0].os, 'windows');
    const boot = fleet.host.commands.find((c) => c.startsWith('powershell.exe '));
    assert.ok(boot?.endsWith('; exit $LASTEXITCODE'), boot);
    machine.inject.crash = { exitCode: 3, message: 'The process cannot access the file because it is being used by another process.' };
    const r = await gofleet('use', 'go1.27.3', '--yes', '--json', '-i', fleet.inventory);
    const host: HostRow = r.json().hosts[0];
    assert.match(host.error?.message ?? '', /host script exited 3 without an outcome: .*being used by another process/s, JSON.stringify(host));
    const ok = await gofleet('use', 'go1.27.3', '--yes', '--json', '-i', fleet.inventory);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.equal(machine.active, 'go1.27.3');
  });
});
