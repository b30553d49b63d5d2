// Copying a file through a PowerShell shell, for a transport without SFTP (WinRM): the scripts behind
// RemoteShell.receiveFile / sendFile (the protocol is FILE_MARK's in ../remote-shell.ts). Every value goes through
// psQuote; the scripts are checked by the PowerShell 5.1 parser test like every other script.
// - receive: stdin as base64 lines (ASCII), each decoded and written as it comes into ONE open FileStream on the
//   temp name while SHA-256 is computed along; then size and hash are compared with what the controller sent:
//   equal, the temp file is moved over the target; different, it is removed and the script exits 3.
// - send: the file read in chunks of a multiple of 3 bytes, each printed as one base64 line, the SHA-256
//   computed along, and the trailer line `gofleet-file:<size>:<sha256>` last.

import { FILE_MARK, FILE_MISMATCH_EXIT, type ReceiveFileRequest } from '../remote-shell.ts';
import { psQuote } from './quote.ts';
import { scriptKindLine } from './script-kind.ts';

/** bytes read per line on send: 48 KiB, a multiple of 3, so that lines hold no base64 padding but the last */
export const SEND_CHUNK_BYTES = 49152;

const HEX_HASH = "([System.BitConverter]::ToString($gfSha.Hash) -replace '-', '').ToLowerInvariant()";

/** The shape every Windows script has (script-snapshots.test.ts): helpers, `gf_main`, then `exit $script:RC`. */
function asMain(title: string, kind: 'receive-file' | 'send-file', body: string[]): string {
  return [
    `# gofleet: ${title}`,
    scriptKindLine(kind),
    "$ErrorActionPreference = 'Stop'",
    '$script:RC = 0',
    'function gf_main {',
    ...body.map((l) => `  ${l}`),
    '}',
    'gf_main',
    'exit $script:RC',
    '',
  ].join('\n');
}

export function receiveFileScript(r: ReceiveFileRequest): string {
  if (!Number.isSafeInteger(r.size) || r.size < 0) throw new RangeError(`not a file size: ${r.size}`);
  if (!/^[0-9a-f]{64}$/.test(r.sha256)) throw new RangeError(`not a SHA-256: ${r.sha256}`);
  return asMain('receive a file through the shell (WinRM put)', 'receive-file', [
    `$gfTemp = ${psQuote(r.temp)}`,
    `$gfPath = ${psQuote(r.path)}`,
    `$gfSize = ${r.size}`,
    `$gfWant = ${psQuote(r.sha256)}`,
    '$gfIn = New-Object System.IO.StreamReader -ArgumentList ([Console]::OpenStandardInput()), ([System.Text.Encoding]::ASCII)',
    '$gfSha = [System.Security.Cryptography.SHA256]::Create()',
    '$gfLen = 0',
    '$gfOut = [System.IO.File]::Open($gfTemp, [System.IO.FileMode]::Create, [System.IO.FileAccess]::Write, [System.IO.FileShare]::None)',
    'try {',
    '  while ($null -ne ($gfLine = $gfIn.ReadLine())) {',
    '    if ($gfLine.Length -eq 0) { continue }',
    '    $gfBytes = [System.Convert]::FromBase64String($gfLine)',
    '    $gfOut.Write($gfBytes, 0, $gfBytes.Length)',
    '    [void]$gfSha.TransformBlock($gfBytes, 0, $gfBytes.Length, $null, 0)',
    '    $gfLen += $gfBytes.Length',
    '  }',
    '  [void]$gfSha.TransformFinalBlock((New-Object byte[] 0), 0, 0)',
    '} catch {',
    '  $gfOut.Close()',
    '  Remove-Item -LiteralPath $gfTemp -Force -ErrorAction SilentlyContinue',
    '  throw',
    '}',
    '$gfOut.Close()',
    `$gfGot = ${HEX_HASH}`,
    'if ($gfLen -ne $gfSize -or $gfGot -ne $gfWant) {',
    '  Remove-Item -LiteralPath $gfTemp -Force -ErrorAction SilentlyContinue',
    "  [Console]::Error.WriteLine('gofleet: the copy of ' + $gfPath + ' has ' + $gfLen + ' bytes, SHA-256 ' + $gfGot + '; sent: ' + $gfSize + ' bytes, SHA-256 ' + $gfWant)",
    `  $script:RC = ${FILE_MISMATCH_EXIT}`,
    '  return',
    '}',
    'Move-Item -LiteralPath $gfTemp -Destination $gfPath -Force',
    `[Console]::Out.Write(${psQuote(`${FILE_MARK}ok`)})`,
  ]);
}

export function sendFileScript(path: string): string {
  return asMain('send a file through the shell (WinRM get)', 'send-file', [
    `$gfPath = ${psQuote(path)}`,
    '$gfSha = [System.Security.Cryptography.SHA256]::Create()',
    `$gfBuf = New-Object byte[] ${SEND_CHUNK_BYTES}`,
    '$gfOut = [Console]::Out',
    '$gfIn = [System.IO.File]::OpenRead($gfPath)',
    'try {',
    `  while (($gfN = $gfIn.Read($gfBuf, 0, ${SEND_CHUNK_BYTES})) -gt 0) {`,
    '    [void]$gfSha.TransformBlock($gfBuf, 0, $gfN, $null, 0)',
    '    $gfOut.Write([System.Convert]::ToBase64String($gfBuf, 0, $gfN) + [char]10)',
    '  }',
    '  [void]$gfSha.TransformFinalBlock((New-Object byte[] 0), 0, 0)',
    `  $gfOut.Write(${psQuote(FILE_MARK)} + $gfIn.Length + ':' + ${HEX_HASH} + [char]10)`,
    '} finally {',
    '  $gfIn.Close()',
    '}',
  ]);
}
