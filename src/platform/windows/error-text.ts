// What a Windows host's stderr says, made readable for an error message. Windows PowerShell 5.1 renders an error
// record (in CLIXML, decoded by clixml.ts, or as text: the bootstrap's catch writes `gofleet: ` + ($_ | Out-String))
// as the message, then its position, then two category lines:
//   Exception calling "Move" with "2" argument(s): "Access to the path 'C:\Program Files\Go' is denied."
//   At line:12 char:7
//   +       [IO.Directory]::Move($From, $To)
//   +       ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
//       + CategoryInfo          : NotSpecified: (:) [], MethodInvocationException
//       + FullyQualifiedErrorId : UnauthorizedAccessException
// with CRLF line ends. The engine quotes the last lines of stderr; with the position block in, those are the
// position and category lines and the message itself is cut off. So: CLIXML decoded, CRLF -> LF, and the
// position block (the `At line:N char:M` / `At <file>:N char:M` line and the `+ ` lines echoing the code under
// it) dropped; the message and the category lines stay.
import { decodeClixml } from './clixml.ts';

const POSITION = /^At (?:line:\d+|.+:\d+) char:\d+$/;
const ECHO = /^\+ /;

export function windowsStderrText(stderr: string): string {
  const out: string[] = [];
  let inPosition = false;
  for (const line of decodeClixml(stderr).replace(/\r\n?/g, '\n').split('\n')) {
    if (POSITION.test(line)) {
      inPosition = true;
      continue;
    }
    if (inPosition && ECHO.test(line)) continue;
    inPosition = false;
    out.push(line);
  }
  return out.join('\n');
}
