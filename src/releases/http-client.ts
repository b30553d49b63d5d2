// A small HTTP GET client on node:http/https (not fetch: Node 20's fetch cannot use a proxy without
// the undici package). It follows redirects (go.dev/dl/FILE -> dl.google.com), honours
// HTTPS_PROXY / HTTP_PROXY / NO_PROXY (see proxy-env.ts; https through CONNECT tunnels), applies an
// inactivity timeout, checks Content-Length, and reports every failure as SOURCE_UNAVAILABLE with
// the URL (credentials stripped) and the status.

import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import tls from 'node:tls';
import { GofleetError, registerSecret } from '../errors.ts';
import { proxyFor, type ProxyEnv } from './proxy-env.ts';

export interface HttpOptions {
  /** no byte for this long (connect, headers or body) fails the request; default 30 s or $GOFLEET_HTTP_TIMEOUT_MS */
  timeoutMs?: number;
  /** where proxy variables are read; default process.env */
  env?: ProxyEnv;
  /** trusted CAs for TLS, replacing Node's list (tests; in production use NODE_EXTRA_CA_CERTS) */
  ca?: string | Buffer;
  signal?: AbortSignal;
  /** default 5 */
  maxRedirects?: number;
}

export interface HttpResponse {
  /** the final URL after redirects */
  url: string;
  status: number;
  statusText: string;
  /** Content-Length, when sent */
  size: number | null;
  /** Last-Modified in ms since the epoch, when sent and valid */
  lastModified: number | null;
  /** the body; ends with an error if the connection drops before Content-Length bytes */
  body: Readable;
}

/** 30 s; $GOFLEET_HTTP_TIMEOUT_MS shortens it (tests of a stalled source, a slow link's failover) */
function defaultTimeoutMs(): number {
  const env = Number(process.env.GOFLEET_HTTP_TIMEOUT_MS);
  return Number.isInteger(env) && env > 0 ? env : 30_000;
}
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The URL without user:password, for messages. */
export function displayUrl(url: string | URL): string {
  const u = new URL(url.toString());
  u.username = '';
  u.password = '';
  return u.toString();
}

/** GET `url`; resolves for any status (the caller reads or destroys `body`). */
export async function httpGet(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const { req, res } = await requestOnce(current, options);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.statusCode ?? 0) || !location) return toResponse(current, req, res, options);
    res.resume();
    if (hop >= (options.maxRedirects ?? 5)) throw unavailable(current, `too many redirects`);
    current = new URL(location, current);
  }
}

/** GET and return the body text; SOURCE_UNAVAILABLE for a non-2xx status (null for 404 when allowed). */
export async function httpGetText(url: string, options: HttpOptions & { allowNotFound?: boolean } = {}): Promise<string | null> {
  return (await httpGetBytes(url, options))?.toString('utf8') ?? null;
}

