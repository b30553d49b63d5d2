// The fake Windows host's default `respond`: a handful of PowerShell statement SHAPES, recognised by regex,
// and the transport-contract script table built from exactly those shapes (windowsContractScripts).
// This is NOT a PowerShell: one statement per line (a here-string may span lines), literals are
// single-quoted (psQuote's form), and a statement of any other shape is answered with PowerShell's
// "is not recognized" error (CLIXML on stderr), recorded in `host.unrecognized`, and the run exits 1.
// Errors: `Write-Error` writes a CLIXML error record and goes on, `throw` writes one and exits 1 -- unless
// `$ErrorActionPreference = 'Stop'` (then Write-Error stops too), or the script came through the production
// bootstrap (platform/windows/bootstrap.ts), which catches a terminating error and writes it as one plain
// `gofleet: <message>` line (its EAP is Stop, so Write-Error terminates there as well).
// Exit code: `exit N`, 1 after a terminating error or an unrecognized statement, else 0.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { psQuote } from '../../src/platform/windows/quote.ts';
import type { Reply, RespondContext } from './fake-windows-sshd.ts';
import { clixmlError } from './fake-windows-output.ts';

/** The contract's commands as PowerShell scripts (each goes over stdin to the bootstrap). */
export const windowsContractScripts = {
  echo: (text: string): string => `Write-Output ${psQuote(text)}`,
  stderrLine: (text: string): string => `[Console]::Error.WriteLine(${psQuote(text)})`,
  writeError: (text: string): string => `Write-Error ${psQuote(text)}`,
  throwError: (text: string): string => `throw ${psQuote(text)}`,
  exit: (code: number): string => `exit ${code}`,
  sleepSeconds: (s: number): string => `Start-Sleep -Seconds ${s}`,
  pid: (): string => 'Write-Output $PID',
  /** stdin read as bytes (with inline text, where stdin is data): prints the length, then the SHA-256 (upper case) */
  measureStdin: (): string => ['$m = New-Object System.IO.MemoryStream', '[Console]::OpenStandardInput().CopyTo($m)',
    '$d = $m.ToArray()', 'Write-Output $d.Length',
    'Write-Output (Get-FileHash -InputStream ([IO.MemoryStream]::new($d)) -Algorithm SHA256).Hash'].join('\n'),
  /** bytes carried in the script itself (stdin IS the script); prints the length, then the SHA-256 (upper case) */
  measure: (data: Buffer): string => `$d = [Convert]::FromBase64String(@'\n${data.toString('base64').replace(/.{1,76}/g, '$&\n')}'@)\n` +
    'Write-Output $d.Length\nWrite-Output (Get-FileHash -InputStream ([IO.MemoryStream]::new($d)) -Algorithm SHA256).Hash',
  /** `lines` lines: 1..lines, each zero-padded to `width` */
  largeOutput: (lines: number, width: number): string => `1..${lines} | ForEach-Object { $_.ToString().PadLeft(${width}, '0') }`,
  /** wait up to 200 x 50 ms for `path` to exist, else exit 9 */
  waitForFile: (path: string): string =>
    `$i = 0; while (-not (Test-Path -LiteralPath ${psQuote(path)})) { $i++; if ($i -gt 200) { exit 9 }; Start-Sleep -Milliseconds 50 }`,
  makeDir: (path: string): string => `[IO.Directory]::CreateDirectory(${psQuote(path)}) | Out-Null`,
  writeFile: (path: string, text: string): string => `[IO.File]::WriteAllText(${psQuote(path)}, ${psQuote(text)})`,
  readFile: (path: string): string => `Get-Content -LiteralPath ${psQuote(path)} -Raw`,
  fileHash: (path: string): string => `(Get-FileHash -LiteralPath ${psQuote(path)} -Algorithm SHA256).Hash`,
  listDir: (path: string): string => `Get-ChildItem -LiteralPath ${psQuote(path)} -Name -Force`,
  isReadOnly: (path: string): string => `(Get-Item -LiteralPath ${psQuote(path)}).IsReadOnly`,
  testPath: (path: string): string => `Test-Path -LiteralPath ${psQuote(path)}`,
  remove: (path: string): string => `Remove-Item -LiteralPath ${psQuote(path)} -Recurse -Force`,
};

