import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editMachinePath, pathKey, type PathEntryKind } from './machine-path.ts';
import { PS_PATH } from './ps-path.ts';

const VARS: Record<string, string> = {
  systemroot: 'C:\\Windows',
  programfiles: 'C:\\Program Files',
  programdata: 'C:\\ProgramData',
  userprofile: 'C:\\Users\\dev',
};
const expand = (s: string): string => s.replace(/%([^%]+)%/g, (all, name: string) => VARS[name.toLowerCase()] ?? all);
const TOOLCHAINS = ['c:\\go\\bin', 'c:\\program files\\go\\bin', 'd:\\sdk\\go1.22.5\\bin'];
const SHIMS = ['c:\\programdata\\chocolatey\\bin', 'c:\\users\\dev\\scoop\\shims'];
const classify = (expanded: string): PathEntryKind => {
  const key = pathKey(expanded);
  if (TOOLCHAINS.includes(key)) return 'toolchain';
  if (SHIMS.includes(key)) return 'shim';
  return 'other';
};
const GO_BIN = 'C:\\Program Files\\Go\\bin';
const edit = (raw: string, removeOtherGo = false) => editMachinePath(raw, { goBin: GO_BIN, removeOtherGo, expand, classify });

test('pathKey: quotes, blanks, trailing backslashes and case do not make another entry', () => {
  assert.equal(pathKey(' "C:\\Program Files\\Go\\bin\\\\" '), 'c:\\program files\\go\\bin');
  assert.equal(pathKey('C:\\GO\\BIN'), pathKey('c:\\go\\bin\\'));
  assert.equal(pathKey(''), '');
});

test('no Go entry: <goroot>\\bin is appended and every other entry stays as written (%SystemRoot% unexpanded)', () => {
  const raw = '%SystemRoot%\\system32;%SystemRoot%;C:\\Tools\\;"C:\\Quoted Dir"';
  const r = edit(raw);
  assert.equal(r.path, `${raw};${GO_BIN}`);
  assert.equal(r.changed, true);
  assert.deepEqual(r.removed, []);
});

test('already first and once: nothing changes, whatever its spelling (variable, trailing backslash, case, quotes)', () => {
  for (const spelling of ['%ProgramFiles%\\Go\\bin', 'C:\\Program Files\\Go\\bin\\', 'c:\\PROGRAM FILES\\go\\BIN', '"C:\\Program Files\\Go\\bin"']) {
    const raw = `%SystemRoot%\\system32;${spelling};C:\\Go\\bin`;
    const r = edit(raw);
    assert.equal(r.path, raw, spelling);
    assert.equal(r.changed, false, spelling);
  }
});

test('after another toolchain: moved before it; the other is kept unless asked', () => {
  const raw = '%SystemRoot%\\system32;C:\\Go\\bin;%ProgramFiles%\\Go\\bin;C:\\Tools';
  assert.equal(edit(raw).path, `%SystemRoot%\\system32;${GO_BIN};C:\\Go\\bin;C:\\Tools`);
  assert.deepEqual(edit(raw).removed, ['%ProgramFiles%\\Go\\bin']);
  const asked = edit(raw, true);
  assert.equal(asked.path, `%SystemRoot%\\system32;${GO_BIN};C:\\Tools`);
  assert.deepEqual(asked.removed, ['C:\\Go\\bin', '%ProgramFiles%\\Go\\bin']);
});

test('duplicates of <goroot>\\bin are dropped, the first kept where it is', () => {
  const raw = `${GO_BIN};C:\\Tools;c:\\program files\\go\\bin\\;C:\\Program Files\\Go\\bin`;
  const r = edit(raw);
  assert.equal(r.path, `${GO_BIN};C:\\Tools`);
  assert.equal(r.removed.length, 2);
});

test('a chocolatey or scoop shim directory before it: <goroot>\\bin goes first, the shim dir is never removed', () => {
  const raw = 'C:\\ProgramData\\chocolatey\\bin;C:\\Go\\bin';
  assert.equal(edit(raw, true).path, `${GO_BIN};C:\\ProgramData\\chocolatey\\bin`);
  assert.equal(edit('%ProgramData%\\chocolatey\\bin').path, `${GO_BIN};%ProgramData%\\chocolatey\\bin`);
});

test('empty entries stay (a trailing ; too), and an empty PATH becomes <goroot>\\bin', () => {
  assert.equal(edit('C:\\A;;C:\\B;').path, `C:\\A;;C:\\B;${GO_BIN};`);
  assert.equal(edit('C:\\A;;C:\\Go\\bin').path, `C:\\A;;${GO_BIN};C:\\Go\\bin`);
  assert.equal(edit('').path, GO_BIN);
  assert.equal(edit(';').path, `;${GO_BIN};`);
});

test('a quoted Go entry is recognised as Go (classified unquoted)', () => {
  const raw = '"C:\\Go\\bin";C:\\Tools';
  assert.equal(edit(raw, true).path, `${GO_BIN};C:\\Tools`);
});

test('the PowerShell twin (gf_path_edit in ps-path.ts) takes the same steps in the same order as the model', () => {
  // PowerShell cannot run here: these are the model's decisions, as the script writes them, in order
  const steps = [
    "$goKey = gf_path_key ([Environment]::ExpandEnvironmentVariables($GoBin))",
    "$key = gf_path_key ([Environment]::ExpandEnvironmentVariables($entry))",
    "if ($key -eq '') {",
    'if ($key -eq $goKey) {',
    'if ($placed) { $script:PATH_REMOVED.Add($entry) } else { $out.Add($entry) }',
    "$kind = gf_path_kind ([Environment]::ExpandEnvironmentVariables($entry).Replace('\"', '').Trim())",
    "if ($kind -eq 'other') {",
    'if (-not $placed) {',
    '$out.Add($GoBin)',
    "if ($kind -eq 'toolchain' -and $RemoveOtherGo) { $script:PATH_REMOVED.Add($entry) } else { $out.Add($entry) }",
    "if ($out.Count -gt 0 -and $out[$out.Count - 1] -eq '') { $out.Insert($out.Count - 1, $GoBin) } else { $out.Add($GoBin) }",
    "return ($out -join ';')",
  ];
  const body = PS_PATH.slice(PS_PATH.indexOf('function gf_path_edit'));
  let at = 0;
  for (const step of steps) {
    const i = body.indexOf(step, at);
    assert.ok(i >= 0, `gf_path_edit has, after the previous step: ${step}`);
    at = i + step.length;
  }
  assert.ok(PS_PATH.includes("return $Entry.Replace('\"', '').Trim().TrimEnd('\\').ToLowerInvariant()"), 'gf_path_key is pathKey');
});
