// One WinRM HTTP(S) session per host: one keep-alive socket (Agent maxSockets 1), NTLM bound to that socket.
// NTLM authenticates once per socket, as pywinrm's setup_encryption does: an empty POST with the Type 1
// (Authorization: Negotiate), the 401 carrying the Type 2, an empty POST with the Type 3, then every request on
// that socket needs no Authorization header and, over http, is sealed (multipart/encrypted). Empty bodies for
// the handshake rather than the Type 3 riding on the first real request: this is the sequence pywinrm has run
// against real hosts for years, the sealing context exists before any SOAP is sealed, a refused logon sends no
// SOAP at all, and no body is ever sent twice. It costs one round trip per socket, not per request.
// A 401 is never retried (lockouts); 500 bodies (WSManFault XML) are the caller's to read.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { GofleetError, registerSecret } from '../../errors.ts';
import { tlsServerEndPoint } from './channel-bindings.ts';
import { ENCRYPTED_CONTENT_TYPE, decryptMessage, encryptMessage } from './encryption.ts';
import { checkEndpoint, makeAgent, type WinrmEndpoint } from './http-endpoint.ts';
import { exchange, StaleSocketError, type Exchange } from './http-exchange.ts';
import { authFailed, requestTooLarge, unexpectedStatus, winrmSocketError } from './http-errors.ts';
import { NtlmClient, unwrapSpnego, type NtlmCredentials, type NtlmSession } from './ntlm/index.ts';

export type { WinrmEndpoint } from './http-endpoint.ts';

export interface WinrmHttpStats {
  /** SOAP requests answered (200, 500 and refused ones) */
  requests: number;
  /** HTTP round trips spent authenticating (NTLM: two per socket) */
  authRoundTrips: number;
  /** NTLM handshakes done (one per socket) */
  handshakes: number;
  /** request / response body bytes, as sent on the wire (sealed) */
  bytesSent: number;
  bytesReceived: number;
  /** sockets opened */
  sockets: number;
}

/** The NTLM and sealing pieces, swappable for tests. */
export interface WinrmHttpDeps {
  ntlmClient: (creds: NtlmCredentials) => Pick<NtlmClient, 'negotiate' | 'authenticate'>;
  unwrapSpnego: (token: Buffer) => Buffer;
  encryptMessage: (session: NtlmSession, plain: Buffer) => Buffer;
  decryptMessage: (session: NtlmSession, body: Buffer) => Buffer;
  /** called with each warning as it is made (they are also kept in `warnings`) */
  onWarning?: (warning: string) => void;
  /** the longest reply read (default MAX_REPLY_BYTES) */
  maxReplyBytes?: number;
}

const DEFAULT_DEPS: WinrmHttpDeps = {
  ntlmClient: (creds) => new NtlmClient(creds),
  unwrapSpnego,
  encryptMessage,
  decryptMessage,
};

export interface PostOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** false: never send this request again after a reset of its reused socket (default true) */
  resend?: boolean;
}

/** The longest reply read: a host answers within the client's w:MaxEnvelopeSize (150 KB), sealed a little more;
 *  anything far larger is not WinRM (or is hostile), and is not buffered whole. */
export const MAX_REPLY_BYTES = 8 * 1024 * 1024;

const SOAP_CONTENT_TYPE = 'application/soap+xml;charset=UTF-8';
const MUTUAL = 'http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/mutual';
const EMPTY = Buffer.alloc(0);

export class WinrmHttpSession {
  readonly stats: WinrmHttpStats = { requests: 0, authRoundTrips: 0, handshakes: 0, bytesSent: 0, bytesReceived: 0, sockets: 0 };
  /** loud, per-host warnings (validation off, clear-text messages): the caller logs them */
  readonly warnings: string[] = [];
  private readonly agent: http.Agent;
  private readonly target: string;
  private readonly encrypt: boolean;
  private readonly seen = new WeakSet<Socket>();
  private authSocket: Socket | null = null;
  private ntlm: NtlmSession | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** the AUTH_FAILED this session got: every later post gets it again without touching the host (lockouts) */
  private refused: GofleetError | null = null;

