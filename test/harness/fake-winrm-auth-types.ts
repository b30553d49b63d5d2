// The seam between the fake WinRM host (fake-winrm-server.ts) and its auth layer (fake-winrm-auth.ts, branch
// winrm-http): NTLM with sealing, Basic, client certificates. The host makes one WinrmSocketAuth per TCP socket
// (NTLM state lives on the socket, as on a real host) and passes every request through it.
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';

export interface WinrmHttpRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What the host sends when the auth layer answers a request itself (a 401 challenge, a 400, an empty 200). */
export interface WinrmHttpReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type WinrmUnwrapped =
  /** an authenticated request: its plaintext SOAP, and the account it runs as */
  | { kind: 'soap'; soap: string; user: string }
  | { kind: 'reply'; reply: WinrmHttpReply };

export interface WinrmSocketAuth {
  /** authenticate (and unseal) a request, or answer it */
  unwrap(req: WinrmHttpRequest): WinrmUnwrapped | Promise<WinrmUnwrapped>;
  /** the HTTP reply of a SOAP answer (sealed when the request was): headers (Content-Type...) and body */
  wrap(soap: string, status: number): { headers: Record<string, string>; body: Buffer };
}

export interface WinrmServerAuth {
  /** state of one TCP (or TLS) socket, made on its first request */
  forSocket(socket: Socket): WinrmSocketAuth;
}

const SOAP = 'application/soap+xml;charset=UTF-8';

/**
 * No authentication (the default of the fake host): plain `application/soap+xml` requests are taken as they
 * come (an Authorization header is ignored), as a host with Basic auth and AllowUnencrypted would take them
 * from the right account. For tests below the auth layer.
 */
export function noAuth(user: string): WinrmServerAuth {
  return {
    forSocket: () => ({
      unwrap: (req) => {
        const type = String(req.headers['content-type'] ?? '');
        if (req.body.length === 0) return { kind: 'reply', reply: { status: 200, headers: {}, body: Buffer.alloc(0) } };
        if (!/^application\/soap\+xml/i.test(type)) {
          return { kind: 'reply', reply: { status: 415, headers: {}, body: Buffer.alloc(0) } };
        }
        return { kind: 'soap', soap: req.body.toString('utf8'), user };
      },
      wrap: (soap) => ({ headers: { 'Content-Type': SOAP }, body: Buffer.from(soap, 'utf8') }),
    }),
  };
}
