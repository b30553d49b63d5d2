// What Windows PowerShell 5.1 cannot run, as rules over a tree-sitter-powershell tree (check-ps51.ts).
//
// Operators (&&, ||, ??, ??=, ?., ?[], a ? b : c, a trailing background &) are PowerShell 6/7 syntax. They are
// found in the script's code with strings, comments, bare command arguments, command names and variables
// blanked out, so `'a && b'`, `# x ?? y`, `dir a?.txt`, the `?` alias of Where-Object and `$?` never match.
// Commands are matched by name (aliases included) and parameters by name or by a prefix of at least four
// letters (PowerShell accepts unique prefixes: `-AsHash` is -AsHashtable); splatted parameters are not seen.
// Junctions: `Remove-Item -Recurse` is refused when its arguments, or a command piped into it, name a
// variable matching /goroot|junction|link/i (PS 5.1 recurses into a junction's target: PowerShell#621).
// Name the variables that hold junction paths accordingly, and remove a junction with [IO.Directory]::Delete.

import type Parser from 'tree-sitter';

type Node = Parser.SyntaxNode;

export interface Finding {
  /** index (UTF-16 code units) in the script */
  index: number;
  rule: string;
  message: string;
}

/** Node types whose text is data, not code (sub-expressions inside strings are code again). */
const DATA_NODES = new Set(['string_literal', 'comment', 'generic_token', 'command_name', 'variable']);

/** The sub_expression nodes under `n` that are not inside another one. */
function outerSubExpressions(n: Node): Node[] {
  return n.children.flatMap((c) => (c.type === 'sub_expression' ? [c] : outerSubExpressions(c)));
}

/** The script with every data character blanked (newlines kept), so operators can be searched by position. */
export function codeOnly(source: string, root: Node): string {
  const chars = source.split('');
  const visit = (n: Node): void => {
    if (!DATA_NODES.has(n.type)) {
      for (const c of n.children) visit(c);
      return;
    }
    const subs = outerSubExpressions(n);
    for (let i = n.startIndex; i < n.endIndex; i++) {
      if (chars[i] !== '\n' && !subs.some((s) => i >= s.startIndex && i < s.endIndex)) chars[i] = ' ';
    }
    for (const s of subs) visit(s);
  };
  visit(root);
  return chars.join('');
}

const OPERATORS: Array<{ re: RegExp; rule: string; message: string }> = [
  { re: /&&|\|\|/g, rule: 'pipeline-chain', message: 'pipeline chain operators && and || are PowerShell 7 (use if ($LASTEXITCODE -eq 0) / if ($?))' },
  { re: /\?\?=?/g, rule: 'null-coalescing', message: 'null-coalescing ?? and ??= are PowerShell 7 (use if ($null -eq $x))' },
  { re: /(?<!\?)\?(?=[.[])/g, rule: 'null-conditional', message: 'null-conditional ?. and ?[] are PowerShell 7 (test for $null first)' },
  { re: /(?<![?$])\?(?![?.[])/g, rule: 'ternary', message: 'the ternary operator a ? b : c is PowerShell 7 (use if/else or an if expression)' },
];

/** Operator findings in the blanked code; a background `&` is one that ends its statement in the source. */
export function operatorFindings(source: string, code: string): Finding[] {
  const out: Finding[] = [];
  for (const { re, rule, message } of OPERATORS) {
    for (const m of code.matchAll(re)) out.push({ index: m.index, rule, message });
  }
  for (const m of code.matchAll(/(?<![&>])&(?!&)/g)) {
    if (/^[ \t]*(?:\r?\n|;|\}|\)|$)/.test(source.slice(m.index + 1))) {
      out.push({ index: m.index, rule: 'background-operator', message: 'a trailing & (background job) is PowerShell 6+ (use Start-Job or Start-Process)' });
    }
  }
  return out;
}

export const CLEAN_BLOCK = 'a clean { } block is PowerShell 7.3+ (use try/finally)';

