// Output in the shapes a Windows host produces, for the fake Windows OpenSSH host: CRLF line ends and
// CLIXML error streams (what Windows PowerShell writes on stderr when its error stream is redirected).

/** Every LF not already preceded by CR becomes CRLF. */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

const CLIXML_NS = 'http://schemas.microsoft.com/powershell/2004/04';

/** PowerShell's CLIXML string escaping: XML entities, `_` before `x` as `_x005F_`, control characters as `_xHHHH_`. */
function clixmlEscape(text: string): string {
  return text
    .replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}

export interface ClixmlErrorOptions {
  /** the command named in CategoryInfo (default Write-Error, as `Write-Error 'msg'` reports) */
  command?: string;
  /** a progress record first, as a module load or Invoke-WebRequest writes one (default false) */
  progress?: boolean;
  /** the position block PowerShell 5.1 puts under a script's error: `At line:N char:M`, the code, the marks */
  at?: { line: number; char: number; code: string };
}

/** The lines of an error record's position block (`At line:..`, `+ code`, `+ ~~~` under the failing part). */
export function positionLines(at: { line: number; char: number; code: string }): string[] {
  const width = Math.max(1, at.code.length - (at.char - 1));
  return [`At line:${at.line} char:${at.char}`, `+ ${at.code}`, `+ ${' '.repeat(at.char - 1)}${'~'.repeat(width)}`];
}

/**
 * stderr of a PowerShell that reported `message` as an error record:
 * `#< CLIXML\r\n<Objs ...><S S="Error">msg_x000D__x000A_</S>...</Objs>`, one `<S S="Error">` per line,
 * followed by the CategoryInfo / FullyQualifiedErrorId lines PowerShell 5.1 adds.
 */
export function clixmlError(message: string, o: ClixmlErrorOptions = {}): string {
  const command = o.command ?? 'Write-Error';
  const lines = [
    ...message.split(/\r?\n/),
    ...(o.at ? positionLines(o.at) : []),
    `    + CategoryInfo          : NotSpecified: (:) [${command}], WriteErrorException`,
    `    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException`,
    ' ',
  ];
  const progress = o.progress
    ? '<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN>' +
      '<MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil />' +
      '<PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>'
    : '';
  const records = lines.map((l) => `<S S="Error">${clixmlEscape(l)}_x000D__x000A_</S>`).join('');
  return `#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="${CLIXML_NS}">${progress}${records}</Objs>`;
}

/** cmd.exe's answer to a command line it cannot run (the first word), on stderr with exit code 1. */
export function notRecognized(commandLine: string): string {
  const word = commandLine.trim().split(/[\s&|<>]/)[0] ?? '';
  return `'${word}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`;
}
