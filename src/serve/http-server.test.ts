// The dashboard server's security and API through fastify.inject (no socket), plus the event stream over a real
// loopback socket: Host check, tokens (bearer, sign-in cookie, revoked), CSRF and Origin, headers, actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GofleetError } from '../errors.ts';
import { makeTestCerts } from '../../test/harness/test-certs.ts';
import { openServeStore, type ServeStore } from '../store/index.ts';
import { createDashboardServer, type DashboardServerOptions } from './http-server.ts';
import { fakeDashboard, type FakeDashboard } from './testing/fake-data.ts';
import { createToken, revokeToken, verifyToken } from './tokens.ts';

const PORT = 8123;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const HOST = `127.0.0.1:${PORT}`;

function server(t: { after: (fn: () => unknown) => void }, options: Partial<DashboardServerOptions> = {}, data: FakeDashboard = fakeDashboard({ hosts: 3 })) {
  const lines: string[] = [];
  const s = createDashboardServer(data, { listen: { host: '127.0.0.1', port: PORT }, requireToken: false, log: (l) => lines.push(l), ...options });
  t.after(() => s.close());
  return { s, data, lines, inject: s.app.inject.bind(s.app) };
}

function tokenStore(t: { after: (fn: () => unknown) => void }): ServeStore {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-serve-http-'));
  const store = openServeStore(join(dir, 'gofleet.db'));
  t.after(() => (store.close(), rmSync(dir, { recursive: true, force: true })));
  return store;
}

/** A loopback page visit: the session cookie and the page's CSRF token. */
async function visit(inject: ReturnType<typeof server>['inject'], cookie?: string): Promise<{ cookie: string; csrf: string }> {
  const res = await inject({ method: 'GET', url: '/', headers: { host: HOST, ...(cookie ? { cookie } : {}) } });
  assert.equal(res.statusCode, 200);
  const csrf = /<meta name="gofleet-csrf" content="([^"]*)">/.exec(res.body)?.[1] ?? '';
  const set = String(res.headers['set-cookie'] ?? '');
  return { cookie: cookie ?? set.split(';')[0] ?? '', csrf };
}

test('the Host header must name this server: loopback names or allowed names, at its port', async (t) => {
  const { inject } = server(t, { allowHosts: ['fleet.example.com'] });
  for (const host of [HOST, `localhost:${PORT}`, `[::1]:${PORT}`, `fleet.example.com:${PORT}`, `LOCALHOST:${PORT}`]) {
    assert.equal((await inject({ url: '/api/fleet', headers: { host } })).statusCode, 200, host);
  }
  for (const host of [`attacker.example:${PORT}`, '127.0.0.1:9999', '127.0.0.1', `127.0.0.1.nip.io:${PORT}`, '', `a@127.0.0.1:${PORT}`]) {
    const res = await inject({ url: '/api/fleet', headers: { host } });
    assert.equal(res.statusCode, 400, host);
    assert.equal(res.json().error.code, 'bad_host');
  }
});

test('every response carries the security headers; pages load only their own scripts, none inline', async (t) => {
  const { inject } = server(t);
  for (const url of ['/', '/runs', '/runs/20261202-020000-a1b2', '/policy', '/vulns', '/api/fleet', '/nope', '/ui/app.css']) {
    const res = await inject({ url, headers: { host: HOST } });
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/, url);
    assert.match(csp, /frame-ancestors 'none'/, url);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, url);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(res.headers['x-frame-options'], 'DENY', url);
    assert.equal(res.headers['referrer-policy'], 'same-origin', url);
    if (res.headers['content-type']?.toString().startsWith('text/html')) {
      assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc=)[^>]*>/, `${url}: an inline script`);
      assert.doesNotMatch(res.body, /\son[a-z]+=/i, `${url}: an inline event handler`);
    }
  }
  const report = await inject({ url: '/api/runs/20261202-020000-a1b2/report', headers: { host: HOST } });
  assert.equal(report.statusCode, 200);
  assert.match(String(report.headers['content-security-policy']), /frame-ancestors 'self'; sandbox$/);
  assert.equal(report.headers['x-frame-options'], 'SAMEORIGIN');
});

test('the UI folder serves its own files only', async (t) => {
  const { inject } = server(t);
  assert.equal((await inject({ url: '/ui/app.css', headers: { host: HOST } })).headers['content-type'], 'text/css; charset=utf-8');
  for (const url of ['/ui/..%2f..%2fpackage.json', '/ui/../../package.json', '/ui/%2e%2e/tokens.ts', '/ui/tokens.ts', '/ui/']) {
    assert.equal((await inject({ url, headers: { host: HOST } })).statusCode, 404, url);
  }
});