const PS7_CMDLETS = new Map<string, string>([
  ['get-error', 'Get-Error is PowerShell 7 (read $Error[0] and its .Exception)'],
  ['test-json', 'Test-Json is PowerShell 6.1+'],
  ['join-string', 'Join-String is PowerShell 6.2+ (use -join)'],
  ['get-uptime', 'Get-Uptime is PowerShell 6+ (use Win32_OperatingSystem LastBootUpTime)'],
  ['remove-alias', 'Remove-Alias is PowerShell 6+'],
  ['remove-service', 'Remove-Service is PowerShell 6+ (use sc.exe delete)'],
  ['convertfrom-markdown', 'ConvertFrom-Markdown is PowerShell 6.1+'],
  ['show-markdown', 'Show-Markdown is PowerShell 6.1+'],
  ['start-threadjob', 'Start-ThreadJob is not in-box in Windows PowerShell 5.1'],
  ['get-securerandom', 'Get-SecureRandom is PowerShell 7.4+'],
  ['convertto-clixml', 'ConvertTo-CliXml is PowerShell 7.5+'],
  ['convertfrom-clixml', 'ConvertFrom-CliXml is PowerShell 7.5+'],
]);

const ALIASES = new Map<string, string>([
  ['%', 'foreach-object'], ['foreach', 'foreach-object'],
  ['rm', 'remove-item'], ['del', 'remove-item'], ['erase', 'remove-item'], ['rd', 'remove-item'], ['rmdir', 'remove-item'], ['ri', 'remove-item'],
  ['iwr', 'invoke-webrequest'], ['curl', 'invoke-webrequest'], ['wget', 'invoke-webrequest'], ['irm', 'invoke-restmethod'],
  ['gc', 'get-content'], ['cat', 'get-content'], ['type', 'get-content'], ['sc', 'set-content'], ['ac', 'add-content'],
  ['gci', 'get-childitem'], ['ls', 'get-childitem'], ['dir', 'get-childitem'], ['sort', 'sort-object'], ['select', 'select-object'],
  ['?', 'where-object'], ['where', 'where-object'], ['sls', 'select-string'], ['start', 'start-process'], ['saps', 'start-process'],
]);

const WEB = ['SkipCertificateCheck', 'SkipHttpErrorCheck', 'SkipHeaderValidation', 'StatusCodeVariable', 'ResponseHeadersVariable', 'Resume', 'Form', 'Authentication', 'Token', 'SslProtocol', 'AllowUnencryptedAuthentication', 'MaximumRetryCount', 'RetryIntervalSec', 'NoProxy', 'HttpVersion', 'PreserveAuthorizationOnRedirect'];

/** PowerShell 6/7-only parameters by command ('*': any command). */
const PS7_PARAMETERS = new Map<string, string[]>([
  ['*', ['Parallel']],
  ['convertfrom-json', ['AsHashtable', 'Depth', 'NoEnumerate', 'DateKind']],
  ['convertto-json', ['AsArray', 'EnumsAsStrings', 'EscapeHandling']],
  ['invoke-webrequest', WEB],
  ['invoke-restmethod', WEB],
  ['join-path', ['AdditionalChildPath']],
  ['get-content', ['AsByteStream']],
  ['set-content', ['AsByteStream']],
  ['add-content', ['AsByteStream']],
  ['split-path', ['Extension', 'LeafBase']],
  ['get-childitem', ['FollowSymlink']],
  ['start-process', ['Environment']],
  ['sort-object', ['Top', 'Bottom']],
  ['select-object', ['SkipIndex']],
  ['where-object', ['Not']],
  ['select-string', ['Raw', 'NoEmphasis']],
  ['out-string', ['NoNewline']],
  ['get-date', ['AsUTC', 'UnixTimeSeconds']],
]);

const JUNCTION_VARIABLE = /goroot|junction|link/i;

/** `-Name`, `-Name:value` -> `name` */
function parameterName(text: string): string {
  return text.replace(/^-/, '').replace(/:.*$/s, '').toLowerCase();
}

function matchesParameter(given: string, full: string): boolean {
  const f = full.toLowerCase();
  return given === f || (given.length >= 4 && f.startsWith(given));
}

function descendants(n: Node, type: string): Node[] {
  return n.descendantsOfType(type);
}

