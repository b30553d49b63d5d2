// The PowerShell 5.1 checker: each rule with a sample it refuses and a close one it accepts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertPs51, checkPs51 } from './check-ps51.ts';

/** [rule, refused sample, accepted sample] */
const RULES: Array<[string, string, string]> = [
  ['syntax', 'if ($x) { Write-Output 1', 'if ($x) { Write-Output 1 }'],
  ['syntax', "$s = 'unclosed", "$s = 'closed'"],
  ['syntax', '$a = 1 +* 2', '$a = 1 + 2'],
  ['pipeline-chain', 'git fetch && git merge', "git fetch\nif ($LASTEXITCODE -eq 0) { git merge }"],
  ['pipeline-chain', 'Test-Path $p || exit 3', "if (-not (Test-Path $p)) { exit 3 }\n$s = 'a && b || c'"],
  ['null-coalescing', '$v = $a ?? 1', "$v = $a\nif ($null -eq $v) { $v = 1 } # not ?? here"],
  ['null-coalescing', '$a ??= 1', 'if ($null -eq $a) { $a = 1 }'],
  ['null-conditional', '$n = $item?.Name', '$n = $null\nif ($item) { $n = $item.Name }'],
  ['null-conditional', '$f = ${list}?[0]', 'Get-ChildItem C:\\x\\a?.txt'],
  ['ternary', '$m = $ok ? "yes" : "no"', '$m = if ($ok) { "yes" } else { "no" }\nGet-Process | ? { $_.Id -gt 4 }\nif (-not $?) { exit 1 }'],
  ['background-operator', 'Start-Sleep 10 &', "cmd /c dir 2>&1\n& $block\n& 'C:\\Program Files\\Go\\bin\\go.exe' version"],
  ['ps7-cmdlet', 'Get-Error', "$Error[0].Exception.Message\nWrite-Output 'Get-Error'"],
  ['ps7-cmdlet', "Test-Json -Json '{}'", "$null = ConvertFrom-Json -InputObject '{}'"],
  ['ps7-parameter', '1..3 | ForEach-Object -Parallel { $_ }', '1..3 | ForEach-Object -Process { $_ }'],
  ['ps7-parameter', '$h = $text | ConvertFrom-Json -AsHashtable', '$h = $text | ConvertFrom-Json'],
  ['ps7-parameter', '$h = ConvertFrom-Json $t -AsHash', '$h = ConvertFrom-Json $t'],
  ['ps7-parameter', 'Invoke-WebRequest -Uri $u -SkipCertificateCheck', 'Invoke-WebRequest -Uri $u -UseBasicParsing'],
  ['ps7-parameter', "Join-Path $a 'b' -AdditionalChildPath 'c'", "Join-Path (Join-Path $a 'b') 'c'"],
  ['ps7-parameter', "Set-Content -LiteralPath $f -Value $v -Encoding utf8NoBOM", "Set-Content -LiteralPath $f -Value $v -Encoding UTF8"],
  ['ps7-parameter', 'gc $f -AsByteStream', 'gc $f -Encoding Byte'],
  ['ps7-variable', 'if ($IsWindows) { 1 }', "if ($env:OS -eq 'Windows_NT') { 1 }"],
  ['netcore-api', '$r = [IO.Path]::GetRelativePath($a, $b)', '$r = [IO.Path]::GetFullPath($a)'],
  ['junction-recursive-delete', 'Remove-Item -LiteralPath $goroot -Recurse -Force', '[IO.Directory]::Delete($goroot, $false)\nRemove-Item -LiteralPath $stageDir -Recurse -Force'],
  ['junction-recursive-delete', 'rm $env:GOROOT -r', 'Remove-Item -LiteralPath $goroot'],
  ['junction-recursive-delete', 'Get-Item $linkPath | Remove-Item -Recurse', 'Get-Item $tmpDir | Remove-Item -Recurse'],
  ['clean-block', 'function f {\n  process { 1 }\n  clean { 2 }\n}', 'function f {\n  process { 1 }\n  end { 2 }\n}'],
  ['using-after-code', "$x = 1\nusing namespace System.IO", "using namespace System.IO\n# a comment\n$x = [Path]::GetTempPath()"],
];

for (const [rule, refused, accepted] of RULES) {
  test(`${rule}: refuses ${JSON.stringify(refused)}, accepts ${JSON.stringify(accepted)}`, () => {
    const bad = checkPs51(refused).problems;
    assert.ok(bad.some((p) => p.rule === rule), `expected ${rule}, got ${JSON.stringify(bad)}`);
    assert.deepEqual(checkPs51(accepted).problems, []);
  });
}

test('a problem names its line, column and context', () => {
  const [p] = checkPs51("Write-Output 'ok'\n  $v = $a ?? 'é'\n").problems;
  assert.deepEqual(p, {
    line: 2,
    column: 11,
    rule: 'null-coalescing',
    message: 'null-coalescing ?? and ??= are PowerShell 7 (use if ($null -eq $x))',
    context: "  $v = $a ?? 'é'\n          ^",
  });
  assert.throws(() => assertPs51('a && b', 'x.ps1'), /x\.ps1:1:3 \[pipeline-chain\]/);
  assert.doesNotThrow(() => assertPs51("Write-Output 'a && b ?? c ?'"));
});

test('operators inside strings are data, inside sub-expressions of strings they are code', () => {
  assert.deepEqual(checkPs51('"a ?? b $($x.Name)" # c && d\n<# e || f #>\n@"\ng ? h\n"@').problems, []);
  assert.equal(checkPs51('"value: $($a ?? 1)"').problems[0]?.rule, 'null-coalescing');
  assert.equal(checkPs51('@"\n$($ok ? 1 : 2)\n"@').problems[0]?.rule, 'ternary');
});

test('the known tree-sitter false positives (windows-remote.md §7) are accepted, and only in their exact shape', () => {
  const multiplier = checkPs51('if ($_.Length -gt 1MB) { 1 }');
  assert.deepEqual(multiplier.problems, []);
  assert.deepEqual(multiplier.ignored, ['1:20 numeric multiplier suffix MB']);
  const sw = checkPs51("switch ($x) { 'a' { 1 } default { 2 } }");
  assert.deepEqual(sw.problems, []);
  assert.deepEqual(sw.ignored, ['1:19 single-line switch clause before default']);
  // the same spots with a real error are still errors
  assert.equal(checkPs51('if ($_.Length -gt 1 MB) { 1 }').problems[0]?.rule, 'syntax');
  assert.equal(checkPs51("switch ($x) { 'a' { 1 } default { 2 }").problems[0]?.rule, 'syntax');
});

test('a script longer than tree-sitter\'s default buffer is parsed whole', () => {
  const big = `${"Write-Output 'x'\n".repeat(5000)}$v = $a ?? 1\n`;
  assert.equal(checkPs51(big).problems[0]?.line, 5001);
});
