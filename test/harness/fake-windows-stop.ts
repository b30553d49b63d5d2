// The ways a process is stopped on the fake Windows host: cmd.exe running `taskkill`, or a bootstrap run
// whose whole script is one `Stop-Process` or `taskkill` line (preference assignments aside).
//   taskkill /T /F /PID 4242        taskkill.exe /PID 4242 /T /F        (flags in any order, any case)
//   Stop-Process -Id 4242 -Force    Stop-Process -Force -Id 4242 -ErrorAction SilentlyContinue
// taskkill without /F asks the process to close, which a console program ignores: refused as taskkill does.

export interface StopRequest {
  pid: number;
  how: 'taskkill' | 'Stop-Process';
  force: boolean;
  /** -ErrorAction SilentlyContinue / Ignore: a missing process is not an error */
  quiet: boolean;
}

export function parseTaskkill(line: string): StopRequest | undefined {
  const words = line.trim().replace(/^&\s*/, '').split(/\s+/);
  if (!/^taskkill(\.exe)?$/i.test(words[0] ?? '')) return undefined;
  let pid: number | undefined;
  let force = false;
  for (let i = 1; i < words.length; i++) {
    const w = (words[i] ?? '').toUpperCase();
    if (w === '/PID' && /^\d+$/.test(words[i + 1] ?? '')) pid = Number(words[++i]);
    else if (w === '/F') force = true;
    else if (w !== '/T') return undefined;
  }
  return pid === undefined ? undefined : { pid, how: 'taskkill', force, quiet: false };
}

const STOP_PROCESS = /^Stop-Process((?:\s+-(?:Id\s+\d+|Force|ErrorAction\s+(?:SilentlyContinue|Ignore|Stop|Continue)))+)\s*$/i;

function parseStopProcess(line: string): StopRequest | undefined {
  const m = STOP_PROCESS.exec(line);
  if (!m) return undefined;
  const args = m[1] ?? '';
  const id = /-Id\s+(\d+)/i.exec(args);
  if (!id) return undefined;
  return { pid: Number(id[1]), how: 'Stop-Process', force: /-Force/i.test(args),
    quiet: /-ErrorAction\s+(SilentlyContinue|Ignore)/i.test(args) };
}

/** The stop request a whole script is, or undefined when it is anything else. */
export function parseStopScript(script: string): StopRequest | undefined {
  const lines = script.split(/\r?\n/).map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !/^\$(ErrorActionPreference|ProgressPreference)\s*=/i.test(l));
  if (lines.length !== 1) return undefined;
  const line = lines[0] as string;
  return parseStopProcess(line) ?? parseTaskkill(line);
}

const INTERRUPT_MARKER = /^New-Item -ItemType File -Force -Path \(Join-Path \$env:TEMP 'gofleet-interrupt-(\d+)'\) \| Out-Null$/i;

/**
 * The pid an interrupt request is for: a script that only creates the marker file `%TEMP%\gofleet-interrupt-<pid>`
 * (the Windows remote-shell adapter's interrupt; the host script polls for it). Undefined for anything else.
 */
export function parseInterruptScript(script: string): number | undefined {
  const lines = script.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const m = lines.length === 1 ? INTERRUPT_MARKER.exec(lines[0] as string) : null;
  return m ? Number(m[1]) : undefined;
}