const LIT = `'((?:[^'\\u2018-\\u201B]|(['\\u2018-\\u201B])\\2)*)'`;
const unquote = (s: string): string => s.replace(/(['\u2018-\u201B])\1/g, '$1');

interface Run {
  ctx: RespondContext;
  bytes: Map<string, Buffer>;
  clixml: boolean;
  failed: boolean;
  stopOnError: boolean;
  /** the bootstrap catches terminating errors and prints them as plain text */
  caught: boolean;
  out(text: string): void;
  error(message: string, command?: string): void;
  path(p: string): string;
}

class Exit {
  constructor(readonly code: number) {}
}

type Shape = [RegExp, (m: RegExpExecArray, r: Run) => void | Promise<void>];

// groups: a LIT is two groups (the text, and the quote it repeats); the text is always m[1] for one literal
const SHAPES: Shape[] = [
  // the preamble of inline text (windows/remote-shell.ts wrap) and of scripts: the fake host already did it
  [/^\[Console\]::Error\.WriteLine\('gofleet-pid:' \+ \$PID\)$/, () => undefined],
  [/^\$ProgressPreference = '\w+'$/, () => undefined],
  [/^\$ErrorActionPreference = '(\w+)'$/, (m, r) => void (r.stopOnError = m[1]?.toLowerCase() === 'stop')],
  [/^\[Console\]::OutputEncoding = New-Object System\.Text\.UTF8Encoding \$false$/, () => undefined],
  [/^\$m = New-Object System\.IO\.MemoryStream$/, () => undefined],
  [/^\[Console\]::OpenStandardInput\(\)\.CopyTo\(\$m\)$/, () => undefined],
  [/^\$(\w+) = \$m\.ToArray\(\)$/, (m, r) => void r.bytes.set(m[1] ?? '', r.ctx.stdin)],
  [new RegExp(`^Write-Output ${LIT}$`), (m, r) => r.out(`${unquote(m[1] ?? '')}\n`)],
  [new RegExp(`^\\[Console\\]::Error\\.WriteLine\\(${LIT}\\)$`), (m, r) => r.ctx.stderr(`${unquote(m[1] ?? '')}\n`)],
  [new RegExp(`^Write-Error ${LIT}$`), (m, r) => {
    if (r.caught) terminating(r, unquote(m[1] ?? ''));
    r.error(unquote(m[1] ?? ''));
    if (r.stopOnError) throw new Exit(1);
  }],
  [new RegExp(`^throw ${LIT}$`), (m, r) => {
    if (r.caught) terminating(r, unquote(m[1] ?? ''));
    r.error(`${unquote(m[1] ?? '')}\nAt line:1 char:1`, 'throw');
    throw new Exit(1);
  }],
  [/^exit (-?\d+)$/, (m) => {
    throw new Exit(Number(m[1]));
  }],
  [/^Start-Sleep (?:-Seconds )?(\d+)$/, (m, r) => r.ctx.sleep(Number(m[1]) * 1000)],
  [/^Start-Sleep -Milliseconds (\d+)$/, (m, r) => r.ctx.sleep(Number(m[1]))],
  [/^Write-Output \$PID$/, (_m, r) => r.out(`${r.ctx.pid}\n`)],
  [/^\$(\w+) = \[Convert\]::FromBase64String\(@'\n([\s\S]*)\n'@\)$/, (m, r) => {
    r.bytes.set(m[1] ?? '', Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64'));
  }],
  [/^Write-Output \$(\w+)\.Length$/, (m, r) => r.out(`${r.bytes.get(m[1] ?? '')?.length ?? 0}\n`)],
  [/^Write-Output \(Get-FileHash -InputStream \(\[IO\.MemoryStream\]::new\(\$(\w+)\)\) -Algorithm SHA256\)\.Hash$/, (m, r) =>
    r.out(`${sha256(r.bytes.get(m[1] ?? '') ?? Buffer.alloc(0))}\n`)],
  [/^1\.\.(\d+) \| ForEach-Object \{ \$_\.ToString\(\)\.PadLeft\((\d+), '0'\) \}$/, (m, r) => {
    const width = Number(m[2]);
    const lines = Array.from({ length: Number(m[1]) }, (_, i) => `${String(i + 1).padStart(width, '0')}\n`);
    r.out(lines.join(''));
  }],
  [new RegExp(`^\\$i = 0; while \\(-not \\(Test-Path -LiteralPath ${LIT}\\)\\) \\{ \\$i\\+\\+; if \\(\\$i -gt (\\d+)\\) \\{ exit (\\d+) \\}; Start-Sleep -Milliseconds (\\d+) \\}$`), async (m, r) => {
    const path = r.path(unquote(m[1] ?? ''));
    for (let i = 1; !existsSync(path); i++) {
      if (i > Number(m[3])) throw new Exit(Number(m[4]));
      await r.ctx.sleep(Number(m[5]));
    }
  }],
  [new RegExp(`^\\[IO\\.Directory\\]::CreateDirectory\\(${LIT}\\) \\| Out-Null$`), (m, r) => void mkdirSync(r.path(unquote(m[1] ?? '')), { recursive: true })],
  [new RegExp(`^\\[IO\\.File\\]::WriteAllText\\(${LIT}, ${LIT}\\)$`), (m, r) => writeFileSync(r.path(unquote(m[1] ?? '')), unquote(m[3] ?? ''))],
  [new RegExp(`^Get-Content -LiteralPath ${LIT} -Raw$`), (m, r) => r.out(readFileSync(r.path(unquote(m[1] ?? '')), 'utf8'))],
  [new RegExp(`^\\(Get-FileHash -LiteralPath ${LIT} -Algorithm SHA256\\)\\.Hash$`), (m, r) => r.out(`${sha256(readFileSync(r.path(unquote(m[1] ?? ''))))}\n`)],
  [new RegExp(`^Get-ChildItem -LiteralPath ${LIT} -Name -Force$`), (m, r) => {
    const names = readdirSync(r.path(unquote(m[1] ?? ''))).sort();
    r.out(names.map((n) => `${n}\n`).join(''));
  }],
  [new RegExp(`^\\(Get-Item -LiteralPath ${LIT}\\)\\.IsReadOnly$`), (m, r) =>
    r.out(`${(statSync(r.path(unquote(m[1] ?? ''))).mode & 0o200) === 0 ? 'True' : 'False'}\n`)],
  [new RegExp(`^Test-Path -LiteralPath ${LIT}$`), (m, r) => r.out(`${existsSync(r.path(unquote(m[1] ?? ''))) ? 'True' : 'False'}\n`)],
  [new RegExp(`^Remove-Item -LiteralPath ${LIT} -Recurse -Force$`), (m, r) => rmSync(r.path(unquote(m[1] ?? '')), { recursive: true, force: true })],
];

/** A terminating error under the production bootstrap: its catch prints `gofleet: ` and the record, exit 1. */
function terminating(r: Run, message: string): never {
  r.ctx.stderr(`gofleet: ${message}\n`);
  throw new Exit(1);
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex').toUpperCase();
}

/** Statements: one a line, a here-string (`@'` ... `'@`) joined with the lines it spans. */
function statements(script: string): string[] {
  const out: string[] = [];
  let open: string[] | undefined;
  for (const line of script.split(/\r?\n/)) {
    if (open) {
      open.push(line);
      if (line.startsWith(`'@`)) {
        out.push(open.join('\n'));
        open = undefined;
      }
    } else if (line.trimEnd().endsWith(`@'`)) open = [line.trimEnd()];
    else if (line.trim() !== '' && !line.trim().startsWith('#')) out.push(line.trim());
  }
  if (open) out.push(open.join('\n'));
  return out;
}

/** Run `script` statement by statement; the default `respond` of the fake Windows host. */
export async function windowsRespond(script: string, ctx: RespondContext): Promise<Reply> {
  const r: Run = {
    ctx, bytes: new Map(), clixml: false, failed: false, stopOnError: false,
    caught: ctx.scriptFromStdin && /catch \{\s*\[Console\]::Error\.WriteLine\('gofleet: '/.test(ctx.bootstrap),
    out: (text) => ctx.stdout(text),
    error(message, command) {
      const x = clixmlError(message, { command });
      ctx.stderr(this.clixml ? x.slice(x.indexOf('<Objs')) : x);
      this.clixml = true;
    },
    path: (p) => ctx.host.drives.toLocal(p),
  };
  try {
    for (const s of statements(script)) {
      const shape = SHAPES.find(([re]) => re.test(s));
      if (!shape) {
        ctx.host.unrecognized.push(s);
        r.failed = true;
        const word = s.split(/\s/)[0] ?? s;
        const message = `${word} : The term '${word}' is not recognized as the name of a cmdlet, function, script file, or operable program.`;
        if (r.caught) terminating(r, message);
        r.error(message, word);
        continue;
      }
      await shape[1](shape[0].exec(s) as RegExpExecArray, r);
    }
  } catch (err) {
    if (err instanceof Exit) return { exitCode: err.code };
    throw err;
  }
  return { exitCode: r.failed ? 1 : 0 };
}