  constructor(
    private readonly endpoint: WinrmEndpoint,
    private readonly hostName: string,
    private readonly deps: WinrmHttpDeps = DEFAULT_DEPS,
  ) {
    registerSecret(endpoint.password);
    this.target = `${endpoint.scheme}://${endpoint.host}:${endpoint.port}${endpoint.path}`;
    checkEndpoint(endpoint, hostName);
    this.encrypt = endpoint.auth === 'ntlm'
      && (endpoint.messageEncryption === 'always' || (endpoint.messageEncryption === 'auto' && endpoint.scheme === 'http'));
    this.agent = makeAgent(endpoint, (w) => this.warn(w), hostName);
    if (endpoint.scheme === 'http' && !this.encrypt) {
      this.warn(`WinRM messages to ${this.target} travel unencrypted (messageEncryption: never over http): anyone on the path can read and change them`);
    }
  }

  /**
   * POST one SOAP envelope; resolves with the reply of a 200 or a 500 (a WSManFault). A request met by a reset
   * on a reused keep-alive socket before any answer is sent once more on a new socket, unless `resend` is false
   * (Send and Receive: a Send the host took would be taken twice, and the output in a lost Receive reply is gone
   * with it; those reject with CONNECTION_LOST).
   */
  post(soap: string, opts: PostOptions = {}): Promise<string> {
    const run = this.queue.then(() => this.postOnce(Buffer.from(soap, 'utf8'), opts, false));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.forget();
    this.agent.destroy();
  }

  private async postOnce(plain: Buffer, opts: PostOptions, again: boolean): Promise<string> {
    if (this.closed) throw new GofleetError('CONNECTION_LOST', `the WinRM session to ${this.target} is closed`, { host: this.hostName });
    if (this.refused) throw this.refused;
    try {
      return await this.exchangeSoap(plain, opts, again);
    } catch (err) {
      if (err instanceof GofleetError && err.code === 'AUTH_FAILED') this.refused = err;
      throw err;
    }
  }

  private async exchangeSoap(plain: Buffer, opts: PostOptions, again: boolean): Promise<string> {
    if (this.endpoint.auth === 'ntlm' && !this.authenticated()) await this.handshake(opts);
    let res: Exchange;
    let session: NtlmSession | null = null;
    try {
      res = await this.send(opts, (socket) => {
        session = this.ntlm;
        return this.frame(plain, socket);
      });
    } catch (err) {
      if (!(err instanceof StaleSocketError)) throw this.socketError(err);
      if (again || (err.reset && opts.resend === false)) throw this.socketError(err.reset ?? err);
      this.forget();
      return this.postOnce(plain, opts, true);
    }
    this.stats.requests++;
    if (res.status === 401) {
      this.forget();
      throw authFailed(this.authWho());
    }
    if (res.status === 413) {
      // HTTP.sys may refuse it before WinRM unseals it: the host's NTLM sequence would then be one behind ours
      this.forget();
      res.socket.destroy();
      throw requestTooLarge({ host: this.hostName, target: this.target, bytes: plain.length });
    }
    const text = this.unframe(res, session).toString('utf8');
    if (res.status === 200 || res.status === 500) return text;
    if (this.encrypt) {
      // not WinRM's answer (HTTP.sys's, a proxy's; a 400 when the host could not unseal): whether the host's NTLM
      // sequence moved is unknown, so this context is not used again
      this.forget();
      res.socket.destroy();
    }
    throw unexpectedStatus({ host: this.hostName, target: this.target, status: res.status, body: text });
  }

