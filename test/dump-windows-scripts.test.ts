// scripts/dump-windows-scripts.ts: what the Windows workflow's parser job reads. It must write every kind of
// PowerShell script gofleet generates, each one clean for the Windows PowerShell 5.1 checker here (tree-sitter +
// the 5.1 rules); PowerShell's own parser reads them only on the Windows runner.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { checkPs51, formatPs51Problems } from '../src/platform/windows/testing/check-ps51.ts';
import { dumpWindowsScripts } from '../scripts/dump-windows-scripts.ts';

const dir = mkdtempSync(join(tmpdir(), 'gofleet-dump-ps-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('writes the bootstrap, 6 remote and 4 standalone scripts for each of 3 path sets: 31 .ps1 files, each with a UTF-8 BOM', () => {
  const files = dumpWindowsScripts(join(dir, 'out'));
  assert.equal(files.length, 31);
  assert.deepEqual(readdirSync(join(dir, 'out')).sort(), files.map((f) => basename(f)).sort());
  for (const kind of ['bootstrap', 'remote-facts-', 'remote-upgrade-default', 'remote-upgrade-msi-', 'remote-switch-', 'remote-restore-link-', 'remote-prune-', 'standalone-zip-', 'standalone-zip-beside-', 'standalone-msi-', 'standalone-detect-']) {
    assert.ok(files.some((f) => basename(f).startsWith(kind)), kind);
  }
  for (const file of files) assert.deepEqual([...readFileSync(file).subarray(0, 3)], [0xef, 0xbb, 0xbf], basename(file));
});

test('every file passes the Windows PowerShell 5.1 checker', () => {
  const files = dumpWindowsScripts(join(dir, 'check'));
  for (const file of files) {
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const result = checkPs51(text);
    assert.deepEqual(result.problems, [], formatPs51Problems(result.problems, basename(file)));
  }
});
