// .github/workflows/windows-e2e.yml cannot run here (it needs a hosted windows-latest runner). What can be checked
// here is checked: it parses as YAML, it has the triggers, jobs and steps it promises, it uses no secrets (the WinRM
// account's is generated per step, masked, and kept in the step's environment), and every PowerShell it runs (the run:
// blocks and scripts/windows-e2e.ps1) passes the Windows PowerShell 5.1 checker.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { checkPs51, formatPs51Problems } from '../src/platform/windows/testing/check-ps51.ts';

const root = new URL('..', import.meta.url);
const text = readFileSync(new URL('.github/workflows/windows-e2e.yml', root), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  steps: Step[];
  strategy?: { matrix?: { shell?: string[] } };
  'timeout-minutes'?: number;
}
const ps1 = readFileSync(new URL('scripts/windows-e2e.ps1', root), 'utf8');
const doc = parse(text) as { on: Record<string, unknown>; jobs: Record<string, Job>; permissions: Record<string, string> };

test('triggers: workflow_dispatch, a schedule and workflow_call (old/new inputs); read-only token', () => {
  assert.ok('workflow_dispatch' in doc.on);
  assert.ok('workflow_call' in doc.on);
  assert.ok(Array.isArray(doc.on.schedule) && (doc.on.schedule as Array<{ cron?: string }>)[0]?.cron);
  for (const trigger of ['workflow_dispatch', 'workflow_call']) {
    const inputs = (doc.on[trigger] as { inputs: Record<string, { default: string }> }).inputs;
    assert.deepEqual([inputs.old?.default, inputs.new?.default], ['1.26', '1.27'], trigger);
  }
  assert.deepEqual(doc.permissions, { contents: 'read' });
});

test('jobs: parse (powershell and pwsh), e2e and winrm, all on windows-latest, with a timeout; every step has a name', () => {
  assert.deepEqual(Object.keys(doc.jobs).sort(), ['e2e', 'parse', 'winrm']);
  for (const [id, job] of Object.entries(doc.jobs)) {
    assert.equal(job['runs-on'], 'windows-latest', id);
    assert.ok((job['timeout-minutes'] ?? 0) > 0, `${id} has a timeout`);
    for (const step of job.steps) assert.ok(typeof step.name === 'string' && step.name.length > 0, `${id}: a step without a name: ${JSON.stringify(step)}`);
    const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    assert.equal(node?.with?.['node-version'], 20, `${id} uses Node 20`);
    assert.ok(job.steps.some((s) => s.run === 'npm ci'), `${id} runs npm ci`);
  }
  assert.deepEqual(doc.jobs.parse?.strategy?.matrix?.shell, ['powershell', 'pwsh']);
  assert.ok(doc.jobs.e2e?.steps.some((s) => s.run === 'npm run build'));
  assert.ok(doc.jobs.winrm?.steps.some((s) => s.run === 'npm run build'));
});

test('no secrets: none referenced, no key material in the file', () => {
  assert.doesNotMatch(text, /secrets\./i);
  assert.doesNotMatch(text, /BEGIN [A-Z ]*PRIVATE KEY|ssh-ed25519 AAAA|ssh-rsa AAAA/);
  assert.doesNotMatch(text, /password/i);
});

