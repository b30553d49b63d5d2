// The fake Windows host's default `respond`: a handful of PowerShell statement SHAPES, recognised by regex --
// exactly those the contract table (fake-windows-contract-table.ts) sends. Output is what PowerShell prints:
// a value and CRLF (Write-Output), a string as it is ([Console]::Out.Write).
// This is NOT a PowerShell: one statement per line (a here-string may span lines), literals are
// single-quoted (psQuote's form), and a statement of any other shape is answered with PowerShell's
// "is not recognized" error (CLIXML on stderr), recorded in `host.unrecognized`, and the run exits 1.
// Errors: `Write-Error` writes a CLIXML error record and goes on, `throw` writes one and exits 1 -- unless
// `$ErrorActionPreference = 'Stop'` (then Write-Error stops too), or the script came through the production
// bootstrap (platform/windows/bootstrap.ts), which catches a terminating error and writes it as one plain
// `gofleet: <message>` line (its EAP is Stop, so Write-Error terminates there as well).
// Exit code: `exit N`, 1 after a terminating error or an unrecognized statement, else 0.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Reply, RespondContext } from './fake-windows-process.ts';
import { clixmlError } from './fake-windows-output.ts';

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
const MARKER = String.raw`\(Join-Path \$env:TEMP \('gofleet-interrupt-' \+ \$PID\)\)`;
const line = (r: Run, value: string | number): void => r.out(`${value}\r\n`);
const text = (m: RegExpExecArray, i = 1): string => unquote(m[i] ?? '');

/** poll for a file as the script's `while (-not (Test-Path ...)) { ... Start-Sleep }` loop does */
async function waitFor(r: Run, path: string, max: number, code: number, ms: number): Promise<void> {
  for (let i = 1; !existsSync(path); i++) {
    if (i > max) throw new Exit(code);
    await r.ctx.sleep(ms);
  }
}

