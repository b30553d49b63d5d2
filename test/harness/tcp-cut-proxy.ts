// A loopback TCP proxy that can interrupt its connections, to simulate a network failure mid-transfer.
//
//   const proxy = await startCutProxy({ targetPort: host.port, cutAfterBytes: 2_000_000 });
//   // connect to proxy.port instead of host.port; every connection is cut once the client has sent
//   // 2 MB to the server. proxy.cutAll() cuts every open connection now.
//   await proxy.close();
//
// How a cut looks to the client:
//   'close'  both sockets are destroyed (the client sees the connection end)         — default
//   'reset'  the client's socket is reset (RST: the client sees ECONNRESET)
//   'freeze' nothing is forwarded any more in either direction, but the sockets stay open (a silent
//            network partition: only keepalives or timeouts can notice)
import { createServer, connect, type Socket } from 'node:net';

export type CutMode = 'close' | 'reset' | 'freeze';

export interface CutProxyOptions {
  targetPort: number;
  targetHost?: string;
  /** cut each connection once this many bytes went client -> server (null: never) */
  cutAfterBytes?: number | null;
  mode?: CutMode;
}

export interface CutProxy {
  port: number;
  /** connections accepted so far */
  readonly connections: number;
  /** connections cut so far */
  readonly cuts: number;
  /** bytes forwarded client -> server, over all connections */
  readonly bytesUp: number;
  setCutAfter(bytes: number | null): void;
  /** cut every open connection now */
  cutAll(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  server: Socket;
  sent: number;
  frozen: boolean;
}

export async function startCutProxy(options: CutProxyOptions): Promise<CutProxy> {
  const mode = options.mode ?? 'close';
  let cutAfter = options.cutAfterBytes ?? null;
  let connections = 0;
  let cuts = 0;
  let bytesUp = 0;
  const pairs = new Set<Pair>();

  const cut = (p: Pair): void => {
    if (p.frozen) return;
    cuts++;
    if (mode === 'freeze') {
      p.frozen = true;
      p.client.pause();
      p.server.pause();
      return;
    }
    p.frozen = true;
    if (mode === 'reset') p.client.resetAndDestroy();
    else p.client.destroy();
    p.server.destroy();
  };

  const server = createServer((client) => {
    connections++;
    const upstream = connect({ host: options.targetHost ?? '127.0.0.1', port: options.targetPort });
    const p: Pair = { client, server: upstream, sent: 0, frozen: false };
    pairs.add(p);
    client.on('data', (chunk: Buffer) => {
      if (p.frozen) return;
      let data = chunk;
      if (cutAfter !== null && p.sent + data.length >= cutAfter) data = data.subarray(0, Math.max(0, cutAfter - p.sent));
      p.sent += data.length;
      bytesUp += data.length;
      if (data.length > 0) upstream.write(data);
      if (cutAfter !== null && p.sent >= cutAfter) cut(p);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!p.frozen) client.write(chunk);
    });
    const done = (): void => {
      pairs.delete(p);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', done).on('error', done);
    upstream.on('close', done).on('error', done);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    port,
    get connections() {
      return connections;
    },
    get cuts() {
      return cuts;
    },
    get bytesUp() {
      return bytesUp;
    },
    setCutAfter(bytes) {
      cutAfter = bytes;
    },
    cutAll() {
      for (const p of pairs) cut(p);
    },
    close() {
      for (const p of pairs) {
        p.client.destroy();
        p.server.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
