// The command that runs a script read from stdin, through sudo when become is set. With a become
// password, the password is the first line of stdin, before the script: never in argv (`ps`), never in
// the script text, never on disk. A wrapper shell reads that line into a variable (builtin `read` and
// `printf`: no process argv shows it), then:
// 1. `sudo -k -S -v` checks it with stdin holding that one line only, so a wrong password costs one
//    failed attempt (sudo would otherwise read the script's lines as two more attempts: account lockout)
//    and the script never runs;
// 2. `sudo -k -S sh -s` gets the password again, then the script (`cat` passes the rest of stdin). -k
//    makes sudo ask even with cached credentials, so the password line is never read by sh as a command.
// `-p ''` keeps sudo's prompt out of the output. Only used when the facts said sudo asks for a password.

import { shQuote } from './quote.ts';

const CHECK_FAILED = 'gofleet: sudo did not accept the become password';

const WITH_PASSWORD = [
  'IFS= read -r gf_pw || exit 1',
  `printf '%s\\n' "$gf_pw" | sudo -k -S -p '' -v || { echo ${shQuote(CHECK_FAILED)} >&2; exit 1; }`,
  `{ printf '%s\\n' "$gf_pw"; exec cat; } | sudo -k -S -p '' sh -s`,
].join('\n');

export function scriptCommand(options: { become: boolean; becomePassword?: boolean }): string {
  if (!options.become) return 'sh -s';
  return options.becomePassword ? `sh -c ${shQuote(WITH_PASSWORD)}` : 'sudo -n sh -s';
}
