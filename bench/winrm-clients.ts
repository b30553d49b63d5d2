// The comparison clients of bench/winrm.bench.ts, built from gofleet's own WS-Man envelopes (WinrsShell over
// wsman/) and its real NTLM + sealing session (WinrmHttpSession), so only the request pattern differs. Each step
// is Create, Command, Send (stdin, End=true), Receive until Done, Signal terminate, Delete, over:
// - sharedSession: one authenticated keep-alive socket for every step (pywinrm's Session.run_cmd, repeated);
// - sessionPerStep: a new socket and NTLM handshake per step (Ansible's winrm plugin: a task's connection opens
//   a pywinrm Protocol and a shell, runs the task's exec in it, and TaskExecutor closes the connection and the
//   shell when the task ends; a Windows module task is one pipelined exec);
// - sessionPerRequest: a new socket and NTLM handshake for every request (a client that authenticates per HTTP
//   request, as the npm winrm-client does).
// Benchmark code only: no retries, no fault handling beyond "an OperationTimeout means Receive again".
import { WinrmHttpSession, type WinrmEndpoint, type WinrmHttpStats } from '../src/transport/winrm/http-session.ts';
import { WinrsFault, WinrsShell, type SoapPoster } from '../src/transport/winrm/winrs-shell.ts';
import type { WsmanTarget } from '../src/transport/winrm/wsman/index.ts';

/** HTTP round trips so far: SOAP requests and the NTLM handshake's own requests. */
export const roundTrips = (s: WinrmHttpStats): number => s.requests + s.authRoundTrips;

export interface CountingPoster extends SoapPoster {
  readonly stats: WinrmHttpStats;
  /** called after each step (sessionPerStep closes its session there) */
  endStep?(): Promise<void>;
}

const zeroStats = (): WinrmHttpStats => ({ requests: 0, authRoundTrips: 0, handshakes: 0, bytesSent: 0, bytesReceived: 0, sockets: 0 });

function addStats(into: WinrmHttpStats, from: WinrmHttpStats): void {
  for (const k of Object.keys(into) as (keyof WinrmHttpStats)[]) into[k] += from[k];
}

/** One WinrmHttpSession for everything: one socket, one handshake. */
export function sharedSession(endpoint: WinrmEndpoint, host: string): CountingPoster {
  return new WinrmHttpSession(endpoint, host);
}

/** A new WinrmHttpSession (socket + NTLM handshake) for every step; stats summed over all of them. */
export function sessionPerStep(endpoint: WinrmEndpoint, host: string): CountingPoster {
  const stats = zeroStats();
  let session: WinrmHttpSession | undefined;
  const endStep = async (): Promise<void> => {
    if (!session) return;
    await session.close();
    addStats(stats, session.stats);
    session = undefined;
  };
  return { stats, post: (soap) => (session ??= new WinrmHttpSession(endpoint, host)).post(soap), endStep, close: endStep };
}

/** A new WinrmHttpSession (socket + NTLM handshake) for every request; stats summed over all of them. */
export function sessionPerRequest(endpoint: WinrmEndpoint, host: string): CountingPoster {
  const stats = zeroStats();
  return {
    stats,
    async post(soap) {
      const s = new WinrmHttpSession(endpoint, host);
      try {
        return await s.post(soap);
      } finally {
        await s.close();
        addStats(stats, s.stats);
      }
    },
    close: async () => undefined,
  };
}

export interface StepResult { exitCode: number | null; stdout: string }

/** One step in a shell of its own: Create, Command, Send, Receive..., Signal terminate, Delete. */
export async function shellPerCommandStep(poster: SoapPoster, target: WsmanTarget, line: string, stdin: string): Promise<StepResult> {
  const shell = new WinrsShell(poster, target, 'bench');
  await shell.create();
  try {
    const id = await shell.command(line);
    await shell.send(id, Buffer.from(stdin, 'utf8'), true);
    const out: Buffer[] = [];
    for (;;) {
      const r = await shell.receive(id).catch((err: unknown) => {
        if (err instanceof WinrsFault && err.fault.kind === 'timeout') return null;
        throw err;
      });
      if (!r) continue;
      for (const c of r.chunks) if (c.stream === 'stdout') out.push(c.data);
      if (r.done) {
        await shell.signal(id, 'terminate');
        return { exitCode: r.exitCode, stdout: Buffer.concat(out).toString('utf8') };
      }
    }
  } finally {
    await shell.delete();
  }
}
