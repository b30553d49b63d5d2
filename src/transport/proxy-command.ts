// ProxyCommand (~/.ssh/config): run it as OpenSSH does -- `exec <command>` through the user's shell
// ($SHELL, else /bin/sh) -- and use its stdin/stdout as the SSH connection. Its stderr is kept (the last
// 2000 bytes) for the error when it exits before the handshake; it is killed when the connection closes.
import { spawn, type ChildProcess } from 'node:child_process';
import { Duplex } from 'node:stream';
import { GofleetError } from '../errors.ts';

const TAIL_BYTES = 2000;

export interface ProxyProcess {
  sock: Duplex;
  /** the command's exit, or an error if it never started */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>;
  kill(): void;
  /** the error to report when the connection through it failed */
  explain(err: unknown): Promise<unknown>;
}

export interface ProxyCommandOptions {
  command: string;
  /** inventory name, for errors */
  host: string;
  env?: NodeJS.ProcessEnv;
}

export function spawnProxyCommand(o: ProxyCommandOptions): ProxyProcess {
  const env = o.env ?? process.env;
  const shell = env.SHELL || '/bin/sh';
  const child: ChildProcess = spawn(shell, ['-c', `exec ${o.command}`], { stdio: ['pipe', 'pipe', 'pipe'], env });
  let tail = '';
  child.stderr!.on('data', (b: Buffer) => (tail = (tail + b.toString('utf8')).slice(-TAIL_BYTES)));
  let exit: { code: number | null; signal: NodeJS.Signals | null; error?: Error } | undefined;
  const exited = new Promise<NonNullable<typeof exit>>((resolve) => {
    child.once('error', (error) => resolve((exit = { code: null, signal: null, error })));
    child.once('exit', (code, signal) => resolve((exit ??= { code, signal })));
  });
  // a write to a dead command must fail the connection, not the process
  child.stdin!.on('error', () => undefined);
  const sock = Duplex.from({ readable: child.stdout!, writable: child.stdin! });
  sock.on('error', () => undefined);
  const kill = (): void => {
    if (exit === undefined && child.exitCode === null) child.kill('SIGTERM');
  };
  const explain = async (err: unknown): Promise<unknown> => {
    // stdout closing usually comes just before the exit event: give it a moment
    const done = exit ?? await Promise.race([exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 500).unref())]);
    kill();
    if (!done) return err;
    const how = done.error ? `could not start (${done.error.message})`
      : done.signal ? `was killed by ${done.signal}` : `exited with code ${done.code}`;
    const stderr = tail.trim() ? `: ${tail.trim()}` : ' (no output on stderr)';
    return new GofleetError('HOST_UNREACHABLE', `ProxyCommand ${JSON.stringify(o.command)} ${how} before the SSH ` +
      `handshake finished${stderr}`, { host: o.host, cause: err,
      hint: 'Run the ProxyCommand by hand to see why it fails, or set `ProxyCommand none` for this host.' });
  };
  return { sock, exited, kill, explain };
}
