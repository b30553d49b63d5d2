// Snapshots of the rendered Windows scripts, so that a change to what runs on hosts shows up in review.
// Stored under __snapshots__/<name>.ps1; UPDATE_SNAPSHOTS=1 rewrites them. No PowerShell runs here: every script
// goes through the Windows PowerShell 5.1 checker (tree-sitter parse + 5.1 rules) and through checks of the
// PowerShell pitfalls that a parser does not see (script-lint.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { GofleetError } from '../../errors.ts';
import type { HostPaths } from '../types.ts';
import { windows } from './index.ts';
import { msiUpgradeScript } from './msi-script.ts';
import { receiveFileScript, sendFileScript } from './ps-file-transfer.ts';
import { scriptKindOf } from './script-kind.ts';
import { lintScript } from './testing/script-lint.ts';
import { checkPs51, formatPs51Problems } from './testing/check-ps51.ts';

const DIR = fileURLToPath(new URL('./__snapshots__/', import.meta.url));
const paths: HostPaths = { goroot: 'C:\\Program Files\\Go', versionsDir: 'C:\\ProgramData\\gofleet\\versions' };
const verify = { build: true, requirePath: true, healthCommand: 'go env GOVERSION | findstr go1.27' };
const run = '20261125-091502-3fa2';
const zip = {
  filename: 'go1.27.3.windows-amd64.zip',
  sha256: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  size: 80_000_000,
  remotePath: windows.uploadPath(paths, 'go1.27.3.windows-amd64.zip', { become: false, run }),
};

const SCRIPTS: Record<string, () => string> = {
  upgrade: () => windows.upgrade({ paths, target: 'go1.27.3', run, verify, archive: zip }),
  switch: () => windows.switchTo({ paths, target: 'go1.26.8', run, verify: { build: false, requirePath: false } }),
  prune: () => windows.prune({ paths, keep: 2, run }),
  'restore-link': () => windows.restoreLink({ paths, run }),
  msi: () =>
    msiUpgradeScript({
      paths,
      target: 'go1.27.3',
      run,
      verify,
      method: 'msi',
      archive: { ...zip, filename: 'go1.27.3.windows-amd64.msi', remotePath: windows.uploadPath(paths, 'go1.27.3.windows-amd64.msi', { become: false, run }) },
    }),
  'receive-file': () => receiveFileScript({ temp: `${zip.remotePath}.1a2b3c4d.gofleet-part`, path: zip.remotePath, size: zip.size, sha256: zip.sha256 }),
  'send-file': () => sendFileScript(`${paths.versionsDir}\\.gofleet\\logs\\${run}.log`),
};

test('every script says which it is on its second line (# gofleet-script: <kind>), facts too', () => {
  for (const [name, render] of Object.entries(SCRIPTS)) {
    assert.equal(render().split('\n')[1], `# gofleet-script: ${name}`);
    assert.equal(scriptKindOf(render()), name);
  }
  assert.equal(scriptKindOf(windows.facts(paths)), 'facts');
  assert.equal(scriptKindOf('# gofleet: something\n# gofleet-script: nonsense\n'), null);
});

