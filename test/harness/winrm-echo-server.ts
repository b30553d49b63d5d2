// A minimal loopback WinRM listener for the HTTP session's tests: the auth layer of fake-winrm-auth.ts in front
// of an app that echoes the decrypted SOAP back (sealed again when the request was), with a few magic bodies:
// FAULT -> 500 with a body, STATUSnnn -> that status (a 413 without a body, as HTTP.sys answers it), HANG -> never answers, BIG<n> -> 200 with n bytes of x, CLOSE -> answers and closes the socket.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createWinrmServerAuth, withWinrmAuth, type WinrmServerAuth, type WinrmServerAuthOptions } from './fake-winrm-auth.ts';

export interface EchoWinrm {
  port: number;
  auth: WinrmServerAuth;
  /** per request: the Content-Type it came with, and the raw body (to check it was sealed) */
  requests: { contentType: string; authorization: boolean; body: Buffer }[];
  /** SOAP bodies the app saw (after the auth layer) */
  soaps: string[];
  /** close the socket of the next SOAP request without answering it (as an idle-timeout close racing it does) */
  dropNext(): void;
  stop(): Promise<void>;
}

export async function startEchoWinrm(o: {
  auth: WinrmServerAuthOptions;
  https?: { key: string; cert: string; ca?: string; requestCert?: boolean };
}): Promise<EchoWinrm> {
  const auth = createWinrmServerAuth(o.auth);
  const requests: EchoWinrm['requests'] = [];
  const soaps: string[] = [];
  let drop = false;
  const listener = withWinrmAuth(auth, (soap) => {
    soaps.push(soap);
    if (soap === 'FAULT') return { status: 500, soap: '<s:Fault>quota</s:Fault>' };
    const status = /^STATUS(\d{3})$/.exec(soap)?.[1];
    if (status) return { status: Number(status), soap: status === '413' ? '' : 'unavailable' };
    if (soap === 'HANG') return new Promise(() => undefined);
    const big = /^BIG(\d+)$/.exec(soap)?.[1];
    if (big) return { status: 200, soap: 'x'.repeat(Number(big)) };
    return { status: 200, soap: `echo:${soap}`, close: soap === 'CLOSE' };
  });
  const record: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => requests.push({
      contentType: String(req.headers['content-type'] ?? ''),
      authorization: req.headers.authorization !== undefined,
      body: Buffer.concat(chunks),
    }));
    if (drop && Number(req.headers['content-length'] ?? 0) > 0) {
      drop = false;
      req.socket.destroy();
      return;
    }
    listener(req, res);
  };
  const server = o.https
    ? https.createServer({ ...o.https, rejectUnauthorized: false }, record)
    : http.createServer(record);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    auth,
    requests,
    soaps,
    dropNext: () => { drop = true; },
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
