// The transport contract's commands as PowerShell, each a shape the fake Windows host's vocabulary
// (fake-windows-vocabulary.ts) implements -- and each valid Windows PowerShell 5.1, so that the same table can
// run against a real Windows host.
// - windowsContractScripts: named builders (the fake host's own tests and src/transport/windows-contract.test.ts).
// - WINDOWS_CONTRACT: the same commands in the shape of the ContractDialect table of src/transport/contract.ts
//   on branch `seams` (`runTransportContract(name, open, { dialect: WINDOWS_CONTRACT })`). It is typed
//   structurally here because that interface is not on this branch yet; add `satisfies ContractDialect` on merge.
// Commands are PowerShell text (several lines allowed): the Windows remote-shell adapter wraps them in the
// -EncodedCommand line. `stdinScript` is the production bootstrap line, which the adapter passes unchanged.
import { psQuote } from '../../src/platform/windows/quote.ts';
import { bootstrapCommandLine } from '../../src/platform/windows/bootstrap.ts';

const q = psQuote;

/** The marker the Windows adapter's interrupt creates for this process (windows/remote-shell.ts on seams). */
const INTERRUPT_MARKER = "(Join-Path $env:TEMP ('gofleet-interrupt-' + $PID))";

export const windowsContractScripts = {
  echo: (text: string): string => `Write-Output ${q(text)}`,
  stderrLine: (text: string): string => `[Console]::Error.WriteLine(${q(text)})`,
  writeError: (text: string): string => `Write-Error ${q(text)}`,
  throwError: (text: string): string => `throw ${q(text)}`,
  exit: (code: number): string => `exit ${code}`,
  sleepSeconds: (s: number): string => `Start-Sleep -Seconds ${s}`,
  pid: (): string => 'Write-Output $PID',
  /** stdin read as bytes (inline text, where stdin is data): prints the length, then the SHA-256 (upper case) */
  measureStdin: (): string => ['$m = New-Object System.IO.MemoryStream', '[Console]::OpenStandardInput().CopyTo($m)',
    '$d = $m.ToArray()', 'Write-Output $d.Length',
    'Write-Output (Get-FileHash -InputStream ([IO.MemoryStream]::new($d)) -Algorithm SHA256).Hash'].join('\n'),
  /** prints the lowercase SHA-256 of stdin */
  sha256Stdin: (): string => '(Get-FileHash -InputStream ([Console]::OpenStandardInput()) -Algorithm SHA256).Hash.ToLower()',
  /** bytes carried in the script itself (stdin IS the script); prints the length, then the SHA-256 (upper case) */
  measure: (data: Buffer): string => `$d = [Convert]::FromBase64String(@'\n${data.toString('base64').replace(/.{1,76}/g, '$&\n')}'@)\n` +
    'Write-Output $d.Length\nWrite-Output (Get-FileHash -InputStream ([IO.MemoryStream]::new($d)) -Algorithm SHA256).Hash',
  /** lines from..to, each zero-padded to `width` */
  largeOutput: (from: number, to: number, width: number): string =>
    `${from}..${to} | ForEach-Object { $_.ToString().PadLeft(${width}, '0') }`,
  /** wait up to 200 x 50 ms for `path` to exist, else exit 9 */
  waitForFile: (path: string): string =>
    `$i = 0; while (-not (Test-Path -LiteralPath ${q(path)})) { $i++; if ($i -gt 200) { exit 9 }; Start-Sleep -Milliseconds 50 }`,
  /** wait (up to 30 s) for this process's interrupt marker */
  waitForInterrupt: (): string =>
    `$i = 0; while (-not (Test-Path -LiteralPath ${INTERRUPT_MARKER})) { $i++; if ($i -gt 600) { exit 9 }; Start-Sleep -Milliseconds 50 }`,
  makeDir: (path: string): string => `[IO.Directory]::CreateDirectory(${q(path)}) | Out-Null`,
  /** a new directory under %TEMP%; prints its path */
  makeScratchDir: (): string => 'Write-Output ([IO.Directory]::CreateDirectory((Join-Path $env:TEMP ([IO.Path]::GetRandomFileName())))).FullName',
  writeFile: (path: string, text: string): string => `[IO.File]::WriteAllText(${q(path)}, ${q(text)})`,
  writePid: (path: string): string => `[IO.File]::WriteAllText(${q(path)}, [string]$PID)`,
  /** prints `alive` or `gone` for the pid in the file */
  aliveOrGone: (pidFile: string): string =>
    `if (Get-Process -Id ([int][IO.File]::ReadAllText(${q(pidFile)})) -ErrorAction SilentlyContinue) { 'alive' } else { 'gone' }`,
  /** prints the file's content exactly */
  cat: (path: string): string => `[Console]::Out.Write([IO.File]::ReadAllText(${q(path)}))`,
  readFile: (path: string): string => `Get-Content -LiteralPath ${q(path)} -Raw`,
  fileHash: (path: string): string => `(Get-FileHash -LiteralPath ${q(path)} -Algorithm SHA256).Hash`,
  listDir: (path: string): string => `Get-ChildItem -LiteralPath ${q(path)} -Name -Force`,
  countNames: (dir: string, part: string): string =>
    `@(Get-ChildItem -LiteralPath ${q(dir)} -Name -Force | Where-Object { $_.Contains(${q(part)}) }).Count`,
  isReadOnly: (path: string): string => `(Get-Item -LiteralPath ${q(path)}).IsReadOnly`,
  testPath: (path: string): string => `Test-Path -LiteralPath ${q(path)}`,
  remove: (path: string): string => `Remove-Item -LiteralPath ${q(path)} -Recurse -Force`,
};

