// One HTTP POST on a session's agent, with the socket it went out on. The body and headers are made only once
// the agent has handed out a socket (`prepare`), so a request that must travel on the NTLM-authenticated socket
// is never sent on another one, and a sealed body never consumes the NTLM sequence for a request not sent.
import http, { type IncomingHttpHeaders } from 'node:http';
import type https from 'node:https';
import type { Socket } from 'node:net';
import { GofleetError } from '../../errors.ts';

export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  socket: Socket;
  /** false when the response closes the socket (Connection: close, HTTP/1.0) */
  keepAlive: boolean;
}

/**
 * The request cannot go, or did not get through, on the socket the agent handed out: another socket than the
 * authenticated one (nothing was sent: `cause` undefined), or a reused keep-alive socket reset before any answer
 * (`cause`: the reset). The latter is most often a host that had closed the idle connection and never saw the
 * request, but it may also be a connection cut while the host held or had processed it.
 */
export class StaleSocketError extends Error {
  constructor(readonly reset?: Error) {
    super(reset ? `the reused connection was reset before an answer: ${reset.message}` : 'the authenticated socket is gone');
    this.name = 'StaleSocketError';
  }
}

export interface ExchangeOptions {
  request: typeof http.request | typeof https.request;
  url: { host: string; port: number; path: string };
  agent: http.Agent;
  /** called once with the socket: throws StaleSocketError, or gives the body and headers to send */
  prepare: (socket: Socket) => { body: Buffer; headers: Record<string, string> };
  timeoutMs: number;
  timeoutError: () => GofleetError;
  signal?: AbortSignal;
  /** called for every socket the agent hands out (the session watches new ones) */
  onSocket?: (socket: Socket) => void;
  /** a reply body longer than `bytes` is not read to its end: the request rejects with `error()` */
  bodyLimit?: { bytes: number; error: () => GofleetError };
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/** POST once; resolves on any complete response, rejects on socket errors, timeouts and aborts. */
export function exchange(o: ExchangeOptions): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) {
      reject(new GofleetError('INTERRUPTED', 'the WinRM request was aborted'));
      return;
    }
    const req = o.request({ ...o.url, method: 'POST', agent: o.agent });
    let settled = false;
    let answered = false;
    let sock: Socket | null = null;
    const finish = (err: unknown, value?: Exchange): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(value as Exchange);
    };
    const onAbort = (): void => finish(new GofleetError('INTERRUPTED', 'the WinRM request was aborted'));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish(o.timeoutError()), o.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A keep-alive socket the server had closed while idle (or cut while it held the request): the caller
      // decides whether the request may be sent again.
      const stale = req.reusedSocket && !answered && RESET_CODES.has(err.code ?? '');
      finish(stale ? new StaleSocketError(err) : err);
    });
    req.on('socket', (socket: Socket) => {
      sock = socket;
      o.onSocket?.(socket);
      try {
        const { body, headers } = o.prepare(socket);
        for (const [k, v] of Object.entries(headers)) req.setHeader(k, v);
        req.setHeader('Content-Length', String(body.length));
        req.end(body);
      } catch (err) {
        finish(err);
      }
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (o.bodyLimit && size > o.bodyLimit.bytes) finish(o.bodyLimit.error());
        else chunks.push(c);
      });
      res.on('error', (err) => finish(err));
      res.on('end', () => {
        finish(null, {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          socket: sock as Socket,
          keepAlive: req.shouldKeepAlive,
        });
      });
    });
  });
}
