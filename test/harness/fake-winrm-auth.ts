// The auth layer of the fake WinRM server: what HTTP.sys + WinRM do before a SOAP envelope reaches the shell
// plugin. Per socket (NTLM is connection-bound): NTLM through NtlmAcceptor with sealed request and reply bodies
// (multipart/encrypted, as a stock host over http 5985 wants), Basic, and client certificates
// (TLS client cert + the secprofile/https/mutual Authorization header). Counts logon attempts (a test proves a
// refused password is tried exactly once), refuses wrong passwords, and can answer 401 as an exhausted quota does.
// Accepts the Type 3 on an empty POST (pywinrm's setup_encryption) or riding on a request (requests-ntlm).
import type http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tlsServerEndPoint } from '../../src/transport/winrm/channel-bindings.ts';
import { ENCRYPTED_CONTENT_TYPE, decryptMessage, encryptMessage } from '../../src/transport/winrm/encryption.ts';
import type { NtlmSession } from '../../src/transport/winrm/ntlm/index.ts';
import type { WinrmServerAuth as HostAuthSeam, WinrmSocketAuth as HostSocketSeam } from './fake-winrm-auth-types.ts';
import { NtlmAcceptor } from './ntlm-acceptor.ts';

export type AuthMethod = 'ntlm' | 'basic' | 'certificate';

export interface WinrmServerAuthOptions {
  /** 'user' or 'DOMAIN\\user' -> password (NTLM and Basic) */
  users: Record<string, string>;
  /** methods the listener accepts, default ['ntlm'] */
  methods?: AuthMethod[];
  /** client certificate subject CN -> the user it logs on as */
  certificateUsers?: Record<string, string>;
  /** accept clear-text SOAP over http after NTLM (AllowUnencrypted=true); default false, as on a stock host */
  allowUnencrypted?: boolean;
  /** over https, refuse an NTLM logon without the channel bindings of this listener's certificate
   * (CbtHardeningLevel Strict); default true */
  requireChannelBindings?: boolean;
  /** NTLM pieces, swappable */
  deps?: Partial<ServerAuthDeps>;
}

export interface ServerAuthDeps {
  acceptor: (users: Record<string, string>, o: { channelBindings?: Buffer }) => { challenge(negotiate: Buffer): Buffer; accept(authenticate: Buffer): { user: string; session: NtlmSession } };
  encryptMessage: (session: NtlmSession, plain: Buffer) => Buffer;
  decryptMessage: (session: NtlmSession, body: Buffer) => Buffer;
}

export interface Reply { status: number; headers: Record<string, string>; body: Buffer }

/** What the auth layer made of a request: an answer of its own (401, the handshake's 200), or SOAP to process. */
export type AuthStep =
  | { kind: 'answer'; reply: Reply }
  | { kind: 'soap'; soap: string; user: string; reply: (status: number, soap: string) => Reply };

export interface LogonAttempt { method: AuthMethod; user: string; ok: boolean }

/** One socket's view: the seam the fake WinRM host (fake-winrm-server.ts) calls, see fake-winrm-auth-types.ts. */
export type WinrmSocketAuth = HostSocketSeam;

export interface WinrmServerAuth extends HostAuthSeam {
  /** every logon tried (NTLM Type 3, Basic header, client certificate), in order */
  readonly logons: LogonAttempt[];
  /** NTLM handshakes started (Type 1 received) */
  readonly negotiations: number;
  /** answer the next `times` SOAP requests with 401 as a host whose WinRM quota is exhausted does */
  exhaustQuota(times?: number): void;
  handle(req: IncomingMessage, body: Buffer): AuthStep;
  /** the same, per socket: what the fake WinRM host calls */
  forSocket(socket: Socket): HostSocketSeam;
}

