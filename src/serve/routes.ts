// The dashboard's routes, behind http-server.ts's checks (Host, identity, Origin + CSRF):
//   pages     GET / (fleet), /runs, /runs/:id, /policy, /vulns; GET|POST /login, POST /logout
//   files     GET /ui/:file (the front end, served as is)
//   API       GET /api/fleet, /api/runs, /api/runs/:id/events (replay), /api/runs/:id/report (the HTML report,
//             sandboxed for the run page's frame), /api/policy, /api/events (server-sent events)
//   actions   POST /api/runs/:id/approve and /api/runs/:id/stop, body {"wave": N}: data.approve/stop with the Actor

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loginHtml, pageHtml, type PageName } from './pages.ts';
import { PAGE_CSP, REPORT_FRAME_CSP, securityHeaders } from './security.ts';
import { clearedCookie, cookieName, readCookie, sessionCookie, type Session, type SessionTable } from './sessions.ts';
import type { EventStreams } from './sse.ts';
import type { ActionResult, Actor, DashboardData } from './types.ts';
import type { UiFile } from './ui-files.ts';
import { LOCAL_ACTOR } from './tokens.ts';

export interface Identity {
  /** a token's name, or "local" */
  who: string;
  via: 'bearer' | 'session' | 'local';
  session: Session | null;
  /** still valid now (the token not revoked since); asked by long-lived responses (the event stream) */
  alive: () => boolean;
}

export interface RouteDeps {
  data: DashboardData;
  sessions: SessionTable;
  streams: EventStreams;
  ui: ReadonlyMap<string, UiFile>;
  tls: boolean;
  requireToken: boolean;
  verify: (token: string) => string | null;
  log: (line: string) => void;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const STATUS: Record<Exclude<ActionResult, { ok: true }>['reason'], number> = { not_found: 404, not_paused: 409, wrong_wave: 409 };
const actionBody = {
  type: 'object',
  required: ['wave'],
  additionalProperties: false,
  properties: { wave: { type: 'integer', minimum: 1, maximum: 100000 } },
} as const;

export function registerRoutes(app: FastifyInstance, d: RouteDeps): void {
  const json = (reply: FastifyReply, body: unknown) => reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
  const notFound = (reply: FastifyReply) => reply.code(404).type('application/json; charset=utf-8').send({ error: { code: 'not_found', message: 'no such run' } });

  /** The session a page hands its CSRF token from; made on first visit on loopback without tokens. */
  const pageSession = (req: FastifyRequest, reply: FastifyReply): Session | null => {
    const id = req.identity;
    if (id?.session) return id.session;
    if (id?.via !== 'local') return null;
    const s = d.sessions.create(LOCAL_ACTOR, null);
    reply.header('set-cookie', sessionCookie(s.id, d.tls));
    return s;
  };
  const page = (name: PageName) => async (req: FastifyRequest<{ Params: { id?: string } }>, reply: FastifyReply) => {
    const run = req.params.id;
    if (run !== undefined && !RUN_ID.test(run)) return notFound(reply);
    const s = pageSession(req, reply);
    const html = pageHtml({ page: name, csrf: s?.csrf ?? '', who: req.identity?.who ?? '', signOut: req.identity?.via === 'session' && s?.token !== null, ...(run !== undefined ? { run } : {}) });
    return reply.type('text/html; charset=utf-8').send(html);
  };
  app.get('/', page('fleet'));
  app.get('/runs', page('runs'));
  app.get('/runs/:id', page('run'));
  app.get('/policy', page('policy'));
  app.get('/vulns', page('vulns'));

  app.get('/login', async (_req, reply) => reply.type('text/html; charset=utf-8').send(loginHtml(false)));
  app.post('/login', async (req, reply) => {
    const token = (req.body as Record<string, unknown> | undefined)?.token;
    const who = typeof token === 'string' ? d.verify(token.trim()) : null;
    if (who === null) {
      d.log(`sign-in refused from ${req.ip}`);
      return reply.code(401).type('text/html; charset=utf-8').send(loginHtml(true));
    }
    const s = d.sessions.create(who, (token as string).trim());
    d.log(`signed in: ${who} from ${req.ip}`);
    return reply.code(303).header('set-cookie', sessionCookie(s.id, d.tls)).header('location', '/').send();
  });
  app.post('/logout', async (req, reply) => {
    const id = readCookie(req.headers.cookie, cookieName(d.tls));
    if (id) d.sessions.drop(id);
    return reply.code(303).header('set-cookie', clearedCookie(d.tls)).header('location', d.requireToken ? '/login' : '/').send();
  });

  app.get('/ui/:file', async (req: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const f = d.ui.get(req.params.file);
    if (!f) return reply.code(404).type('application/json; charset=utf-8').send({ error: { code: 'not_found', message: 'no such file' } });
    return reply.type(f.type).header('cache-control', 'no-cache').send(f.body);
  });

  app.get('/api/fleet', async (_req, reply) => json(reply, await d.data.fleet()));
  app.get('/api/runs', async (_req, reply) => json(reply, await d.data.runs()));
  app.get('/api/policy', async (_req, reply) => json(reply, await d.data.policy()));
  app.get('/api/runs/:id/events', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const events = RUN_ID.test(req.params.id) ? await d.data.runEvents(req.params.id) : null;
    return events === null ? notFound(reply) : json(reply, { events });
  });
  app.get('/api/runs/:id/report', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const html = RUN_ID.test(req.params.id) ? await d.data.runReport(req.params.id) : null;
    if (html === null) return notFound(reply);
    return reply.headers(securityHeaders(REPORT_FRAME_CSP, d.tls)).type('text/html; charset=utf-8').send(html);
  });
  app.get('/api/events', (req, reply) => {
    reply.hijack();
    d.streams.open(req.raw, reply.raw, securityHeaders(PAGE_CSP, d.tls), req.identity?.alive);
  });

  const action = (kind: 'approve' | 'stop') => async (req: FastifyRequest<{ Params: { id: string }; Body: { wave: number } }>, reply: FastifyReply) => {
    if (!RUN_ID.test(req.params.id)) return notFound(reply);
    const actor: Actor = { who: req.identity?.who ?? LOCAL_ACTOR, from: req.ip };
    const result = await (kind === 'approve' ? d.data.approve : d.data.stop).call(d.data, req.params.id, req.body.wave, actor);
    d.log(`${kind} run ${req.params.id} wave ${req.body.wave} by ${actor.who} from ${actor.from}: ${result.ok ? 'ok' : result.reason}`);
    if (result.ok) return json(reply, { ok: true });
    return reply.code(STATUS[result.reason]).type('application/json; charset=utf-8').send({ error: { code: result.reason, message: result.message } });
  };
  app.post('/api/runs/:id/approve', { schema: { body: actionBody } }, action('approve'));
  app.post('/api/runs/:id/stop', { schema: { body: actionBody } }, action('stop'));
}