  /** NTLM: Type 1 -> 401 + Type 2 -> Type 3, both on empty POSTs, on one socket. Never retried. */
  private async handshake(opts: { signal?: AbortSignal; timeoutMs?: number }): Promise<void> {
    this.forget();
    const client = this.deps.ntlmClient(this.credentials());
    const type1 = client.negotiate();
    const first = await this.send(opts, () => negotiateRequest(type1)).catch((err) => { throw this.socketError(err); });
    this.stats.authRoundTrips++;
    const token = first.status === 401 ? negotiateToken(first.headers['www-authenticate']) : null;
    if (first.status !== 401) throw unexpectedStatus({ host: this.hostName, target: this.target, status: first.status, body: first.body.toString('utf8') });
    if (!token) throw authFailed({ ...this.authWho(), method: 'NTLM (the host offers no Negotiate)' });
    const challenge = token.subarray(0, 8).toString('latin1') === 'NTLMSSP\0' ? token : this.deps.unwrapSpnego(token);
    const channelBindings = this.endpoint.scheme === 'https' ? bindingsOf(first.socket) : undefined;
    const { message, session } = client.authenticate(challenge, { channelBindings, targetName: `HTTP/${this.endpoint.host}` });
    const second = await this.send(opts, (socket) => {
      if (socket !== first.socket) throw new GofleetError('CONNECTION_LOST', `${this.target} closed the connection during the NTLM handshake`, { host: this.hostName });
      return negotiateRequest(message);
    }).catch((err) => { throw this.socketError(err); });
    this.stats.authRoundTrips++;
    if (second.status === 401) throw authFailed(this.authWho());
    if (second.status !== 200) throw unexpectedStatus({ host: this.hostName, target: this.target, status: second.status, body: second.body.toString('utf8') });
    if (!second.keepAlive) throw new GofleetError('CONNECTION_LOST', `${this.target} closed the connection right after the NTLM handshake`, { host: this.hostName });
    this.stats.handshakes++;
    this.authSocket = first.socket;
    this.ntlm = session;
  }

  /** The body and headers of a SOAP request, once the socket is known. */
  private frame(plain: Buffer, socket: Socket): { body: Buffer; headers: Record<string, string> } {
    const headers: Record<string, string> = {};
    if (this.endpoint.auth === 'basic') {
      const pair = `${this.endpoint.username ?? ''}:${this.endpoint.password ?? ''}`;
      headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
    } else if (this.endpoint.auth === 'certificate') {
      headers.Authorization = MUTUAL;
    } else if (socket !== this.authSocket || !this.ntlm) {
      throw new StaleSocketError();
    }
    if (this.encrypt && this.ntlm) {
      headers['Content-Type'] = ENCRYPTED_CONTENT_TYPE;
      return { body: this.deps.encryptMessage(this.ntlm, plain), headers };
    }
    headers['Content-Type'] = SOAP_CONTENT_TYPE;
    return { body: plain, headers };
  }

  /** The reply's plaintext; sealed replies open with the context the request was sealed with. */
  private unframe(res: Exchange, session: NtlmSession | null): Buffer {
    const type = String(res.headers['content-type'] ?? '');
    if (!/HTTP-SPNEGO-session-encrypted/i.test(type)) return res.body;
    if (!session) throw new GofleetError('WINRM_PROTOCOL', `${this.target} sent an encrypted reply to an unauthenticated request`, { host: this.hostName });
    try {
      return this.deps.decryptMessage(session, res.body);
    } catch (err) {
      // The sealing state of this socket is now out of step with the host's: never use it again.
      this.forget();
      res.socket.destroy();
      const code = err instanceof GofleetError ? err.code : 'WINRM_PROTOCOL';
      throw new GofleetError(code, `${this.target}: ${(err as Error).message}`, { host: this.hostName, cause: err });
    }
  }

