// The Windows part of `facts` (the `windows` JSON object, the lines after the table) and the plan's warning lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostFactsResult } from '../engine/facts-host.ts';
import type { FleetPlan } from '../engine/plan-fleet.ts';
import { GofleetError } from '../errors.ts';
import { goInstall, hostFacts, windowsFacts } from '../engine/testing/builders.ts';
import type { HostFacts } from '../platform/types.ts';
import { planSummary } from './summary.ts';
import { windowsFactLines, windowsFactsField } from './windows-facts.ts';

const GOROOT = 'C:\\Program Files\\Go';

function result(name: string, facts: HostFacts | null, goroot = GOROOT): HostFactsResult {
  return { name, reachable: facts !== null, facts, paths: facts ? { goroot, versionsDir: 'C:\\ProgramData\\gofleet\\versions' } : null, become: false, privilege: facts ? { elevate: false, how: 'none' } : null, error: null, warnings: [] };
}

const messy = windowsFacts({
  machineGoroot: 'C:\\Go',
  installs: [
    goInstall('machine_path', 'C:\\Program Files\\Go\\bin', 'go1.26.8', 'go.exe'),
    goInstall('machine_path', 'C:\\Go\\bin', 'go1.19.8', 'go.exe'),
    goInstall('msi', 'C:\\Go\\', '1.19.8', '{A1B2-C3}'),
    goInstall('user_path', 'C:\\Users\\deploy\\sdk\\go1.20.1\\bin', 'go1.20.1', 'go.exe'),
    goInstall('choco', 'C:\\ProgramData\\chocolatey\\bin\\go.exe'),
  ],
});

test('facts --json: a Windows host gains a `windows` object (installs, shadowing, elevation, GOROOT variables); a POSIX host none', () => {
  assert.deepEqual(windowsFactsField(result('win', messy)), {
    windows: {
      elevated: true,
      admin_member: true,
      machine_goroot: 'C:\\Go',
      user_goroot: null,
      gotoolchain: null,
      goroot_link_kind: 'Junction',
      ps_version: '5.1.20348.2400',
      ps_edition: 'Desktop',
      has_tar: true,
      installs: [
        { where: 'C:\\Program Files\\Go\\bin', kind: 'machine_path', version: 'go1.26.8', detail: 'go.exe' },
        { where: 'C:\\Go\\bin', kind: 'machine_path', version: 'go1.19.8', detail: 'go.exe' },
        { where: 'C:\\Go\\', kind: 'msi', version: '1.19.8', detail: '{A1B2-C3}' },
        { where: 'C:\\Users\\deploy\\sdk\\go1.20.1\\bin', kind: 'user_path', version: 'go1.20.1', detail: 'go.exe' },
        { where: 'C:\\ProgramData\\chocolatey\\bin\\go.exe', kind: 'choco', version: null, detail: null },
      ],
      shadowing: [
        { where: 'C:\\Users\\deploy\\sdk\\go1.20.1\\bin', kind: 'user_path', version: 'go1.20.1', detail: 'go.exe' },
        { where: 'C:\\ProgramData\\chocolatey\\bin\\go.exe', kind: 'choco', version: null, detail: null },
      ],
    },
  });
  assert.deepEqual(windowsFactsField(result('lin', hostFacts(), '/usr/local/go')), {});
  assert.deepEqual(windowsFactsField(result('down', null)), {});
});

test('facts (human): two lines for a Windows host with trouble, one for a clean one, none for POSIX or unreachable hosts', () => {
  const text = windowsFactLines([result('win-1', messy), result('win-2', windowsFacts({ elevated: false })), result('lin', hostFacts(), '/usr/local/go'), result('down', null)]);
  assert.deepEqual(text.split('\n'), [
    'windows: win-1: elevated administrator; other Go installs: C:\\Go (go1.19.8, machine PATH, MSI); C:\\Users\\deploy\\sdk\\go1.20.1 (go1.20.1, user PATH); C:\\ProgramData\\chocolatey\\bin\\go.exe (choco shim)',
    'windows: win-1: machine GOROOT=C:\\Go is set: it breaks multi-version setups; shadowing C:\\Program Files\\Go\\bin: C:\\Users\\deploy\\sdk\\go1.20.1\\bin (user PATH), C:\\ProgramData\\chocolatey\\bin\\go.exe (choco shim)',
    'windows: win-2: administrator, token not elevated (UAC); other Go installs: none',
    '',
  ]);
  const same = windowsFactLines([result('win-3', windowsFacts({ machineGoroot: '%ProgramFiles%\\Go' }))]);
  assert.match(same, /^windows: win-3: machine GOROOT=%ProgramFiles%\\Go is set \(it is goroot; go does not need it\)$/m);
});

test('facts (human): host-reported text is shown with control characters escaped', () => {
  const text = windowsFactLines([result('win', windowsFacts({ machineGoroot: 'C:\\Go\u001b[2J' }))]);
  assert.ok(!text.includes('\u001b'), text);
  assert.match(text, /machine GOROOT=C:\\Go\\u001b\[2J is set/);
});

test('plan (human): one `warning: HOST: ...` line per warning after the table', () => {
  const plan: FleetPlan = {
    target: 'go1.27.3',
    waves: [{ hosts: [
      { name: 'win-1', from: 'go1.26.8', to: 'go1.27.3', actions: ['stage', 'switch', 'verify'], skip: null, warnings: ['machine GOROOT=C:\\Go points away', 'a choco shim x'] },
      { name: 'lin', from: 'go1.26.8', to: 'go1.27.3', actions: [], skip: new GofleetError('NO_PRIVILEGE', 'lin: no') },
    ] }],
  };
  const lines = planSummary(plan).trimEnd().split('\n');
  assert.deepEqual(lines.slice(-2), ['warning: win-1: machine GOROOT=C:\\Go points away', 'warning: win-1: a choco shim x']);
  assert.equal(lines.filter((l) => l.startsWith('warning:')).length, 2);
});
