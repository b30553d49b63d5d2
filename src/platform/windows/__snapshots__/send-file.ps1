# gofleet: send a file through the shell (WinRM get)
# gofleet-script: send-file
$ErrorActionPreference = 'Stop'
$script:RC = 0
function gf_main {
  $gfPath = 'C:\ProgramData\gofleet\versions\.gofleet\logs\20261125-091502-3fa2.log'
  $gfSha = [System.Security.Cryptography.SHA256]::Create()
  $gfBuf = New-Object byte[] 49152
  $gfOut = [Console]::Out
  $gfIn = [System.IO.File]::OpenRead($gfPath)
  try {
    while (($gfN = $gfIn.Read($gfBuf, 0, 49152)) -gt 0) {
      [void]$gfSha.TransformBlock($gfBuf, 0, $gfN, $null, 0)
      $gfOut.Write([System.Convert]::ToBase64String($gfBuf, 0, $gfN) + [char]10)
    }
    [void]$gfSha.TransformFinalBlock((New-Object byte[] 0), 0, 0)
    $gfOut.Write('gofleet-file:' + $gfIn.Length + ':' + ([System.BitConverter]::ToString($gfSha.Hash) -replace '-', '').ToLowerInvariant() + [char]10)
  } finally {
    $gfIn.Close()
  }
}
gf_main
exit $script:RC
