// gf_enc for PowerShell (ps-encode.ts) against percentDecode. PowerShell cannot run here, so psGfEnc below is a
// line-by-line port of PS_ENCODE (each TypeScript line carries the PowerShell line it mirrors); the port is
// tested against percentDecode, and the PowerShell text is checked to still be the text the port mirrors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentDecode, percentEncode } from '../protocol/percent.ts';
import { assertPs51 } from './testing/check-ps51.ts';
import { PS_ENCODE, PS_ENC_FUNCTION, PS_ENC_MAX_BYTES } from './ps-encode.ts';

const KEEP_CONDITION =
  '($b -ge 48 -and $b -le 57) -or ($b -ge 65 -and $b -le 90) -or ($b -ge 97 -and $b -le 122) -or $b -eq 45 -or $b -eq 46 -or $b -eq 95 -or $b -eq 126 -or $b -eq 47 -or $b -eq 58 -or $b -eq 64 -or $b -eq 43';

/** Line-by-line port of PS_ENCODE. */
function psGfEnc(text: string | null): string {
  if (text === null) text = ''; //                                   if ($null -eq $Text) { $Text = '' }
  const bytes = Buffer.from(text, 'utf8'); //                        $bytes = [System.Text.Encoding]::UTF8.GetBytes($Text)
  let start = 0; //                                                  $start = 0
  if (bytes.length > 2000) start = bytes.length - 2000; //           if ($bytes.Length -gt 2000) { $start = $bytes.Length - 2000 }
  let sb = ''; //                                                    $sb = New-Object System.Text.StringBuilder
  for (let i = start; i < bytes.length; i++) { //                    for ($i = $start; $i -lt $bytes.Length; $i++) {
    const b = bytes[i] ?? 0; //                                      $b = [int]$bytes[$i]
    if ((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 45 || b === 46 || b === 95 || b === 126 || b === 47 || b === 58 || b === 64 || b === 43) {
      sb += String.fromCharCode(b); //                               [void]$sb.Append([char]$b)
    } else { //                                                      } else {
      sb += '%' + b.toString(16).toUpperCase().padStart(2, '0'); //  [void]$sb.Append('%').Append($b.ToString('X2'))
    } //                                                             }
  } //                                                               }
  return sb; //                                                      return $sb.ToString()
}

/** The PowerShell keep-condition evaluated for byte b, by translating its operators (no eval of arbitrary text). */
function psKeeps(condition: string, b: number): boolean {
  const js = condition
    .replaceAll('$b', 'b')
    .replaceAll(' -ge ', ' >= ')
    .replaceAll(' -le ', ' <= ')
    .replaceAll(' -eq ', ' === ')
    .replaceAll(' -and ', ' && ')
    .replaceAll(' -or ', ' || ');
  assert.match(js, /^[b0-9 ()>=<&|]+$/, 'the condition only uses the translated operators');
  return (new Function('b', `return ${js};`) as (x: number) => boolean)(b);
}

const TRICKY = [
  '',
  'plain',
  'C:\\Program Files\\Go',
  'a b\tc\r\nd',
  '100% and %41',
  "it's \"q\" `t $env:PATH",
  'é漢😀',
  '\u2018typographic\u2019',
  '\u00ff\u0080\u07ff\u0800\uffff',
  'lone \ud800 surrogate',
  '/usr/local/go -> /x:@+~._-',
  '\u0001\u007f',
];

test('PS_ENCODE is the text the TypeScript port mirrors', () => {
  assert.ok(PS_ENCODE.startsWith(`function ${PS_ENC_FUNCTION}([string]$Text) {\n`));
  assert.equal(PS_ENC_MAX_BYTES, 2000);
  for (const line of [
    "  if ($null -eq $Text) { $Text = '' }",
    '  $bytes = [System.Text.Encoding]::UTF8.GetBytes($Text)',
    '  $start = 0',
    '  if ($bytes.Length -gt 2000) { $start = $bytes.Length - 2000 }',
    '  $sb = New-Object System.Text.StringBuilder',
    '  for ($i = $start; $i -lt $bytes.Length; $i++) {',
    '    $b = [int]$bytes[$i]',
    `    if (${KEEP_CONDITION}) {`,
    '      [void]$sb.Append([char]$b)',
    '    } else {',
    "      [void]$sb.Append('%').Append($b.ToString('X2'))",
    '  return $sb.ToString()',
  ]) {
    assert.ok(PS_ENCODE.includes(`${line}\n`), `PS_ENCODE lacks the line: ${line}`);
  }
});

test('the PowerShell keep-condition keeps exactly the bytes percent.ts keeps raw', () => {
  for (let b = 0; b < 256; b++) {
    const safe = b < 128 && /[A-Za-z0-9._~/:@+-]/.test(String.fromCharCode(b));
    assert.equal(psKeeps(KEEP_CONDITION, b), safe, `byte ${b}`);
  }
});

test('the port decodes back to the input and matches percentEncode', () => {
  for (const v of TRICKY) {
    const e = psGfEnc(v);
    assert.match(e, /^[A-Za-z0-9._~/:@+%-]*$/, JSON.stringify(v));
    assert.equal(percentDecode(e), Buffer.from(v, 'utf8').toString('utf8'), JSON.stringify(v));
    assert.equal(e, percentEncode(v), JSON.stringify(v));
  }
  assert.equal(psGfEnc(null), '');
  assert.equal(percentDecode(psGfEnc('lone \ud800 surrogate')), 'lone \uFFFD surrogate');
});

test('the port keeps the last 2000 bytes, as gf_enc does', () => {
  const long = `${'a'.repeat(3000)}END`;
  assert.equal(percentDecode(psGfEnc(long)), long.slice(-2000));
  const wide = `${'é'.repeat(1500)}Z`; // 3001 bytes: the cut lands inside a 2-byte character
  const cut = percentDecode(psGfEnc(wide));
  assert.equal(cut, `\uFFFD${'é'.repeat(999)}Z`);
  assert.equal(Buffer.from(percentDecode(psGfEnc('%'.repeat(2500))), 'utf8').length, 2000);
});

test('PS_ENCODE is valid Windows PowerShell 5.1', () => {
  assertPs51(`${PS_ENCODE}gf_enc 'x'\n`, 'ps-encode');
});
