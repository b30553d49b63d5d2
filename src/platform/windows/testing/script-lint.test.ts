import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintScript } from './script-lint.ts';

const LIB = "function gf_ok {\n  return $true\n}\n\nfunction gf_say([string]$T) {\n  gf_ok_void\n}\n\nfunction gf_ok_void {\n  $x = 1\n}\n";

test('a value-returning gf_ function called as a statement is reported; [void], if and assignment are fine', () => {
  assert.deepEqual(lintScript(`${LIB}function gf_main {\n  gf_ok\n}\n`), ['line 13: gf_ok returns a value but is called as a statement (use [void](...))']);
  assert.deepEqual(lintScript(`${LIB}function gf_main {\n  if ($true) { gf_ok }\n}\n`).length, 1);
  assert.deepEqual(lintScript(`${LIB}function gf_main {\n  [void](gf_ok)\n  if (gf_ok) { gf_say 'x' }\n  $a = gf_ok\n  $b = @(1 | Where-Object { gf_ok })\n}\n`), []);
});

test('an undefined gf_ function and a scoped variable in a double-quoted string are reported', () => {
  assert.deepEqual(lintScript(`${LIB}function gf_main {\n  gf_missing 'a'\n}\n`), ['line 13: gf_missing is called but not defined']);
  assert.deepEqual(lintScript(`${LIB}function gf_main {\n  $a = "pid $PID: x"\n}\n`), ['line 13: "$PID:" in a double-quoted string is a scoped variable']);
  assert.deepEqual(lintScript(`${LIB}function gf_main {\n  $a = "$script:Q and $env:Y"\n  $b = 'gf_nothing in a string'\n}\n`), []);
});

test('a script-wide variable used bare (any case) is reported', () => {
  const main = (body: string): string => `${LIB}function gf_main {\n  $script:G_ROOT = 'C:\\Go'\n${body}\n}\n`;
  assert.deepEqual(lintScript(main('  $x = $script:G_ROOT + $G_ROOT')), ['line 14: $G_ROOT is a script-wide variable: write $script:G_ROOT']);
  assert.deepEqual(lintScript(main('  foreach ($g_root in @(1)) { }')), ['line 14: $g_root is a script-wide variable: write $script:g_root']);
  assert.deepEqual(lintScript(main("  $x = $script:G_ROOT + '$G_ROOT in a verbatim string'")), []);
});
