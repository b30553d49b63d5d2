// WinRM quotas end to end (issue 11), through the real CLI against the loopback fake WinRM host (NTLM, sealed):
// the host's MaxMemoryPerShellMB in `facts` (JSON and text), `plan`'s warning when it is below what a verification
// build needs, nothing scary when winrm/config is not readable by the account, and a verification build stopped by
// the shell's memory cap reported as WINRM_SHELL_MEMORY (with the Set-Item hint), not as a broken toolchain.
// The fake caps every process of a shell at the configured MaxMemoryPerShellMB (ctx.memoryCapMB); the machine model
// says what the build commits (buildNeedsMB) and, above the cap, answers what ps-verify.ts prints when go.exe's
// allocation fails. Controller side and protocol only: no PowerShell runs here and this is not Windows.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newWindowsMachine } from '../harness/fake-windows-host-model.ts';
import type { HostRow } from './windows-fleet-assert.ts';
import { useWindowsFleet } from './windows-fleet.ts';

const PASS_ENV = 'GOFLEET_E2E_WINRM_QUOTA_PASSWORD';
const PASS = 'Quota-e2e-pa55!';

describe('WinRM quotas: MaxMemoryPerShellMB in facts and plan, a build stopped by it (fake host, controller side)', { timeout: 180_000 }, () => {
  // win-capped: an old-style 300 MB shell cap (WinRM 2.0 / the PowerShell 3 plugin bug), a build that commits 600 MB
  const cappedMachine = newWindowsMachine({ active: 'go1.26.8', buildNeedsMB: 600 });
  // win-user: the account may not read winrm/config (not an administrator); the build fits the host's cap
  const userMachine = newWindowsMachine({ active: 'go1.26.8', buildNeedsMB: 600 });
  const fleet = useWindowsFleet({
    transport: 'winrm', prefix: 'gofleet-winrm-quota-', winrm: { password: PASS, passEnv: PASS_ENV },
    hosts: [
      { name: 'win-capped', machine: cappedMachine, installed: ['go1.26.8', 'go1.27.3'], config: { maxMemoryPerShellMB: 300, maxShellsPerUser: 5, maxProcessesPerShell: 15 } },
      { name: 'win-user', machine: userMachine, denyConfigRead: true },
    ],
  });
  const { run, src } = fleet;
  const host = (hosts: HostRow[], name: string): HostRow => {
    const h = hosts.find((x) => x.name === name);
    assert.ok(h, `no ${name} in ${JSON.stringify(hosts)}`);
    return h;
  };

  test('facts --json: the winrm object carries the quotas read from winrm/config; null when the account may not read it', async () => {
    const r = await run('facts', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const hosts = r.json().hosts as Array<{ name: string; error: unknown; winrm?: unknown }>;
    const c = hosts.find((h) => h.name === 'win-capped');
    const u = hosts.find((h) => h.name === 'win-user');
    assert.equal(c?.error, null, JSON.stringify(c));
    assert.deepEqual(c?.winrm, { config_read: true, max_memory_per_shell_mb: 300, max_shells_per_user: 5, max_processes_per_shell: 15, max_envelope_size_kb: 500 });
    assert.equal(u?.error, null, JSON.stringify(u));
    assert.deepEqual(u?.winrm, { config_read: false, max_memory_per_shell_mb: null, max_shells_per_user: null, max_processes_per_shell: null, max_envelope_size_kb: 150 });
  });

  test('facts (text): one winrm line a host, the cap flagged when it is below 1024 MB (the notes say why, once)', async () => {
    const r = await run('facts');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^winrm: win-capped: MaxMemoryPerShellMB=300 \(low\), MaxShellsPerUser=5, MaxProcessesPerShell=15, MaxEnvelopeSizekb=500$/m);
    assert.equal(r.stdout.match(/may be killed by that cap|may be stopped by it/g)?.length, 1, r.stdout);
    assert.match(r.stdout, /^winrm: win-user: winrm\/config not readable by this account \(not an administrator\): shell quotas unknown$/m);
  });

  test('plan warns about the 300 MB cap with the Set-Item fix; says nothing when the cap is unknown', async () => {
    const r = await run('plan', '--to', 'go1.27.3', '--json', ...src());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const hosts = (r.json().waves as Array<{ hosts: Array<{ name: string; warnings?: string[] }> }>).flatMap((w) => w.hosts);
    const c = hosts.find((h) => h.name === 'win-capped');
    assert.equal(c?.warnings?.length, 1, JSON.stringify(c));
    assert.match(c?.warnings?.[0] ?? '', /MaxMemoryPerShellMB=300 is below 1024 MB/);
    assert.ok(c?.warnings?.[0]?.includes('Set-Item WSMan:\\localhost\\Shell\\MaxMemoryPerShellMB 2048'), c?.warnings?.[0]);
    const u = hosts.find((h) => h.name === 'win-user');
    assert.equal(u?.warnings, undefined, JSON.stringify(u));
  });

  test('upgrade: the verification build stopped by the shell cap is WINRM_SHELL_MEMORY (rolled back, hint to raise it), not VERIFY_FAILED', async () => {
    const r = await run('upgrade', '--to', 'go1.27.3', '--yes', '--json', '--limit', 'win-capped', ...src());
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const h = host(r.json().hosts as HostRow[], 'win-capped');
    assert.equal(h.status, 'rolled_back', JSON.stringify(h));
    assert.equal(h.error?.code, 'WINRM_SHELL_MEMORY', JSON.stringify(h.error));
    assert.match(h.error?.message ?? '', /fatal error: out of memory[\s\S]*MaxMemoryPerShellMB=300/);
    assert.ok(h.error?.hint?.includes('Set-Item WSMan:\\localhost\\Shell\\MaxMemoryPerShellMB 2048'), h.error?.hint);
    assert.ok(h.error?.hint?.includes('WSMan:\\localhost\\Plugin\\Microsoft.PowerShell\\Quotas\\MaxMemoryPerShellMB'), h.error?.hint);
    assert.ok(h.steps.some((s) => s.step === 'verify' && s.status === 'fail' && s.code === 'VERIFY_OUT_OF_MEMORY'), JSON.stringify(h.steps));
    assert.equal(cappedMachine.active, 'go1.26.8');
  });

  test('use: the same through a switch among installed versions; with --no-verify-build the switch holds', async () => {
    const r = await run('use', 'go1.27.3', '--yes', '--json', '--limit', 'win-capped');
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const h = host(r.json().hosts as HostRow[], 'win-capped');
    assert.deepEqual([h.status, h.error?.code], ['rolled_back', 'WINRM_SHELL_MEMORY'], JSON.stringify(h));
    assert.equal(cappedMachine.active, 'go1.26.8');
    const ok = await run('use', 'go1.27.3', '--yes', '--json', '--limit', 'win-capped', '--no-verify-build');
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.equal(cappedMachine.active, 'go1.27.3');
  });
});
