// The dashboard's web server (issue 13, `gofleet serve`): fastify, reading everything through DashboardData
// (types.ts). Secure by default:
// - every request: its Host must be a name the server is reached by (security.ts, against DNS rebinding);
// - with `requireToken` (anything beyond loopback must set it; createDashboardServer refuses otherwise) every request
//   but the sign-in page and the static UI files needs `Authorization: Bearer TOKEN` or a session cookie from
//   POST /login; tokens never travel in a URL;
// - state-changing requests from a browser session need the same-origin Origin and the session's CSRF token in
//   the `x-csrf-token` header (a bearer request carries no ambient credential, so no site can forge one);
// - a CSP without inline script, no framing, nosniff on every response; no token, cookie or CSRF value is ever
//   logged or put in an error body.
// Routes are in routes.ts; the event stream in sse.ts; sessions in sessions.ts.

import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { GofleetError } from '../errors.ts';
import { loginHtml } from './pages.ts';
import { registerRoutes, type Identity } from './routes.ts';
import { PAGE_CSP, hostAllowed, hostNames, sameOrigin, securityHeaders } from './security.ts';
import { clearedCookie, cookieName, csrfMatches, readCookie, sessionTable } from './sessions.ts';
import { eventStreams } from './sse.ts';
import type { DashboardData } from './types.ts';
import { DEFAULT_UI_DIR, loadUiFiles } from './ui-files.ts';
import { LOCAL_ACTOR } from './tokens.ts';

export interface DashboardServerOptions {
  /** where to listen; port 0 picks a free one (the Host check then uses the real port) */
  listen: { host: string; port: number };
  /** require a token on every request: must be true for any address beyond loopback */
  requireToken: boolean;
  /** the name of a presented token, or null (tokens.ts verifyToken over the journal); needed with requireToken */
  verifyToken?: (token: string) => string | null;
  /** serve HTTPS with this key and certificate (PEM); cookies are then Secure and __Host- */
  https?: { key: string | Buffer; cert: string | Buffer };
  /** more host names clients use (a DNS name of a server listening on 0.0.0.0) */
  allowHosts?: readonly string[];
  /** comment lines on the event stream this often (default 15 s) */
  heartbeatMs?: number;
  /** one line per request and per action; never a secret */
  log?: (line: string) => void;
  uiDir?: string;
}

export interface DashboardServer {
  app: FastifyInstance;
  /** start listening; the URL people open */
  listen(): Promise<string>;
  close(): Promise<void>;
  /** event streams open now (tests: one subscription per client, gone after it leaves) */
  openStreams(): number;
}

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
  }
}

