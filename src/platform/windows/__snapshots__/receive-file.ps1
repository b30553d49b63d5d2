# gofleet: receive a file through the shell (WinRM put)
# gofleet-script: receive-file
$ErrorActionPreference = 'Stop'
$script:RC = 0
function gf_main {
  $gfTemp = 'C:\ProgramData\gofleet-20261125-091502-3fa2-go1.27.3.windows-amd64.zip.1a2b3c4d.gofleet-part'
  $gfPath = 'C:\ProgramData\gofleet-20261125-091502-3fa2-go1.27.3.windows-amd64.zip'
  $gfSize = 80000000
  $gfWant = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
  $gfIn = New-Object System.IO.StreamReader -ArgumentList ([Console]::OpenStandardInput()), ([System.Text.Encoding]::ASCII)
  $gfSha = [System.Security.Cryptography.SHA256]::Create()
  $gfLen = 0
  $gfOut = [System.IO.File]::Open($gfTemp, [System.IO.FileMode]::Create, [System.IO.FileAccess]::Write, [System.IO.FileShare]::None)
  try {
    while ($null -ne ($gfLine = $gfIn.ReadLine())) {
      if ($gfLine.Length -eq 0) { continue }
      $gfBytes = [System.Convert]::FromBase64String($gfLine)
      $gfOut.Write($gfBytes, 0, $gfBytes.Length)
      [void]$gfSha.TransformBlock($gfBytes, 0, $gfBytes.Length, $null, 0)
      $gfLen += $gfBytes.Length
    }
    [void]$gfSha.TransformFinalBlock((New-Object byte[] 0), 0, 0)
  } catch {
    $gfOut.Close()
    Remove-Item -LiteralPath $gfTemp -Force -ErrorAction SilentlyContinue
    throw
  }
  $gfOut.Close()
  $gfGot = ([System.BitConverter]::ToString($gfSha.Hash) -replace '-', '').ToLowerInvariant()
  if ($gfLen -ne $gfSize -or $gfGot -ne $gfWant) {
    Remove-Item -LiteralPath $gfTemp -Force -ErrorAction SilentlyContinue
    [Console]::Error.WriteLine('gofleet: the copy of ' + $gfPath + ' has ' + $gfLen + ' bytes, SHA-256 ' + $gfGot + '; sent: ' + $gfSize + ' bytes, SHA-256 ' + $gfWant)
    $script:RC = 3
    return
  }
  Move-Item -LiteralPath $gfTemp -Destination $gfPath -Force
  [Console]::Out.Write('gofleet-file:ok')
}
gf_main
exit $script:RC