function commandFindings(cmd: Node): Finding[] {
  const nameNode = cmd.childForFieldName('command_name') ?? cmd.children.find((c) => c.type === 'command_name');
  if (!nameNode) return [];
  const raw = nameNode.text.toLowerCase();
  const name = ALIASES.get(raw) ?? raw;
  const out: Finding[] = [];
  const cmdlet = PS7_CMDLETS.get(name);
  if (cmdlet) out.push({ index: nameNode.startIndex, rule: 'ps7-cmdlet', message: cmdlet });
  if (name === 'clean' && cmd.descendantsOfType('script_block_expression').length > 0) out.push({ index: nameNode.startIndex, rule: 'clean-block', message: CLEAN_BLOCK });
  const params = descendants(cmd, 'command_parameter').filter((p) => p.parent?.parent?.id === cmd.id || p.parent?.id === cmd.id);
  for (const p of params) {
    const given = parameterName(p.text);
    for (const key of [name, '*']) {
      const full = (PS7_PARAMETERS.get(key) ?? []).find((f) => matchesParameter(given, f));
      if (full) out.push({ index: p.startIndex, rule: 'ps7-parameter', message: `${nameNode.text} -${full} is PowerShell 6/7 only` });
    }
    if (given === 'encoding' && /^\s*-encoding[: ]\s*['"]?utf8(no)?bom\b/i.test(cmd.text.slice(p.startIndex - cmd.startIndex))) {
      out.push({ index: p.startIndex, rule: 'ps7-parameter', message: '-Encoding utf8NoBOM / utf8BOM are PowerShell 6+ (write bytes with [IO.File]::WriteAllText and a UTF8Encoding)' });
    }
  }
  if (name === 'using') out.push(...usingFinding(cmd, nameNode));
  if (name === 'remove-item' && params.some((p) => 'recurse'.startsWith(parameterName(p.text)))) out.push(...junctionFinding(cmd, nameNode));
  return out;
}

function junctionFinding(cmd: Node, nameNode: Node): Finding[] {
  const chain = cmd.parent?.type === 'pipeline_chain' ? cmd.parent : cmd;
  const upTo = chain.children.filter((c) => c.startIndex <= cmd.startIndex);
  const vars = upTo.flatMap((c) => [...(c.type === 'variable' ? [c] : []), ...descendants(c, 'variable')]);
  const hit = vars.find((v) => JUNCTION_VARIABLE.test(v.text));
  if (!hit) return [];
  return [{
    index: nameNode.startIndex,
    rule: 'junction-recursive-delete',
    message: `Remove-Item -Recurse on ${hit.text}, a junction path by its name: Windows PowerShell 5.1 deletes the junction's target (use [IO.Directory]::Delete(path, $false))`,
  }];
}

/** `using` statements must come first in the script (before any other statement). */
function usingFinding(cmd: Node, nameNode: Node): Finding[] {
  let statement: Node = cmd;
  while (statement.parent && statement.parent.type !== 'statement_list') statement = statement.parent;
  const list = statement.parent;
  const atTop = list?.parent?.type === 'program';
  const before = list ? list.namedChildren.filter((s) => s.startIndex < statement.startIndex && s.type !== 'comment') : [];
  const onlyUsing = before.every((s) => /^using\s/i.test(s.text));
  if (atTop && onlyUsing) return [];
  return [{ index: nameNode.startIndex, rule: 'using-after-code', message: 'a using statement must come before any other statement of the script' }];
}

const PS7_VARIABLE = /^\$(IsWindows|IsLinux|IsMacOS|IsCoreCLR|PSStyle|PSNativeCommandUseErrorActionPreference|PSNativeCommandArgumentPassing)$/i;

const NETCORE_API = /\[(?:System\.)?IO\.Path\]::(?:GetRelativePath|Join|TrimEndingDirectorySeparator)\b|\]::(?:CreateSymbolicLink|ProcessId|ProcessPath)\b/gi;

/** Command, variable and API findings from the tree and the script text. */
export function treeFindings(source: string, root: Node, code: string): Finding[] {
  const out: Finding[] = [];
  for (const cmd of descendants(root, 'command')) out.push(...commandFindings(cmd));
  for (const v of descendants(root, 'variable')) {
    if (PS7_VARIABLE.test(v.text)) out.push({ index: v.startIndex, rule: 'ps7-variable', message: `${v.text} is defined only in PowerShell 6+ (it is $null in 5.1)` });
  }
  for (const m of code.matchAll(NETCORE_API)) {
    out.push({ index: m.index, rule: 'netcore-api', message: `${source.slice(m.index, m.index + m[0].length)} is .NET Core only (Windows PowerShell 5.1 runs on .NET Framework)` });
  }
  return out;
}