interface SocketState {
  acceptor?: ReturnType<ServerAuthDeps['acceptor']>;
  session?: NtlmSession;
  user?: string;
  /** the last SOAP step, for forSocket().wrap */
  last?: Extract<AuthStep, { kind: 'soap' }>;
}

/** What the layer reads of a request: its headers and the socket it came on. */
interface Req { headers: IncomingHttpHeaders; socket: Socket }

const MUTUAL = 'http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/mutual';
const SOAP_TYPE = 'application/soap+xml;charset=UTF-8';
const EMPTY = Buffer.alloc(0);

export function createWinrmServerAuth(o: WinrmServerAuthOptions): WinrmServerAuth {
  const deps: ServerAuthDeps = {
    acceptor: (users, a) => new NtlmAcceptor(users, a),
    encryptMessage,
    decryptMessage,
    ...o.deps,
  };
  const methods = o.methods ?? ['ntlm'];
  const sockets = new WeakMap<Socket, SocketState>();
  const logons: LogonAttempt[] = [];
  let quota = 0;
  let negotiations = 0;

  const challengeHeader = (): string => [
    ...(methods.includes('ntlm') ? ['Negotiate'] : []),
    ...(methods.includes('basic') ? ['Basic realm="WSMAN"'] : []),
  ].join(', ');
  const refuse = (extra: Record<string, string> = {}): AuthStep => ({
    kind: 'answer',
    reply: { status: 401, headers: { 'WWW-Authenticate': challengeHeader(), ...extra }, body: EMPTY },
  });
  const plainSoap = (soap: string, user: string): AuthStep => ({
    kind: 'soap', soap, user,
    reply: (status, text) => ({ status, headers: { 'Content-Type': SOAP_TYPE }, body: Buffer.from(text, 'utf8') }),
  });

  function soapFor(req: Req, body: Buffer, st: SocketState): AuthStep {
    const session = st.session as NtlmSession;
    const user = st.user as string;
    if (/HTTP-SPNEGO-session-encrypted/i.test(String(req.headers['content-type'] ?? ''))) {
      const soap = deps.decryptMessage(session, body).toString('utf8');
      return {
        kind: 'soap', soap, user,
        reply: (status, text) => ({
          status,
          headers: { 'Content-Type': ENCRYPTED_CONTENT_TYPE },
          body: deps.encryptMessage(session, Buffer.from(text, 'utf8')),
        }),
      };
    }
    const overTls = (req.socket as TLSSocket).encrypted === true;
    if (!overTls && !o.allowUnencrypted) return refuse();
    return plainSoap(body.toString('utf8'), user);
  }

  function ntlm(req: Req, body: Buffer, token: Buffer, st: SocketState): AuthStep {
    const type = token.length >= 12 ? token.readUInt32LE(8) : 0;
    if (type === 1) {
      negotiations++;
      const cert = (req.socket as TLSSocket).encrypted ? (req.socket as TLSSocket).getCertificate() : null;
      const raw = cert && 'raw' in cert ? (cert.raw as Buffer) : undefined;
      const bind = o.requireChannelBindings !== false && raw ? tlsServerEndPoint(raw) : undefined;
      st.acceptor = deps.acceptor(o.users, { channelBindings: bind });
      st.session = undefined;
      const challenge = st.acceptor.challenge(token);
      return refuse({ 'WWW-Authenticate': `Negotiate ${challenge.toString('base64')}` });
    }
    if (type !== 3 || !st.acceptor) return refuse();
    const acceptor = st.acceptor;
    st.acceptor = undefined;
    try {
      const { user, session } = acceptor.accept(token);
      logons.push({ method: 'ntlm', user, ok: true });
      st.session = session;
      st.user = user;
    } catch {
      logons.push({ method: 'ntlm', user: '?', ok: false });
      return refuse();
    }
    if (body.length === 0) return { kind: 'answer', reply: { status: 200, headers: {}, body: EMPTY } };
    return soapFor(req, body, st);
  }

  function basic(b64: string, body: Buffer): AuthStep {
    const pair = Buffer.from(b64, 'base64').toString('utf8');
    const at = pair.indexOf(':');
    const user = pair.slice(0, at);
    const ok = at > 0 && o.users[user] !== undefined && o.users[user] === pair.slice(at + 1);
    logons.push({ method: 'basic', user, ok });
    return ok ? plainSoap(body.toString('utf8'), user) : refuse();
  }

  function certificate(req: Req, body: Buffer, st: SocketState): AuthStep {
    if (st.user) return plainSoap(body.toString('utf8'), st.user);
    const socket = req.socket as TLSSocket;
    const cn = socket.encrypted ? socket.getPeerCertificate()?.subject?.CN : undefined;
    const name = typeof cn === 'string' ? cn : undefined;
    const user = name ? o.certificateUsers?.[name] : undefined;
    const ok = socket.authorized === true && user !== undefined;
    logons.push({ method: 'certificate', user: user ?? name ?? '?', ok });
    if (!ok) return refuse();
    st.user = user;
    return plainSoap(body.toString('utf8'), user);
  }

  function handle(req: Req, body: Buffer): AuthStep {
    const socket = req.socket;
    const st = sockets.get(socket) ?? {};
    sockets.set(socket, st);
    const header = String(req.headers.authorization ?? '');
    const [scheme = '', token = ''] = header.split(/\s+/, 2);
    let step: AuthStep;
    if (/^(Negotiate|NTLM)$/i.test(scheme) && token && methods.includes('ntlm')) step = ntlm(req, body, Buffer.from(token, 'base64'), st);
    else if (/^Basic$/i.test(scheme) && methods.includes('basic')) step = basic(token, body);
    else if (header === MUTUAL && methods.includes('certificate')) step = certificate(req, body, st);
    else if (!header && st.session) step = soapFor(req, body, st);
    else step = refuse();
    if (step.kind === 'soap' && quota > 0) {
      quota--;
      return refuse();
    }
    if (step.kind === 'soap') st.last = step;
    return step;
  }

  return {
    logons,
    get negotiations() { return negotiations; },
    exhaustQuota(times = 1) { quota += times; },
    handle: (req, body) => handle(req, body),
    forSocket: (socket) => ({
      unwrap(r) {
        const step = handle({ headers: r.headers, socket }, r.body);
        return step.kind === 'answer' ? { kind: 'reply', reply: step.reply } : { kind: 'soap', soap: step.soap, user: step.user };
      },
      wrap(soap, status) {
        const last = sockets.get(socket)?.last;
        if (!last) throw new Error('wrap() before any SOAP request on this socket');
        const { headers, body } = last.reply(status, soap);
        return { headers, body };
      },
    }),
  };
}

/** The app's answer; `close` ends the socket after it (Connection: close), as a restarting service does. */
export interface AppReply { status: number; soap: string; close?: boolean }

/**
 * A request listener that runs `auth` in front of `app` (which gets plaintext SOAP and the user, and answers
 * with a status and SOAP): for test servers, and for the fake WinRM host.
 */
export function withWinrmAuth(
  auth: WinrmServerAuth,
  app: (soap: string, ctx: { user: string }) => Promise<AppReply> | AppReply,
): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let reply: Reply;
        let close = false;
        try {
          const step = auth.handle(req, Buffer.concat(chunks));
          if (step.kind === 'answer') reply = step.reply;
          else {
            const out = await app(step.soap, { user: step.user });
            reply = step.reply(out.status, out.soap);
            close = out.close === true;
          }
        } catch (err) {
          reply = { status: 400, headers: {}, body: Buffer.from(String((err as Error).message)) };
        }
        const headers = { ...reply.headers, 'Content-Length': String(reply.body.length), ...(close ? { Connection: 'close' } : {}) };
        res.writeHead(reply.status, headers);
        res.end(reply.body);
      })();
    });
  };
}
