// Percent-encoding of protocol values on a Windows host: the PowerShell twin of `gf_enc` (posix/sh-common.ts).
// The output is read by percentDecode (posix/percent.ts): the value's UTF-8 bytes, cut to the last 2000 bytes
// as gf_enc does, each byte in [A-Za-z0-9._~/:@+-] kept as its character and every other byte written as %XX
// (uppercase hex). A lone UTF-16 surrogate becomes U+FFFD (EF BF BD), as in Node's Buffer.from(text, 'utf8').
// Windows PowerShell 5.1 compatible. ps-encode.test.ts holds a line-by-line TypeScript port of this function.

/** Name of the PowerShell function PS_ENCODE defines: `gf_enc $text` returns the encoded string. */
export const PS_ENC_FUNCTION = 'gf_enc';

/** The most bytes of one value that are sent (the last ones are kept), as gf_enc does. */
export const PS_ENC_MAX_BYTES = 2000;

/** PowerShell snippet defining `gf_enc`; put it at the top of a script that prints protocol lines. */
export const PS_ENCODE = `function gf_enc([string]$Text) {
  if ($null -eq $Text) { $Text = '' }
  $bytes = [System.Text.Encoding]::UTF8.GetBytes($Text)
  $start = 0
  if ($bytes.Length -gt ${PS_ENC_MAX_BYTES}) { $start = $bytes.Length - ${PS_ENC_MAX_BYTES} }
  $sb = New-Object System.Text.StringBuilder
  for ($i = $start; $i -lt $bytes.Length; $i++) {
    $b = [int]$bytes[$i]
    if (($b -ge 48 -and $b -le 57) -or ($b -ge 65 -and $b -le 90) -or ($b -ge 97 -and $b -le 122) -or $b -eq 45 -or $b -eq 46 -or $b -eq 95 -or $b -eq 126 -or $b -eq 47 -or $b -eq 58 -or $b -eq 64 -or $b -eq 43) {
      [void]$sb.Append([char]$b)
    } else {
      [void]$sb.Append('%').Append($b.ToString('X2'))
    }
  }
  return $sb.ToString()
}
`;