test('beyond loopback the server refuses to run without tokens', () => {
  assert.throws(
    () => createDashboardServer(fakeDashboard(), { listen: { host: '0.0.0.0', port: 0 }, requireToken: false }),
    (err: unknown) => err instanceof GofleetError && err.code === 'BAD_OPTION',
  );
});

test('tokens required: nothing without one, a bad or revoked one is refused, and no token is echoed', async (t) => {
  const store = tokenStore(t);
  const token = createToken(store, 'ci', { actor: 'ops', at: 1 });
  const { inject, lines } = server(t, { requireToken: true, verifyToken: (x) => verifyToken(store, x) });
  const api = (authorization?: string) => inject({ url: '/api/fleet', headers: { host: HOST, ...(authorization ? { authorization } : {}) } });

  const none = await api();
  assert.equal(none.statusCode, 401);
  assert.equal(none.json().error.code, 'unauthorized');
  const page = await inject({ url: '/', headers: { host: HOST } });
  assert.equal(page.statusCode, 401);
  assert.match(page.body, /<form method="post" action="\/login">/, 'a page asks to sign in');
  assert.doesNotMatch(page.body, /gofleet-csrf/);

  const wrong = `${token.slice(0, -2)}xy`;
  const bad = await api(`Bearer ${wrong}`);
  assert.equal(bad.statusCode, 401);
  assert.ok(!bad.body.includes(wrong));
  assert.equal((await api(`Basic ${Buffer.from(`x:${token}`).toString('base64')}`)).statusCode, 401);
  assert.equal((await inject({ url: `/api/fleet?token=${token}`, headers: { host: HOST } })).statusCode, 401, 'a token in the URL counts for nothing');

  const good = await api(`Bearer ${token}`);
  assert.equal(good.statusCode, 200);
  assert.equal(good.json().hosts.length, 3);

  revokeToken(store, 'ci', { actor: 'ops', at: 2 });
  assert.equal((await api(`Bearer ${token}`)).statusCode, 401, 'revoked');
  assert.ok(lines.every((l) => !l.includes(token) && !l.includes(wrong)), 'no token in a log line');
});