const SHAPES: Shape[] = [
  // the preamble of inline text (windows/remote-shell.ts wrap) and of scripts: the fake host already did it
  [/^\[Console\]::Error\.WriteLine\('gofleet-pid:' \+ \$PID\)$/, () => undefined],
  [/^\$ProgressPreference = '\w+'$/, () => undefined],
  [/^\$ErrorActionPreference = '(\w+)'$/, (m, r) => void (r.stopOnError = m[1]?.toLowerCase() === 'stop')],
  [/^\[Console\]::OutputEncoding = New-Object System\.Text\.UTF8Encoding \$false$/, () => undefined],
  [new RegExp(`^Write-Output ${LIT}$`), (m, r) => line(r, text(m))],
  [new RegExp(`^\\[Console\\]::Error\\.WriteLine\\(${LIT}\\)$`), (m, r) => r.ctx.raw.stderr(`${text(m)}\r\n`)],
  [new RegExp(`^Write-Error ${LIT}$`), (m, r) => {
    if (r.caught) terminating(r, text(m));
    r.error(text(m));
    if (r.stopOnError) throw new Exit(1);
  }],
  [new RegExp(`^throw ${LIT}$`), (m, r) => {
    if (r.caught) terminating(r, text(m));
    r.error(`${text(m)}\nAt line:1 char:1`, 'throw');
    throw new Exit(1);
  }],
  [/^exit (-?\d+)$/, (m) => {
    throw new Exit(Number(m[1]));
  }],
  [/^Start-Sleep (?:-Seconds )?(\d+)$/, (m, r) => r.ctx.sleep(Number(m[1]) * 1000)],
  [/^Start-Sleep -Milliseconds (\d+)$/, (m, r) => r.ctx.sleep(Number(m[1]))],
  [/^Write-Output \$PID$/, (_m, r) => line(r, r.ctx.pid)],
  // bytes: carried in a here-string, or read from stdin
  [/^\$(\w+) = \[Convert\]::FromBase64String\(@'\n([\s\S]*)\n'@\)$/, (m, r) => {
    r.bytes.set(m[1] ?? '', Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64'));
  }],
  [/^\$m = New-Object System\.IO\.MemoryStream$/, () => undefined],
  [/^\[Console\]::OpenStandardInput\(\)\.CopyTo\(\$m\)$/, () => undefined],
  [/^\$(\w+) = \$m\.ToArray\(\)$/, (m, r) => void r.bytes.set(m[1] ?? '', r.ctx.stdin)],
  [/^Write-Output \$(\w+)\.Length$/, (m, r) => line(r, r.bytes.get(m[1] ?? '')?.length ?? 0)],
  [/^Write-Output \(Get-FileHash -InputStream \(\[IO\.MemoryStream\]::new\(\$(\w+)\)\) -Algorithm SHA256\)\.Hash$/, (m, r) =>
    line(r, sha256(r.bytes.get(m[1] ?? '') ?? Buffer.alloc(0)))],
  [/^\(Get-FileHash -InputStream \(\[Console\]::OpenStandardInput\(\)\) -Algorithm SHA256\)\.Hash\.ToLower\(\)$/, (_m, r) =>
    line(r, sha256(r.ctx.stdin).toLowerCase())],
  [/^(\d+)\.\.(\d+) \| ForEach-Object \{ \$_\.ToString\(\)\.PadLeft\((\d+), '0'\) \}$/, (m, r) => {
    const [from, to, width] = [Number(m[1]), Number(m[2]), Number(m[3])];
    r.out(Array.from({ length: to - from + 1 }, (_, i) => `${String(from + i).padStart(width, '0')}\r\n`).join(''));
  }],
  [new RegExp(`^\\$i = 0; while \\(-not \\(Test-Path -LiteralPath ${LIT}\\)\\) \\{ \\$i\\+\\+; if \\(\\$i -gt (\\d+)\\) \\{ exit (\\d+) \\}; Start-Sleep -Milliseconds (\\d+) \\}$`),
    (m, r) => waitFor(r, r.path(text(m)), Number(m[3]), Number(m[4]), Number(m[5]))],
  [new RegExp(`^\\$i = 0; while \\(-not \\(Test-Path -LiteralPath ${MARKER}\\)\\) \\{ \\$i\\+\\+; if \\(\\$i -gt (\\d+)\\) \\{ exit (\\d+) \\}; Start-Sleep -Milliseconds (\\d+) \\}$`),
    (m, r) => waitFor(r, r.path(`${r.ctx.host.temp}\\gofleet-interrupt-${r.ctx.pid}`), Number(m[1]), Number(m[2]), Number(m[3]))],
  [new RegExp(`^\\[IO\\.Directory\\]::CreateDirectory\\(${LIT}\\) \\| Out-Null$`), (m, r) => void mkdirSync(r.path(text(m)), { recursive: true })],
  [/^Write-Output \(\[IO\.Directory\]::CreateDirectory\(\(Join-Path \$env:TEMP \(\[IO\.Path\]::GetRandomFileName\(\)\)\)\)\)\.FullName$/, (_m, r) => {
    const name = `${randomBytes(4).toString('hex')}.${randomBytes(2).toString('hex').slice(0, 3)}`;
    const dir = `${r.ctx.host.temp}\\${name}`;
    mkdirSync(r.path(dir));
    line(r, dir);
  }],
  [new RegExp(`^\\[IO\\.File\\]::WriteAllText\\(${LIT}, ${LIT}\\)$`), (m, r) => writeFileSync(r.path(text(m)), text(m, 3))],
  [new RegExp(`^\\[IO\\.File\\]::WriteAllText\\(${LIT}, \\[string\\]\\$PID\\)$`), (m, r) => writeFileSync(r.path(text(m)), String(r.ctx.pid))],
  [new RegExp(`^if \\(Get-Process -Id \\(\\[int\\]\\[IO\\.File\\]::ReadAllText\\(${LIT}\\)\\) -ErrorAction SilentlyContinue\\) \\{ 'alive' \\} else \\{ 'gone' \\}$`), (m, r) => {
    const pid = Number(readFileSync(r.path(text(m)), 'utf8'));
    line(r, r.ctx.host.running().includes(pid) ? 'alive' : 'gone');
  }],
  [new RegExp(`^\\[Console\\]::Out\\.Write\\(\\[IO\\.File\\]::ReadAllText\\(${LIT}\\)\\)$`), (m, r) => r.out(readFileSync(r.path(text(m)), 'utf8'))],
  [new RegExp(`^Get-Content -LiteralPath ${LIT} -Raw$`), (m, r) => line(r, readFileSync(r.path(text(m)), 'utf8'))],
  [new RegExp(`^\\(Get-FileHash -LiteralPath ${LIT} -Algorithm SHA256\\)\\.Hash(\\.ToLower\\(\\))?$`), (m, r) => {
    const hash = sha256(readFileSync(r.path(text(m))));
    line(r, m[3] ? hash.toLowerCase() : hash);
  }],
  [new RegExp(`^Get-ChildItem -LiteralPath ${LIT} -Name -Force$`), (m, r) => {
    r.out(readdirSync(r.path(text(m))).sort().map((n) => `${n}\r\n`).join(''));
  }],
  [new RegExp(`^@\\(Get-ChildItem -LiteralPath ${LIT} -Name -Force \\| Where-Object \\{ \\$_\\.Contains\\(${LIT}\\) \\}\\)\\.Count$`), (m, r) => {
    line(r, readdirSync(r.path(text(m))).filter((n) => n.includes(text(m, 3))).length);
  }],
  [new RegExp(`^\\(Get-Item -LiteralPath ${LIT}\\)\\.IsReadOnly$`), (m, r) =>
    line(r, (statSync(r.path(text(m))).mode & 0o200) === 0 ? 'True' : 'False')],
  [new RegExp(`^Test-Path -LiteralPath ${LIT}$`), (m, r) => line(r, existsSync(r.path(text(m))) ? 'True' : 'False')],
  [new RegExp(`^Remove-Item -LiteralPath ${LIT} -Recurse -Force$`), (m, r) => rmSync(r.path(text(m)), { recursive: true, force: true })],
];

/** A terminating error under the production bootstrap: its catch prints `gofleet: ` and the record, exit 1. */
function terminating(r: Run, message: string): never {
  r.ctx.raw.stderr(`gofleet: ${message}\r\n`);
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
    out: (t) => ctx.raw.stdout(t),
    error(message, command) {
      const x = clixmlError(message, { command });
      ctx.raw.stderr(this.clixml ? x.slice(x.indexOf('<Objs')) : x);
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
