// The Windows facts script: snapshot (a change to what runs on hosts shows in review), Windows PowerShell 5.1
// check, values only through psQuote, and the keys it prints are the keys parseWindowsFacts reads.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GofleetError } from '../../errors.ts';
import { windowsFactsScript } from './facts-script.ts';
import { PS_FACTS } from './ps-facts.ts';
import { assertPs51, checkPs51 } from './testing/check-ps51.ts';

const DIR = fileURLToPath(new URL('./__snapshots__/', import.meta.url));
const paths = { goroot: 'C:\\Program Files\\Go', versionsDir: 'C:\\ProgramData\\gofleet\\versions' };

test('snapshot: facts-script.ps1', () => {
  const text = windowsFactsScript(paths);
  const file = join(DIR, 'facts-script.ps1');
  if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(file)) {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(file, text);
    if (process.env.UPDATE_SNAPSHOTS !== '1') assert.fail(`wrote a new snapshot ${file}; review it and re-run`);
  }
  assert.equal(text, readFileSync(file, 'utf8'), 'facts-script.ps1 differs from its snapshot; if intended, re-run with UPDATE_SNAPSHOTS=1');
});

test('the facts script is valid Windows PowerShell 5.1', () => {
  assertPs51(windowsFactsScript(paths), 'facts');
  assert.deepEqual(checkPs51(windowsFactsScript(paths)).ignored, []);
});

test('the facts script is read-only: no cmdlet or .NET call that writes', () => {
  const text = windowsFactsScript(paths);
  for (const writer of [/\bSet-/i, /\bNew-Item\b/i, /\bRemove-/i, /\bMove-/i, /\bCopy-/i, /\bRename-/i, /\bOut-File\b/i, /::(Delete|Move|Create\w*|Write\w*|Replace|SetValue|SetEnvironmentVariable)\(/, /\.SetValue\(/, /\bStop-Process\b/i]) {
    assert.doesNotMatch(text, writer);
  }
});

test('paths enter the script only as psQuote literals; UNC paths are refused', () => {
  const text = windowsFactsScript({ goroot: "C:\\it's `$x\\Go", versionsDir: 'D:/gofleet/versions/' });
  assert.ok(text.includes("$script:G_ROOT = 'C:\\it''s `$x\\Go'\n"));
  assert.ok(text.includes("$script:VDIR = 'D:\\gofleet\\versions'\n"));
  assertPs51(text, 'facts');
  assert.throws(() => windowsFactsScript({ goroot: '\\\\server\\share\\Go', versionsDir: paths.versionsDir }), (e: unknown) => e instanceof GofleetError && e.code === 'WINDOWS_PATH_INVALID');
});

test('every key the script prints is read by parseWindowsFacts, and every key it reads is printed', () => {
  const printed = new Set([...PS_FACTS.matchAll(/gf_fact(?:_list)? ([a-z_]+) /g)].map((m) => m[1]));
  // the parser, and the reader of the facts every dialect shares (free disk, writable, lock, cache, busy)
  const parser = ['./parse-facts.ts', '../protocol/fact-lines.ts']
    .map((file) => readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8'))
    .join('\n');
  const read = new Set([...parser.matchAll(/(?:get|opt|list|raw\.has)\('([a-z_]+)'\)/g)].map((m) => m[1]));
  assert.deepEqual([...printed].filter((k) => !read.has(k)).sort(), []);
  assert.deepEqual([...read].filter((k) => !printed.has(k)).sort(), []);
  assert.ok(printed.size >= 40, `${printed.size} keys`);
});