  private send(opts: { signal?: AbortSignal; timeoutMs?: number }, prepare: (socket: Socket) => { body: Buffer; headers: Record<string, string> }): Promise<Exchange> {
    const timeoutMs = opts.timeoutMs ?? this.endpoint.readTimeoutMs ?? 30_000;
    return exchange({
      request: this.endpoint.scheme === 'https' ? https.request : http.request,
      url: { host: this.endpoint.host, port: this.endpoint.port, path: this.endpoint.path },
      agent: this.agent,
      prepare: (socket) => {
        const out = prepare(socket);
        this.stats.bytesSent += out.body.length;
        return out;
      },
      timeoutMs,
      timeoutError: () => new GofleetError('WINRM_TIMEOUT', `${this.target} did not answer within ${timeoutMs} ms`, { host: this.hostName }),
      signal: opts.signal,
      onSocket: (socket) => this.watch(socket),
      bodyLimit: {
        bytes: this.deps.maxReplyBytes ?? MAX_REPLY_BYTES,
        error: () => new GofleetError('WINRM_PROTOCOL', `${this.target} sent a reply larger than ${this.deps.maxReplyBytes ?? MAX_REPLY_BYTES} bytes; a WinRM host answers within the envelope size asked for (w:MaxEnvelopeSize)`, { host: this.hostName }),
      },
    }).then((res) => {
      this.stats.bytesReceived += res.body.length;
      if (!res.keepAlive && res.socket === this.authSocket) this.forget();
      return res;
    });
  }

  /** Count a new socket, time its connect, and forget the NTLM context when it closes. */
  private watch(socket: Socket): void {
    if (this.seen.has(socket)) return;
    this.seen.add(socket);
    this.stats.sockets++;
    socket.once('close', () => {
      if (this.authSocket === socket) this.forget();
    });
    if (!socket.connecting) return;
    // The connect timeout covers the TLS handshake too: a port that accepts and never speaks TLS is not a host
    // that answered.
    const tls = this.endpoint.scheme === 'https';
    const ms = this.endpoint.connectTimeoutMs ?? 10_000;
    const timer = setTimeout(() => {
      const what = tls ? 'TLS connection' : 'TCP connection';
      socket.destroy(Object.assign(new Error(`no ${what} after ${ms} ms`), { code: 'ETIMEDOUT' }));
    }, ms);
    socket.once(tls ? 'secureConnect' : 'connect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
  }

  private authenticated(): boolean {
    return this.authSocket !== null && !this.authSocket.destroyed && this.ntlm !== null;
  }

  private forget(): void {
    this.authSocket = null;
    this.ntlm = null;
  }

  private socketError(err: unknown): GofleetError {
    return winrmSocketError(err, { host: this.hostName, target: this.target });
  }

  private authWho(): { host: string; target: string; method: string; user?: string } {
    const method = { ntlm: 'NTLM', basic: 'Basic', certificate: 'client certificate' }[this.endpoint.auth];
    return { host: this.hostName, target: this.target, method, user: this.endpoint.username };
  }

  private credentials(): NtlmCredentials {
    return { username: this.endpoint.username ?? '', password: this.endpoint.password ?? '' };
  }

  private warn(text: string): void {
    const warning = `${this.hostName}: ${text}`;
    this.warnings.push(warning);
    this.deps.onWarning?.(warning);
  }

}

function negotiateRequest(token: Buffer): { body: Buffer; headers: Record<string, string> } {
  return { body: EMPTY, headers: { Authorization: `Negotiate ${token.toString('base64')}`, 'Content-Type': SOAP_CONTENT_TYPE } };
}

/** The token of a `Negotiate <b64>` (or `NTLM <b64>`) challenge, among possibly several WWW-Authenticate values. */
export function negotiateToken(header: string | string[] | undefined): Buffer | null {
  const values = (Array.isArray(header) ? header : [header ?? '']).flatMap((h) => h.split(','));
  for (const v of values) {
    const m = /^\s*(?:Negotiate|NTLM)\s+([A-Za-z0-9+/=]+)\s*$/i.exec(v);
    if (m?.[1]) return Buffer.from(m[1], 'base64');
  }
  return null;
}

function bindingsOf(socket: Socket): Buffer | undefined {
  const cert = (socket as TLSSocket).getPeerCertificate?.();
  return cert?.raw ? tlsServerEndPoint(cert.raw) : undefined;
}