test('the parse job reads what scripts/dump-windows-scripts.ts writes with ParseFile and ParseInput, failing on errors', () => {
  assert.ok(existsSync(new URL('scripts/dump-windows-scripts.ts', root)));
  const runs = doc.jobs.parse?.steps.map((s) => s.run ?? '').join('\n') ?? '';
  assert.match(runs, /node --import tsx scripts\/dump-windows-scripts\.ts \$env:GF_DUMP/);
  assert.match(runs, /\[System\.Management\.Automation\.Language\.Parser\]::ParseFile\(/);
  assert.match(runs, /\[System\.Management\.Automation\.Language\.Parser\]::ParseInput\(/);
  assert.match(runs, /if \(\$bad -gt 0\) \{ exit 1 \}/);
});

test('the e2e job covers what issue 10 asks of it, each step checking exit codes and go version', () => {
  const steps = doc.jobs.e2e?.steps ?? [];
  const runs = steps.map((s) => s.run ?? '').join('\n');
  for (const needle of [
    'Add-WindowsCapability', 'Start-Service -Name sshd', 'administrators_authorized_keys', 'icacls.exe', 'ssh-keyscan.exe',
    "@('upgrade', '-i', $env:GF_INVENTORY, '--to', $env:GF_OLD", "'--health-cmd', 'exit 7'", "@('rollback'", "@('facts'", "@('plan'",
    "'--method', 'msi'", "Invoke-Standalone 0 $up", "Invoke-Standalone 0 $detect", "Invoke-Standalone 5 $up", "Invoke-Standalone 2 $up @('-Archive'",
    // issue 12: a real pull on Windows (HttpWebRequest from go.dev), the host result saying so
    "'--distribution', 'pull'", "$h.delivery -ne 'pull'",
  ]) {
    assert.ok(runs.includes(needle), needle);
  }
  for (const step of steps.filter((s) => s.run?.includes('Invoke-Gofleet') || s.run?.includes('Invoke-Standalone'))) {
    assert.match(step.run ?? '', /Assert-GoVersion|Invoke-Standalone 0 \$detect/, `${step.name} checks go version`);
  }
});

test('the winrm job: WinRM on localhost as stock (http, AllowUnencrypted false) plus https, the live test over both, then gofleet over WinRM', () => {
  const steps = doc.jobs.winrm?.steps ?? [];
  const runs = steps.map((s) => s.run ?? '').join('\n');
  for (const needle of [
    'Enable-PSRemoting -Force', "'WSMan:\\localhost\\Service\\AllowUnencrypted'", "if ($unencrypted -ne 'false')", 'LocalAccountTokenFilterPolicy',
    "Reset-WinrmAccount 'gofleet-winrm'", "New-SelfSignedCertificate -DnsName 'localhost'", '-Transport HTTPS', 'Write-CertificatePem $cert $env:GF_WINRM_CA',
    "$env:GOFLEET_WINRM_SCHEME = 'http'", "$env:GOFLEET_WINRM_SCHEME = 'https'", '$env:GOFLEET_WINRM_CA_FILE = $env:GF_WINRM_CA',
    'Write-WinrmInventory $env:GF_INVENTORY', "@('facts', '-i', $env:GF_INVENTORY, '--json')", '$h.winrm.max_memory_per_shell_mb',
    "@('upgrade', '-i', $env:GF_INVENTORY, '--to', $env:GF_OLD", "Assert-Status $json 'unchanged'", "@('rollback', '-i', $env:GF_INVENTORY",
  ]) {
    assert.ok(runs.includes(needle), needle);
  }
  const live = steps.filter((s) => s.run?.includes('Invoke-WinrmLiveTest'));
  assert.equal(live.length, 2, 'the live test runs over http and over https');
  for (const step of [...live, ...steps.filter((s) => s.run?.includes('Invoke-Gofleet'))]) {
    assert.match(step.run ?? '', /Reset-WinrmAccount/, `${step.name} makes its own secret`);
  }
  for (const step of steps.filter((s) => s.run?.includes('Invoke-Gofleet'))) assert.match(step.run ?? '', /Assert-GoVersion/, `${step.name} checks go version`);
  // the live test fails the step when it skips (the variables did not reach it) and reads the test's TAP output for it
  assert.match(ps1, /'--test-reporter=tap', 'test\/live\/winrm-live\.test\.ts'/);
  assert.match(ps1, /-match '# SKIP'/);
  // the inventory the job writes is for winrm, and carries the secret as a reference only
  assert.match(ps1, /' {4}transport: winrm'/);
  assert.match(ps1, /' {4}password: \$\{env:GOFLEET_WINRM_PASSWORD\}'/);
});

test('the WinRM account\'s secret: random per step, masked, in the environment only; never a literal', () => {
  const fn = /function Reset-WinrmAccount[\s\S]*?\n\}/.exec(ps1)?.[0] ?? '';
  assert.match(fn, /\[Security\.Cryptography\.RandomNumberGenerator\]::Create\(\)/);
  assert.match(fn, /Write-Host \('::add-mask::' \+ \$secret\)/);
  assert.match(fn, /\$env:GOFLEET_WINRM_PASSWORD = \$secret/);
  assert.ok(fn.indexOf('::add-mask::') < fn.indexOf('ConvertTo-SecureString'), 'masked before it is used');
  // assigned only from the generated value, never written to a file, GITHUB_ENV or a command line
  assert.deepEqual([...ps1.matchAll(/GOFLEET_WINRM_PASSWORD\s*=\s*(\S+)/g)].map((m) => m[1]), ['$secret']);
  assert.doesNotMatch(fn, /GITHUB_ENV|Set-Content|Add-Content|Out-File|net(\.exe)? user/i);
  assert.doesNotMatch(text, /GOFLEET_WINRM_PASSWORD/, 'the workflow itself never names it');
});

test('every PowerShell the workflow runs passes the Windows PowerShell 5.1 checker (it may run under either)', () => {
  const blocks: Array<[string, string]> = [['scripts/windows-e2e.ps1', readFileSync(new URL('scripts/windows-e2e.ps1', root), 'utf8')]];
  for (const [id, job] of Object.entries(doc.jobs)) {
    for (const step of job.steps) {
      if (step.run !== undefined && step.shell !== undefined) blocks.push([`${id}: ${step.name}`, step.run]);
    }
  }
  assert.ok(blocks.length >= 12);
  for (const [name, code] of blocks) {
    assert.doesNotMatch(code, /\$\{\{/, `${name}: expressions go through env:, not into the script text`);
    const result = checkPs51(code);
    assert.deepEqual(result.problems, [], formatPs51Problems(result.problems, name));
  }
});