const ps = windowsContractScripts;
const lines = (...l: string[]): string => l.join('\n');

/** `C:\x\y` as SFTP takes it: `/C:/x/y`. */
export function windowsTransferPath(path: string): string {
  return `/${path.replace(/\\/g, '/')}`;
}

export const WINDOWS_CONTRACT = {
  name: 'powershell',
  eol: '\r\n',
  quote: psQuote,
  makeScratchDir: ps.makeScratchDir(),
  removeTree: ps.remove,
  join: (dir: string, name: string): string => `${dir}\\${name}`,
  // put and get take the Windows path: the transport asks the Windows remote shell for its SFTP form
  transferPath: (path: string): string => path,
  echo: ps.echo,
  succeed: ps.exit(0),
  hello: { command: lines(ps.echo('hello'), ps.echo('fïlé ✓')), stdout: 'hello\r\nfïlé ✓\r\n' },
  failWith3: lines(ps.echo('out'), ps.stderrLine('err ✗'), ps.exit(3)),
  killSelf: null,
  countStdin: lines('$m = New-Object System.IO.MemoryStream', '[Console]::OpenStandardInput().CopyTo($m)', '$d = $m.ToArray()',
    'Write-Output $d.Length'),
  sha256Stdin: ps.sha256Stdin(),
  stdinScript: { command: bootstrapCommandLine(), script: lines(ps.echo('its "quoted"'), ps.exit(4), ''), stdout: 'its "quoted"\r\n' },
  largeOutput: ps.largeOutput(0, 1999, 1000),
  readyThenWaitFor: (flag: string): string => lines(ps.echo('ready'), ps.waitForFile(flag), ps.echo('done')),
  touch: (flag: string): string => ps.writeFile(flag, ''),
  sleepWritingPid: (pidFile: string, started: boolean): string =>
    lines(ps.writePid(pidFile), ...(started ? [ps.echo('started')] : []), ps.sleepSeconds(30)),
  aliveOrGone: ps.aliveOrGone,
  // Windows has no SIGTERM: the interrupt is the adapter's marker file, which the script polls
  interruptible: {
    command: lines(ps.echo('started'), ps.waitForInterrupt(), ps.echo('got-term'), ps.sleepSeconds(2), ps.echo('after'), ps.exit(7)),
    stdout: /^started\r\ngot-term\r\nafter\r\n$/,
  },
  mkdir: (path: string): string => ps.makeDir(path),
  cat: ps.cat,
  writeFirst: (path: string): string => ps.writeFile(path, 'first'),
  mode: null,
  sha256File: (path: string): string => `${ps.fileHash(path)}.ToLower()`,
  list: ps.listDir,
  countNames: ps.countNames,
  // spaces, a quote and non-ASCII; no `"` (Windows refuses it in file names)
  weirdFile: "fïlé 'q' ✓.txt",
};
