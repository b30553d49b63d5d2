// One definition per PowerShell helper: every generated Windows script defines each gf_ function once, no two
// snippets define the same helper (except the few named below, which differ on purpose), and the facts script
// reads files, paths and the lock holder with exactly the code the mutating scripts use (ps-read.ts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { HostPaths } from '../types.ts';
import { windows } from './index.ts';
import { msiUpgradeScript } from './msi-script.ts';
import { standaloneDetectScript, standaloneUpgradeScript } from './standalone-script.ts';

const paths: HostPaths = { goroot: 'C:\\Program Files\\Go', versionsDir: 'C:\\ProgramData\\gofleet\\versions' };
const run = '20261125-091502-3fa2';
const verify = { build: true, requirePath: true };
const sha256 = 'ab'.repeat(32);
const zip = { filename: 'go1.27.3.windows-amd64.zip', sha256, size: 1, remotePath: 'C:\\ProgramData\\gofleet-x.zip' };
const msi = { ...zip, filename: 'go1.27.3.windows-amd64.msi', remotePath: 'C:\\ProgramData\\gofleet-x.msi' };
const standalone = { paths, target: 'go1.27.3', verify, run, archive: { filename: zip.filename, sha256, size: 1, url: null } };

const SCRIPTS: Record<string, () => string> = {
  facts: () => windows.facts(paths),
  upgrade: () => windows.upgrade({ paths, target: 'go1.27.3', run, verify, archive: zip }),
  switch: () => windows.switchTo({ paths, target: 'go1.26.8', run, verify }),
  prune: () => windows.prune({ paths, keep: 2, run }),
  'restore-link': () => windows.restoreLink({ paths, run }),
  msi: () => msiUpgradeScript({ paths, target: 'go1.27.3', run, verify, method: 'msi', archive: msi }),
  'standalone-zip': () => standaloneUpgradeScript({ ...standalone, method: 'zip' }),
  'standalone-msi': () => standaloneUpgradeScript({ ...standalone, method: 'msi', archive: { ...standalone.archive, filename: msi.filename } }),
  'standalone-detect': () => standaloneDetectScript({ paths, target: 'go1.27.3' }),
  'upgrade-pull': () => windows.upgrade({ paths, target: 'go1.27.3', run, verify, archive: { ...zip, pullUrl: 'https://dl.example/go1.27.3.windows-amd64.zip' } }),
};

/** Names defined more than once in a script on purpose: the standalone script's gf_out replaces the remote one. */
const OVERRIDES: Record<string, string[]> = { 'standalone-zip': ['gf_out'], 'standalone-msi': ['gf_out'] };

/**
 * Same name, different code on purpose: the facts script is read-only (gf_can_write judges ACLs instead of writing
 * a probe; gf_env_key never opens a key writable) and runs go with a rebuilt login environment of its own.
 */
const DIFFERENT_ON_PURPOSE = ['gf_can_write', 'gf_env_key', 'gf_go_version', 'gf_login_go', 'gf_out', 'gf_run'];

function definedNames(text: string): string[] {
  return [...text.matchAll(/^ *function (gf_[A-Za-z0-9_]+)\b/gm)].map((m) => m[1] ?? '');
}

function duplicates(names: string[]): string[] {
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))].sort();
}

/** The text of `function NAME ... }` (up to the first line that is a lone closing brace). */
function definition(text: string, name: string): string {
  const m = new RegExp(`^function ${name}\\b[^]*?\\n}\\n`, 'm').exec(text);
  assert.ok(m, `${name} is defined`);
  return m[0];
}

test('every generated Windows script defines each gf_ function once', () => {
  for (const [name, render] of Object.entries(SCRIPTS)) {
    const names = definedNames(render());
    assert.ok(names.length > 10, `${name}: ${names.length} functions`);
    assert.deepEqual(duplicates(names), OVERRIDES[name] ?? [], `${name}.ps1 defines these more than once`);
  }
});

test('no two PowerShell snippets define the same helper (but those that differ on purpose)', () => {
  const dir = fileURLToPath(new URL('./', import.meta.url));
  const where = new Map<string, string[]>();
  for (const file of readdirSync(dir).filter((f) => /^ps-.*\.ts$/.test(f) && !f.endsWith('.test.ts'))) {
    for (const name of definedNames(readFileSync(dir + file, 'utf8'))) where.set(name, [...(where.get(name) ?? []), file]);
  }
  const twice = [...where].filter(([name, files]) => files.length > 1 && !DIFFERENT_ON_PURPOSE.includes(name));
  assert.deepEqual(twice.map(([name, files]) => `${name}: ${files.join(' ')}`), []);
  assert.deepEqual(where.get('gf_read_first'), ['ps-read.ts']);
});

test('the facts script and the mutating scripts read VERSION files, paths, the lock holder and the state alike', () => {
  const facts = SCRIPTS.facts?.() ?? '';
  const upgrade = SCRIPTS.upgrade?.() ?? '';
  for (const name of ['gf_norm_path', 'gf_read_text', 'gf_read_first', 'gf_valid_version', 'gf_field', 'gf_is_link', 'gf_proc_start', 'gf_alive', 'gf_holder_gone', 'gf_state_read']) {
    assert.equal(definition(facts, name), definition(upgrade, name), name);
  }
  // a VERSION file's first line, blanks trimmed at both ends
  assert.match(definition(upgrade, 'gf_read_first'), /\)\[0\]\.Trim\(\)\n/);
});
