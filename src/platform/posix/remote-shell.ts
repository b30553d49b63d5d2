// The POSIX remote-shell adapter (see ../remote-shell.ts). sshd runs the command line through the account's
// login shell, which prints its own pid (`$$`) first; that shell leads the session's process group, so a
// second channel can stop the whole group. OpenSSH ignores "signal" requests for root sessions (no post-auth
// privilege separation), and closing a channel does not stop a command without a pty: hence the kill.
//   terminate: TERM to the group, then KILL a second later (so that sudo can pass the TERM on first)
//   interrupt: one TERM to the group, nothing more (the host script stops at a safe point or rolls back)

import { PID_MARK, pidArg, type RemoteShell } from '../remote-shell.ts';

export const posixRemoteShell: RemoteShell = {
  kind: 'posix',
  wrap: (command) => `printf '${PID_MARK}%s\\n' "$$" >&2\n${command}`,
  terminate: (pid) => {
    const g = pidArg(pid);
    return `kill -TERM -- -${g} 2>/dev/null || exit 0; sleep 1; kill -KILL -- -${g} 2>/dev/null; exit 0`;
  },
  interrupt: (pid) => `kill -TERM -- -${pidArg(pid)} 2>/dev/null; exit 0`,
  pathSeparators: '/',
  sftpPath: (path) => path,
};