test('tokens required: signing in with the form gives an HttpOnly SameSite=Strict cookie that a revoke ends', async (t) => {
  const store = tokenStore(t);
  const token = createToken(store, 'ops-laptop', { actor: 'ops', at: 1 });
  const { inject, lines } = server(t, { requireToken: true, verifyToken: (x) => verifyToken(store, x) });
  const form = { 'content-type': 'application/x-www-form-urlencoded', host: HOST, origin: ORIGIN };

  assert.equal((await inject({ method: 'GET', url: '/login', headers: { host: HOST } })).statusCode, 200);
  const refused = await inject({ method: 'POST', url: '/login', headers: form, payload: 'token=not-a-token' });
  assert.equal(refused.statusCode, 401);
  assert.equal(refused.headers['set-cookie'], undefined);
  const crossSite = await inject({ method: 'POST', url: '/login', headers: { ...form, origin: 'http://attacker.example' }, payload: `token=${token}` });
  assert.equal(crossSite.statusCode, 403);

  const ok = await inject({ method: 'POST', url: '/login', headers: form, payload: `token=${encodeURIComponent(token)}` });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/');
  const setCookie = String(ok.headers['set-cookie']);
  assert.match(setCookie, /^gofleet_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
  assert.ok(!setCookie.includes(token) && !ok.body.includes(token), 'the cookie is a session id, not the token');
  const cookie = setCookie.split(';')[0] ?? '';

  const page = await inject({ url: '/', headers: { host: HOST, cookie } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /ops-laptop/);
  assert.ok(!page.body.includes(token), 'the page never holds the token');
  assert.equal((await inject({ url: '/api/fleet', headers: { host: HOST, cookie } })).statusCode, 200);

  revokeToken(store, 'ops-laptop', { actor: 'ops', at: 2 });
  assert.equal((await inject({ url: '/api/fleet', headers: { host: HOST, cookie } })).statusCode, 401, 'a revoked token ends its sessions');
  assert.ok(lines.every((l) => !l.includes(token) && !l.includes(cookie.split('=')[1] ?? '\0')), 'no token or session id in a log line');
});

test('under TLS the session cookie is Secure and __Host-', async (t) => {
  const certs = makeTestCerts();
  t.after(() => certs.cleanup());
  const { inject } = server(t, { https: { key: certs.server.key, cert: certs.server.cert } });
  const res = await inject({ url: '/', headers: { host: HOST } });
  assert.match(String(res.headers['set-cookie']), /^__Host-gofleet_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
  assert.match(String(res.headers['strict-transport-security']), /max-age=/);
  const crossScheme = await inject({ method: 'POST', url: '/logout', headers: { host: HOST, origin: ORIGIN } });
  assert.equal(crossScheme.statusCode, 403, 'an http:// Origin is not the https server');
});

test('CSRF: a state-changing request needs the session CSRF token and a same-origin Origin', async (t) => {
  const data = fakeDashboard({ hosts: 3 });
  const { inject, lines } = server(t, {}, data);
  data.pause('20261203-090000-live', 2, 3, ['web-0002']);
  const { cookie, csrf } = await visit(inject);
  assert.match(cookie, /^gofleet_session=/);
  assert.match(csrf, /^[A-Za-z0-9_-]{43}$/);
  const post = (headers: Record<string, string>) =>
    inject({ method: 'POST', url: '/api/runs/20261203-090000-live/approve', headers: { host: HOST, 'content-type': 'application/json', ...headers }, payload: { wave: 2 } });

  const cases: Array<[string, Record<string, string>, string]> = [
    ['no CSRF header', { cookie, origin: ORIGIN }, 'bad_csrf'],
    ['a wrong CSRF token', { cookie, origin: ORIGIN, 'x-csrf-token': csrf.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }, 'bad_csrf'],
    ['no session', { origin: ORIGIN, 'x-csrf-token': csrf }, 'bad_csrf'],
    ['no Origin', { cookie, 'x-csrf-token': csrf }, 'bad_origin'],
    ['another Origin', { cookie, origin: 'http://attacker.example', 'x-csrf-token': csrf }, 'bad_origin'],
    ['another port', { cookie, origin: 'http://127.0.0.1:9999', 'x-csrf-token': csrf }, 'bad_origin'],
    ['https Origin on http', { cookie, origin: `https://127.0.0.1:${PORT}`, 'x-csrf-token': csrf }, 'bad_origin'],
    ['a cross-site fetch', { cookie, origin: ORIGIN, 'x-csrf-token': csrf, 'sec-fetch-site': 'cross-site' }, 'bad_origin'],
  ];
  for (const [what, headers, code] of cases) {
    const res = await post(headers);
    assert.equal(res.statusCode, 403, what);
    assert.equal(res.json().error.code, code, what);
  }
  assert.deepEqual(data.actions, [], 'none of them reached the data');

  const ok = await post({ cookie, origin: ORIGIN, 'x-csrf-token': csrf, 'sec-fetch-site': 'same-origin' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(data.actions, [{ kind: 'approve', run: '20261203-090000-live', wave: 2, actor: { who: 'local', from: '127.0.0.1' } }]);
  assert.ok(lines.every((l) => !l.includes(csrf)), 'no CSRF token in a log line');
});

test('a bearer request needs no CSRF token (it carries no ambient credential) and acts as the token', async (t) => {
  const store = tokenStore(t);
  const token = createToken(store, 'ci', { actor: 'ops', at: 1 });
  const data = fakeDashboard({ hosts: 3 });
  const { inject } = server(t, { requireToken: true, verifyToken: (x) => verifyToken(store, x) }, data);
  data.pause('20261203-090000-live', 3, 3, ['web-0002']);
  const res = await inject({ method: 'POST', url: '/api/runs/20261203-090000-live/stop', headers: { host: HOST, authorization: `Bearer ${token}` }, payload: { wave: 3 } });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(data.actions.map((a) => [a.kind, a.wave, a.actor]), [['stop', 3, { who: 'ci', from: '127.0.0.1' }]]);
});

test('approve/stop: the data decides; unknown run 404, wrong wave 409, a bad body 400', async (t) => {
  const store = tokenStore(t);
  const token = createToken(store, 'ci', { actor: 'ops', at: 1 });
  const data = fakeDashboard({ hosts: 3 });
  const { inject } = server(t, { requireToken: true, verifyToken: (x) => verifyToken(store, x) }, data);
  data.pause('20261203-090000-live', 2, 3, []);
  const post = (url: string, payload: unknown) => inject({ method: 'POST', url, headers: { host: HOST, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
  assert.equal((await post('/api/runs/nope/approve', { wave: 2 })).statusCode, 404);
  const wrong = await post('/api/runs/20261203-090000-live/approve', { wave: 3 });
  assert.equal(wrong.statusCode, 409);
  assert.equal(wrong.json().error.code, 'wrong_wave');
  for (const body of [{}, { wave: 'two' }, { wave: 0 }, { wave: 1.5 }, [2]]) {
    assert.equal((await post('/api/runs/20261203-090000-live/approve', body)).statusCode, 400, JSON.stringify(body));
  }
  assert.equal((await post('/api/runs/20261203-090000-live/approve', { wave: 2 })).statusCode, 200);
  assert.equal((await post('/api/runs/20261203-090000-live/approve', { wave: 2 })).json().error.code, 'not_paused');
});

test('the read API: fleet, runs, a run\'s events so far, policy, report; unknown runs are 404', async (t) => {
  const data = fakeDashboard({ hosts: 5 });
  const { inject } = server(t, {}, data);
  const get = (url: string) => inject({ url, headers: { host: HOST } });
  assert.deepEqual(Object.keys((await get('/api/fleet')).json()).sort(), ['counts', 'generated_at', 'hosts', 'vulndb']);
  assert.equal((await get('/api/runs')).json().runs[0].id, '20261203-090000-live');
  assert.equal((await get('/api/policy')).json().channels.length, 3);
  data.emit({ kind: 'wave-start', run: '20261203-090000-live', wave: 1, hosts: ['a'], at: 5 });
  assert.deepEqual((await get('/api/runs/20261203-090000-live/events')).json(), { events: [{ kind: 'wave-start', run: '20261203-090000-live', wave: 1, hosts: ['a'], at: 5 }] });
  assert.equal((await get('/api/runs/missing/events')).statusCode, 404);
  assert.equal((await get('/api/runs/missing/report')).statusCode, 404);
  assert.equal((await get('/runs/%3Cscript%3E')).statusCode, 404);
});

test('the event stream: one subscription per client, events as data lines, heartbeats, gone on disconnect', { timeout: 30_000 }, async (t) => {
  const data = fakeDashboard({ hosts: 1 });
  const s = createDashboardServer(data, { listen: { host: '127.0.0.1', port: 0 }, requireToken: false, heartbeatMs: 50 });
  t.after(() => s.close());
  const url = new URL('api/events', await s.listen());
  const received: string[] = [];
  const req = httpRequest(url, { headers: { accept: 'text/event-stream' } });
  const response = await new Promise<import('node:http').IncomingMessage>((resolve) => req.on('response', resolve).end());
  assert.equal(response.headers['content-type'], 'text/event-stream; charset=utf-8');
  assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
  response.setEncoding('utf8');
  const seen = (what: RegExp) =>
    new Promise<void>((resolve) => {
      const check = () => (what.test(received.join('')) ? resolve() : response.once('data', (c: string) => (received.push(c), check())));
      check();
    });
  await seen(/retry: 3000/);
  assert.equal(data.subscribers(), 1);
  assert.equal(s.openStreams(), 1);
  data.emit({ kind: 'fleet-updated', at: 42 });
  await seen(/data: \{"kind":"fleet-updated","at":42\}\n\n/);
  await seen(/: heartbeat\n\n/);
  response.destroy();
  req.destroy();
  // the server sees the socket close within a few event-loop turns; 200 polls is ample (not a timing assertion)
  for (let i = 0; i < 200 && data.subscribers() > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(data.subscribers(), 0, 'the subscription ends with the client');
  assert.equal(s.openStreams(), 0);
});

test('an event stream ends at the next heartbeat once its token is revoked', { timeout: 30_000 }, async (t) => {
  const store = tokenStore(t);
  const token = createToken(store, 'ci', { actor: 'ops', at: 1 });
  const data = fakeDashboard({ hosts: 1 });
  const s = createDashboardServer(data, { listen: { host: '127.0.0.1', port: 0 }, requireToken: true, verifyToken: (x) => verifyToken(store, x), heartbeatMs: 50 });
  t.after(() => s.close());
  const url = new URL('api/events', await s.listen());
  const req = httpRequest(url, { headers: { authorization: `Bearer ${token}` } });
  const response = await new Promise<import('node:http').IncomingMessage>((resolve) => req.on('response', resolve).end());
  assert.equal(response.statusCode, 200);
  response.resume();
  const ended = new Promise<void>((resolve) => response.on('end', () => resolve()));
  assert.equal(data.subscribers(), 1);
  revokeToken(store, 'ci', { actor: 'ops', at: 2 });
  await ended;
  assert.equal(data.subscribers(), 0);
});
