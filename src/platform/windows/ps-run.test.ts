// gf_arg (ps-run.ts) quotes one argument for a Windows command line (tar.exe's zip and directory paths go
// through it). PowerShell cannot run here, so argQuote below is a line-by-line TypeScript port; the test checks
// the PowerShell text holds the port's steps and that the port round-trips through the MSVCRT /
// CommandLineToArgvW parsing rules, written out independently in parseArgs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PS_RUN } from './ps-run.ts';

function argQuote(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let sb = '"';
  let slashes = 0;
  for (const c of arg) {
    if (c === '\\') {
      slashes++;
      continue;
    }
    if (c === '"') sb += '\\'.repeat(2 * slashes + 1);
    else if (slashes > 0) sb += '\\'.repeat(slashes);
    sb += c;
    slashes = 0;
  }
  if (slashes > 0) sb += '\\'.repeat(2 * slashes);
  return sb + '"';
}

/** How a C program (MSVCRT, CommandLineToArgvW after argv[0]) splits a command line into arguments. */
function parseArgs(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let cur = '';
    let quoted = false;
    for (; i < line.length; i++) {
      const c = line[i];
      if (!quoted && (c === ' ' || c === '\t')) break;
      if (c === '\\') {
        let n = 0;
        while (line[i] === '\\') {
          n++;
          i++;
        }
        if (line[i] === '"') {
          cur += '\\'.repeat(Math.floor(n / 2));
          if (n % 2 === 1) cur += '"';
          else quoted = !quoted;
        } else {
          cur += '\\'.repeat(n);
          i--;
        }
        continue;
      }
      if (c === '"') {
        quoted = !quoted;
        continue;
      }
      cur += c;
    }
    out.push(cur);
  }
  return out;
}

test('the PowerShell gf_arg holds the steps of the port', () => {
  for (const line of [
    "if ($Arg -ne '' -and $Arg -notmatch '[\\s\"]') { return $Arg }",
    "if ($c -eq '\\') { $slashes++; continue }",
    '[void]$sb.Append([char]92, 2 * $slashes + 1)',
    '} elseif ($slashes -gt 0) {',
    '[void]$sb.Append([char]92, $slashes)',
    'if ($slashes -gt 0) { [void]$sb.Append([char]92, 2 * $slashes) }',
  ]) {
    assert.ok(PS_RUN.includes(line), line);
  }
});

test('quoted arguments come back unchanged: spaces, quotes, trailing and inner backslashes, empty', () => {
  const samples = ['C:\\Program Files\\Go\\', 'a"b', 'a\\"b', '\\\\server\\x y\\\\', '', 'plain', 'C:\\dir with space\\go.zip', 'x\\', ' lead', 'tab\there', '"', '\\'];
  assert.deepEqual(parseArgs(samples.map(argQuote).join(' ')), samples);
  assert.equal(argQuote('plain'), 'plain');
  assert.equal(argQuote('C:\\a b\\'), '"C:\\a b\\\\"');
});
