// The fake WinRM host of bench/winrm.bench.ts in a worker thread of its own: its own event loop and heap, so the
// host's XML parsing, sealing and garbage collection do not run on the client's thread (a real host is another
// machine). Started by startHostWorker(): workerData { maxEnvelopeSizeKb, user, password }; posts { url, port }
// once listening, then answers { id, op: 'stats' | 'stop' } with { id, result }.
import { parentPort, workerData, Worker } from 'node:worker_threads';
import { createWinrmServerAuth } from '../test/harness/fake-winrm-auth.ts';
import { startFakeWinrmHost } from '../test/harness/fake-winrm-server.ts';
import { withFileCopy } from '../test/harness/fake-windows-file-copy.ts';
import { windowsRespond } from '../test/harness/fake-windows-vocabulary.ts';

interface HostConfig { maxEnvelopeSizeKb: number; user: string; password: string }

/** What the host saw so far. */
export interface HostStats {
  /** the action of every SOAP request, in order */
  actions: string[];
  /** NTLM handshakes the auth layer started */
  negotiations: number;
  /** TCP connections accepted */
  connections: number;
  /** shells open now */
  shells: number;
}

export interface HostWorker {
  url: string;
  port: number;
  stats(): Promise<HostStats>;
  stop(): Promise<void>;
}

async function serve(c: HostConfig): Promise<void> {
  const auth = createWinrmServerAuth({ users: { [c.user]: c.password } });
  const host = await startFakeWinrmHost({ auth, config: { maxEnvelopeSizeKb: c.maxEnvelopeSizeKb }, respond: withFileCopy(windowsRespond) });
  parentPort?.on('message', async (m: { id: number; op: 'stats' | 'stop' }) => {
    if (m.op === 'stop') {
      await host.stop();
      parentPort?.postMessage({ id: m.id, result: null });
      return;
    }
    const result: HostStats = { actions: host.requests.map((q) => q.action), negotiations: auth.negotiations, connections: host.connectionCount(), shells: host.shells() };
    parentPort?.postMessage({ id: m.id, result });
  });
  parentPort?.postMessage({ url: host.url, port: host.port });
}

/** Start the fake host (NTLM, sealed; Windows vocabulary with file copy) in a worker thread. */
export function startHostWorker(c: HostConfig): Promise<HostWorker> {
  const entry = new URL(import.meta.url).href;
  // tsx registered inside the worker: Node 20 loads a worker's entry before --import hooks apply
  const w = new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, { eval: true, workerData: c });
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const call = (op: 'stats' | 'stop'): Promise<unknown> => new Promise((resolve, reject) => {
    pending.set(++next, { resolve, reject });
    w.postMessage({ id: next, op });
  });
  return new Promise((resolve, reject) => {
    w.on('error', (err) => {
      reject(err);
      for (const p of pending.values()) p.reject(err);
    });
    w.on('message', (m: { id?: number; result?: unknown; url?: string; port?: number }) => {
      if (m.id !== undefined) return pending.get(m.id)?.resolve(m.result);
      resolve({
        url: m.url ?? '', port: m.port ?? 0,
        stats: async () => (await call('stats')) as HostStats,
        stop: async () => {
          await call('stop');
          await w.terminate();
        },
      });
    });
  });
}

if (parentPort && workerData) await serve(workerData as HostConfig);