for (const [name, render] of Object.entries(SCRIPTS)) {
  test(`snapshot: ${name}.ps1`, () => {
    const text = render();
    const file = join(DIR, `${name}.ps1`);
    if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(file)) {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(file, text);
      if (process.env.UPDATE_SNAPSHOTS !== '1') assert.fail(`wrote a new snapshot ${file}; review it and re-run`);
    }
    assert.equal(text, readFileSync(file, 'utf8'), `${name}.ps1 differs from its snapshot; if intended, re-run with UPDATE_SNAPSHOTS=1`);
  });

  test(`${name}.ps1 passes the Windows PowerShell 5.1 checker with nothing ignored`, () => {
    const result = checkPs51(render());
    assert.deepEqual(result.problems, [], formatPs51Problems(result.problems, `${name}.ps1`));
    assert.deepEqual(result.ignored, []);
  });

  test(`${name}.ps1: every gf_ function it calls is defined, no value leaks into a return, no "$x:" in strings`, () => {
    assert.deepEqual(lintScript(render()), []);
  });

  test(`${name}.ps1: only gf_main and exit run at top level, on the last lines`, () => {
    const text = render();
    assert.ok(text.endsWith('\n}\ngf_main\nexit $script:RC\n'));
    assert.doesNotMatch(text, /`/, 'no backtick escapes (the snippets are String.raw templates)');
  });
}

test('scriptCommand is the PowerShell bootstrap; uploadPath and cachedArchivePath are Windows paths', () => {
  assert.match(windows.scriptCommand({ become: false }), /^powershell\.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand [A-Za-z0-9+/=]+$/);
  assert.equal(windows.uploadPath(paths, 'go1.27.3.windows-amd64.zip', { become: false, run }), `C:\\ProgramData\\gofleet-${run}-go1.27.3.windows-amd64.zip`);
  assert.equal(windows.cachedArchivePath({ ...paths, versionsDir: 'D:/gofleet/v/' }, 'go1.27.3.windows-arm64.zip'), 'D:\\gofleet\\v\\.gofleet\\cache\\go1.27.3.windows-arm64.zip');
  assert.equal(windows.quote("it's"), "'it''s'");
});

test('the MSI method is chosen by the intent and needs the target MSI', () => {
  const viaUpgrade = windows.upgrade({ paths, target: 'go1.27.3', run, verify, archive: { ...zip, filename: 'go1.27.3.windows-amd64.msi' }, method: 'msi' } as Parameters<typeof msiUpgradeScript>[0]);
  assert.match(viaUpgrade, /\n {4}gf_msi_flow\n/);
  const bad = (f: () => unknown): void => assert.throws(f, (e: unknown) => e instanceof GofleetError && e.code === 'BAD_OPTION');
  bad(() => msiUpgradeScript({ paths, target: 'go1.27.3', run, verify, archive: null, method: 'msi' }));
  bad(() => msiUpgradeScript({ paths, target: 'go1.27.3', run, verify, archive: zip, method: 'msi' }));
  bad(() => msiUpgradeScript({ paths, target: 'go1.27.3', run, verify, archive: { ...zip, filename: 'go1.26.8.windows-amd64.msi' }, method: 'msi' }));
});

test('bad intents are rejected before a script exists', () => {
  const bad = (f: () => unknown, code = 'BAD_OPTION'): void => assert.throws(f, (e: unknown) => e instanceof GofleetError && e.code === code);
  bad(() => windows.prune({ paths: { goroot: 'Program Files\\Go', versionsDir: 'C:\\v' }, keep: 1, run }), 'WINDOWS_PATH_INVALID');
  bad(() => windows.prune({ paths: { goroot: '\\\\server\\share\\go', versionsDir: 'C:\\v' }, keep: 1, run }), 'WINDOWS_PATH_INVALID');
  bad(() => windows.prune({ paths: { goroot: 'C:\\', versionsDir: 'C:\\v' }, keep: 1, run }), 'WINDOWS_PATH_INVALID');
  bad(() => windows.prune({ paths: { goroot: 'C:\\go\\..\\x', versionsDir: 'C:\\v' }, keep: 1, run }), 'WINDOWS_PATH_INVALID');
  bad(() => windows.prune({ paths: { goroot: 'C:\\go', versionsDir: 'c:\\GO\\versions' }, keep: 1, run }));
  bad(() => windows.prune({ paths: { goroot: 'C:\\go"x', versionsDir: 'C:\\v' }, keep: 1, run }), 'WINDOWS_PATH_INVALID');
  bad(() => windows.prune({ paths: { goroot: 'C:\\Windows\\Go', versionsDir: 'C:\\v' }, keep: 1, run }), 'SYSTEM_PATH');
  bad(() => windows.prune({ paths: { goroot: 'C:\\Program Files', versionsDir: 'C:\\v' }, keep: 1, run }), 'SYSTEM_PATH');
  bad(() => windows.switchTo({ paths, target: '..\\..\\x', run, verify }));
  bad(() => windows.switchTo({ paths, target: 'go1.27.3', run: 'a b', verify }));
  bad(() => windows.upgrade({ paths, target: 'go1.27.3', run, verify, archive: { ...zip, remotePath: '/tmp/x.zip' } }), 'WINDOWS_PATH_INVALID');
  bad(() => windows.upgrade({ paths, target: 'go1.27.3', run, verify, archive: { ...zip, sha256: 'x' } }));
  bad(() => windows.switchTo({ paths, target: 'go1.27.3', run, verify: { ...verify, timeoutSeconds: 0 } }));
});
