// Which shell answers on a host, before anything else is sent to it: Windows OpenSSH hands the exec request
// to its DefaultShell (HKLM\SOFTWARE\OpenSSH DefaultShell: cmd.exe unless set, often powershell.exe, pwsh.exe
// or a POSIX shell), and a POSIX sshd to the account's login shell. One command, sent as it is (no wrapper:
// the wrapper is what we are choosing), tells the three apart by how each one reads it:
//
//     echo gofleet-shell '%OS%'
//
//   POSIX sh (dash, bash, busybox, zsh, ksh; csh and fish too):   gofleet-shell %OS%
//     single quotes are quoting: removed; `%` means nothing.
//   cmd.exe:                                                       gofleet-shell 'Windows_NT'
//     single quotes are ordinary characters: kept; %OS% is expanded (Windows sets OS=Windows_NT for every
//     process; were it unset, cmd leaves `%OS%` as written — the kept quotes still say cmd).
//   PowerShell (5.1 and 7; `echo` is Write-Output):                gofleet-shell
//                                                                  %OS%
//     two arguments are two objects: one line each; the single-quoted one is verbatim.
// Windows writes CRLF. The POSIX shapes are checked under sh, dash, busybox sh and bash in detect-shell.test.ts;
// the cmd.exe and PowerShell shapes are derived from their documentation (cmd's `echo` prints the rest of
// the line after variable expansion, quotes included — Microsoft's `echo` and `set` command references;
// PowerShell's `echo` alias of Write-Output sends each argument down the pipeline, one line per string —
// about_Aliases, Write-Output) and could not be run here. A banner or MOTD line before the answer is ignored.
//
// Cost: one round trip on the connection already open (no new connection). The engine pays it only when the
// inventory does not say the host's OS, or says windows (whose adapter depends on the DefaultShell); a declared
// linux/darwin is trusted and checked by the facts (engine/probe-host.ts).

import type { HostOs } from './types.ts';

export const DETECT_SHELL_COMMAND = "echo gofleet-shell '%OS%'";

/** The shell that runs what sshd is asked to exec: the dialect's remote-shell adapter may depend on it. */
export type LoginShell = 'posix' | 'cmd' | 'powershell';

export type DetectedShell =
  | { shell: 'posix' }
  /** `osVar`: what cmd expanded %OS% to (Windows_NT), null when it was unset */
  | { shell: 'cmd'; osVar: string | null }
  | { shell: 'powershell' }
  /** none of the shapes: the answer, cut, for the error message */
  | { shell: 'unknown'; answer: string };

const MARK = 'gofleet-shell';

export function parseDetectShell(stdout: string): DetectedShell {
  const lines = stdout.split('\n').map((l) => l.replace(/\r$/, ''));
  const at = lines.findIndex((l) => l === MARK || l.startsWith(`${MARK} `));
  const line = lines[at];
  if (line === undefined) return { shell: 'unknown', answer: stdout.trim().slice(-200) };
  const rest = line.slice(MARK.length);
  if (rest === ' %OS%') return { shell: 'posix' };
  const cmd = /^ '(.*)'$/.exec(rest);
  if (cmd) return { shell: 'cmd', osVar: cmd[1] === '%OS%' ? null : (cmd[1] ?? null) };
  if (rest === '' && lines[at + 1] === '%OS%') return { shell: 'powershell' };
  return { shell: 'unknown', answer: stdout.trim().slice(-200) };
}

/** The OS family a detected shell implies: the dialect to speak. POSIX hosts are linux or darwin alike for
 *  the dialect (the facts tell them apart); null when nothing was recognised. */
export function dialectOsOf(detected: LoginShell): HostOs;
export function dialectOsOf(detected: DetectedShell): HostOs | null;
export function dialectOsOf(detected: DetectedShell | LoginShell): HostOs | null {
  switch (typeof detected === 'string' ? detected : detected.shell) {
    case 'posix':
      return 'linux';
    case 'cmd':
    case 'powershell':
      return 'windows';
    default:
      return null;
  }
}