/** GET and return the exact body bytes (a signature covers bytes, not decoded text); as httpGetText otherwise. */
export async function httpGetBytes(url: string, options: HttpOptions & { allowNotFound?: boolean } = {}): Promise<Buffer | null> {
  const res = await httpGet(url, options);
  if (res.status === 404 && options.allowNotFound) {
    res.body.resume();
    return null;
  }
  assertOk(res);
  const chunks: Buffer[] = [];
  for await (const chunk of res.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Throw SOURCE_UNAVAILABLE (and drop the body) unless the status is 2xx. */
export function assertOk(res: HttpResponse): void {
  if (res.status >= 200 && res.status < 300) return;
  res.body.destroy();
  throw unavailable(new URL(res.url), `HTTP ${res.status} ${res.statusText}`.trim());
}

function unavailable(url: URL, detail: string, cause?: unknown): GofleetError {
  return new GofleetError('SOURCE_UNAVAILABLE', `GET ${displayUrl(url)}: ${detail}`, { cause });
}

interface Exchange {
  req: http.ClientRequest;
  res: http.IncomingMessage;
}

function requestOnce(url: URL, options: HttpOptions): Promise<Exchange> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs();
  const proxy = proxyForOrThrow(url, options.env ?? process.env);
  return new Promise((resolve, reject) => {
    const fail = (err: unknown) => reject(err instanceof GofleetError ? err : unavailable(url, describe(err), err));
    let retried = false;
    const start = (tunnel?: tls.TLSSocket) => {
      const req = buildRequest(url, proxy, options, tunnel && (() => tunnel), retried);
      req.setTimeout(timeoutMs, () => req.destroy(unavailable(url, `no data for ${timeoutMs} ms`)));
      abortWith(options.signal, req, url);
      req.on('response', (res) => {
        // a tunnel serves one request: close it with the response, or it lingers until the server times out
        if (tunnel) res.once('end', () => tunnel.destroy());
        resolve({ req, res });
      });
      req.on('error', (err) => {
        tunnel?.destroy();
        // a kept-alive socket the server closed meanwhile: GET is idempotent, try once on a fresh one
        if (!tunnel && req.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET' && !retried) {
          retried = true;
          return start(); // on a new connection (agent: false)
        }
        fail(err);
      });
      req.end();
    };
    if (proxy && url.protocol === 'https:') {
      openTunnel(url, proxy, options, timeoutMs).then(start, fail);
    } else {
      start();
    }
  });
}

/** Destroy `req` with SOURCE_UNAVAILABLE "aborted" when `signal` fires before the response (Node's own
 * `signal` option emits an AbortError on the socket that nothing can catch once the response started). */
function abortWith(signal: AbortSignal | undefined, req: http.ClientRequest, url: URL): void {
  if (!signal) return;
  const onAbort = () => void req.destroy(unavailable(url, 'aborted'));
  if (signal.aborted) return onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  req.once('response', () => signal.removeEventListener('abort', onAbort));
  req.once('close', () => signal.removeEventListener('abort', onAbort));
}

function proxyForOrThrow(url: URL, env: ProxyEnv): URL | null {
  let proxy: URL | null;
  try {
    proxy = proxyFor(url, env);
  } catch (err) {
    throw unavailable(url, `the proxy setting (HTTPS_PROXY/HTTP_PROXY) is not a URL`, err);
  }
  if (proxy && proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw unavailable(url, `unsupported proxy scheme ${proxy.protocol} (use an http:// proxy)`);
  }
  if (proxy?.password) registerSecret(decodeURIComponent(proxy.password));
  return proxy;
}

function basicAuth(u: URL): string | undefined {
  if (!u.username && !u.password) return undefined;
  const password = decodeURIComponent(u.password);
  registerSecret(password);
  return `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${password}`).toString('base64')}`;
}

function buildRequest(url: URL, proxy: URL | null, options: HttpOptions, createConnection?: () => tls.TLSSocket, fresh = false): http.ClientRequest {
  const agent = fresh ? { agent: false as const } : {};
  const headers: Record<string, string> = { 'user-agent': 'gofleet', accept: '*/*' };
  const auth = basicAuth(url);
  if (auth) headers.authorization = auth;
  if (proxy && url.protocol === 'http:') {
    // absolute-form request to the proxy
    const proxyAuth = basicAuth(proxy);
    if (proxyAuth) headers['proxy-authorization'] = proxyAuth;
    headers.host = url.host;
    const mod = proxy.protocol === 'https:' ? https : http;
    return mod.request({ host: proxy.hostname, port: proxy.port || undefined, path: displayUrl(url), method: 'GET', headers, ca: options.ca, ...agent });
  }
  headers.host = url.host;
  const mod = url.protocol === 'https:' ? https : http;
  const defaultPort = url.protocol === 'https:' ? 443 : 80;
  const target = { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || defaultPort, defaultPort, path: url.pathname + url.search, method: 'GET', headers };
  if (createConnection) return mod.request({ ...target, createConnection });
  return mod.request(url.protocol === 'https:' ? { ...target, ca: options.ca, ...agent } : { ...target, ...agent });
}

/** CONNECT host:port through the proxy, then TLS to the target over that socket. */
function openTunnel(url: URL, proxy: URL, options: HttpOptions, timeoutMs: number): Promise<tls.TLSSocket> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const authority = `${url.hostname}:${url.port || 443}`;
  const headers: Record<string, string> = { host: authority };
  const proxyAuth = basicAuth(proxy);
  if (proxyAuth) headers['proxy-authorization'] = proxyAuth;
  const mod = proxy.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request({ host: proxy.hostname, port: proxy.port || undefined, method: 'CONNECT', path: authority, headers, ca: options.ca });
    req.setTimeout(timeoutMs, () => req.destroy(unavailable(url, `proxy ${displayUrl(proxy)} did not answer CONNECT in ${timeoutMs} ms`)));
    abortWith(options.signal, req, url);
    req.on('error', reject);
    req.on('connect', (res, socket) => {
      req.setTimeout(0);
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(unavailable(url, `proxy ${displayUrl(proxy)} refused CONNECT ${authority}: HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      const secure = tls.connect({ socket, host, servername: isIP(host) ? undefined : host, ca: options.ca });
      secure.once('close', () => socket.destroy()); // make sure the TCP socket goes with the TLS layer
      resolve(secure);
    });
    req.end();
  });
}

function toResponse(url: URL, req: http.ClientRequest, res: http.IncomingMessage, options: HttpOptions): HttpResponse {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs();
  const length = res.headers['content-length'];
  const size = length !== undefined && /^\d+$/.test(length) ? Number(length) : null;
  const modified = res.headers['last-modified'] ? Date.parse(res.headers['last-modified']) : NaN;
  const body = new PassThrough({ highWaterMark: 1 << 20 });
  let received = 0;
  res.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (!body.write(chunk)) res.pause();
  });
  body.on('drain', () => res.resume());
  res.on('end', () => {
    if (size !== null && received !== size) body.destroy(unavailable(url, `connection closed after ${received} of ${size} bytes`));
    else body.end();
  });
  const broken = (err?: unknown) => {
    if (body.destroyed) return;
    body.destroy(unavailable(url, `connection lost after ${received} bytes${err ? ` (${describe(err)})` : ''}`, err));
  };
  req.on('timeout', () => body.destroy(unavailable(url, `no data for ${timeoutMs} ms after ${received} bytes`)));
  res.on('error', broken);
  res.on('aborted', () => broken());
  const onAbort = () => body.destroy(unavailable(url, 'aborted'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  body.on('close', () => {
    options.signal?.removeEventListener('abort', onAbort);
    if (!res.complete) res.destroy();
  });
  return { url: url.toString(), status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', size, lastModified: Number.isFinite(modified) ? modified : null, body };
}

function describe(err: unknown): string {
  if (err instanceof GofleetError) return err.message;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code} ${err.message}` : err.message;
  }
  return String(err);
}