const PUBLIC = new Set(['/login']);

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function createDashboardServer(data: DashboardData, options: DashboardServerOptions): DashboardServer {
  if (!options.requireToken && !isLoopback(options.listen.host)) {
    throw new GofleetError('BAD_OPTION', `listening on ${options.listen.host} (beyond loopback) needs API tokens; refusing to serve the dashboard without them`);
  }
  if (options.requireToken && !options.verifyToken) throw new GofleetError('INTERNAL', 'requireToken without a token verifier');
  const tls = options.https !== undefined;
  const log = options.log ?? (() => {});
  const verify = options.verifyToken ?? (() => null);
  const names = hostNames(options.listen.host, options.allowHosts);
  const sessions = sessionTable();
  const streams = eventStreams(data, options.heartbeatMs ?? 15_000);
  const ui = loadUiFiles(options.uiDir ?? DEFAULT_UI_DIR);
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024, trustProxy: false, ...(options.https ? { https: options.https } : {}) }) as unknown as FastifyInstance;
  const port = (): number => options.listen.port || (app.server.address() as AddressInfo | null)?.port || 0;

  app.decorateRequest('identity', null);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  const refuse = (reply: FastifyReply, status: number, code: string, message: string): FastifyReply =>
    reply.code(status).headers(securityHeaders(PAGE_CSP, tls)).type('application/json; charset=utf-8').send({ error: { code, message } });

  /** Who is asking: a bearer token, a session cookie, or (loopback without tokens) the local user; null: nobody. */
  const identify = (req: FastifyRequest, reply: FastifyReply): Identity | null | 'bad-bearer' => {
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const m = /^Bearer ([^\s]+)$/.exec(auth);
      const who = m?.[1] ? verify(m[1]) : null;
      return who === null ? 'bad-bearer' : { who, via: 'bearer', session: null, alive: () => verify(m?.[1] ?? '') !== null };
    }
    const session = sessions.get(readCookie(req.headers.cookie, cookieName(tls)));
    if (session) {
      if (session.token !== null && verify(session.token) === null) {
        sessions.drop(session.id);
        reply.header('set-cookie', clearedCookie(tls));
      } else if (session.token !== null || !options.requireToken) {
        const token = session.token;
        return { who: session.who, via: 'session', session, alive: () => token === null || verify(token) !== null };
      }
    }
    return options.requireToken ? null : { who: LOCAL_ACTOR, via: 'local', session: null, alive: () => true };
  };

  app.addHook('onRequest', async (req, reply) => {
    if (!hostAllowed(req.headers.host, { port: port(), names }, tls)) return refuse(reply, 400, 'bad_host', 'this server does not answer to that Host name');
    const path = req.url.split('?')[0] ?? '';
    if (req.method === 'GET' && (path.startsWith('/ui/') || PUBLIC.has(path))) return;
    if (req.method === 'POST' && path === '/login') {
      if (!sameOrigin(req.headers, tls)) return refuse(reply, 403, 'bad_origin', 'cross-origin request refused');
      return;
    }
    const who = identify(req, reply);
    if (who === null || who === 'bad-bearer') {
      if (req.method === 'GET' && !path.startsWith('/api/')) {
        return reply.code(401).headers(securityHeaders(PAGE_CSP, tls)).type('text/html; charset=utf-8').send(loginHtml(false));
      }
      return refuse(reply, 401, 'unauthorized', who === null ? 'sign in first: a bearer token or a session from /login' : 'the token is not valid (unknown or revoked)');
    }
    req.identity = who;
    if (req.method !== 'GET' && req.method !== 'HEAD' && who.via !== 'bearer') {
      if (!sameOrigin(req.headers, tls)) return refuse(reply, 403, 'bad_origin', 'cross-origin request refused');
      const csrf = req.headers['x-csrf-token'];
      if (!who.session || !csrfMatches(who.session, typeof csrf === 'string' ? csrf : undefined)) return refuse(reply, 403, 'bad_csrf', 'missing or wrong CSRF token: reload the page');
    }
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) reply.headers(securityHeaders(PAGE_CSP, tls));
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    log(`${req.method} ${req.url.split('?')[0]} ${reply.statusCode}`);
  });
  app.setErrorHandler((err, req, reply) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) log(`error ${req.method} ${req.url.split('?')[0]}: ${err instanceof Error ? err.message : String(err)}`);
    return refuse(reply, status, status >= 500 ? 'internal' : 'bad_request', status >= 500 ? 'internal error (see the server log)' : 'bad request');
  });
  app.setNotFoundHandler((_req, reply) => refuse(reply, 404, 'not_found', 'no such page'));
  app.addHook('preClose', async () => streams.closeAll());

  registerRoutes(app, { data, sessions, streams, ui, tls, requireToken: options.requireToken, verify, log });

  return {
    app,
    async listen() {
      await app.listen({ host: options.listen.host, port: options.listen.port });
      const h = options.listen.host.includes(':') ? `[${options.listen.host}]` : options.listen.host;
      return `${tls ? 'https' : 'http'}://${h}:${port()}/`;
    },
    close: () => app.close(),
    openStreams: () => streams.count(),
  };
}
