// A loopback front of a release source that holds one archive GET until the test releases it (issue 14): a host
// whose `--distribution pull` download is held stays inside its host script (under its lock) at a known point, so
// a worker can be stopped or killed there. Every other request passes through unchanged.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpSource } from '../harness/http-source.ts';

export interface HeldDownload {
  /** the front's base URL (a `--source`) */
  url: string;
  /** whether the held GET has arrived (and is being held) */
  held(): boolean;
  /** let the held GET through */
  release(): void;
  close(): Promise<void>;
}

/** Hold the `nth` GET (1-based, default the first) of `filename` until release(). */
export async function holdDownload(source: HttpSource, filename: string, nth = 1): Promise<HeldDownload> {
  let held: (() => void) | undefined;
  let seen = 0;
  const forward = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const up = http.request(`http://127.0.0.1:${source.port}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    up.end();
  };
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.endsWith(`/${filename}`) && ++seen === nth) {
      held = () => forward(req, res);
      return;
    }
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    held: () => held !== undefined,
    release: () => held?.(),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
