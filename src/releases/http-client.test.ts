import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GofleetError } from '../errors.ts';
import { displayUrl, httpGet, httpGetText } from './http-client.ts';

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
async function close(server: http.Server | https.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
const isUnavailable = (re: RegExp) => (e: unknown) => e instanceof GofleetError && e.code === 'SOURCE_UNAVAILABLE' && re.test(e.message);

/** A test origin: /text, /redirect (two hops), /status/N, /auth (echoes Authorization), /cut, /stall */
function origin(): http.Server {
  return http.createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/text') return void res.end('hello');
    if (path === '/redirect') return void res.writeHead(302, { location: '/redirect2' }).end();
    if (path === '/redirect2') return void res.writeHead(301, { location: `http://127.0.0.1:${(req.socket.address() as AddressInfo).port}/text` }).end();
    if (path === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    if (path.startsWith('/status/')) return void res.writeHead(Number(path.slice(8))).end('nope');
    if (path === '/auth') return void res.end(req.headers.authorization ?? 'none');
    if (path === '/echo-url') return void res.end(`${req.headers.host} ${req.url}`);
    if (path === '/cut') {
      res.writeHead(200, { 'content-length': 1000 });
      res.write(Buffer.alloc(400));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    if (path === '/stall') {
      res.writeHead(200, { 'content-length': 1000 });
      res.write(Buffer.alloc(10));
      return;
    }
    res.writeHead(404).end();
  });
}

describe('httpGet', () => {
  let server: http.Server;
  let base: string;
  before(async () => {
    server = origin();
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  after(() => close(server));

  it('reads text and follows redirects', async () => {
    assert.equal(await httpGetText(`${base}/text`), 'hello');
    const res = await httpGet(`${base}/redirect`);
    assert.equal(res.url, `${base}/text`);
    assert.equal(res.size, 5);
    res.body.resume();
  });

  it('gives up on redirect loops', async () => {
    await assert.rejects(httpGet(`${base}/loop`, { maxRedirects: 3 }), isUnavailable(/\/loop: too many redirects/));
  });

  it('non-2xx -> SOURCE_UNAVAILABLE with URL and status; 404 may be allowed', async () => {
    await assert.rejects(httpGetText(`${base}/status/503`), isUnavailable(new RegExp(`^GET ${base}/status/503: HTTP 503 Service Unavailable$`)));
    assert.equal(await httpGetText(`${base}/status/404`, { allowNotFound: true }), null);
    await assert.rejects(httpGetText(`${base}/status/404`), isUnavailable(/HTTP 404 Not Found/));
  });

  it('connection refused -> SOURCE_UNAVAILABLE naming the URL', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    await assert.rejects(httpGetText(`http://127.0.0.1:${port}/x`), isUnavailable(new RegExp(`^GET http://127.0.0.1:${port}/x: connect ECONNREFUSED`)));
  });

  it('a body cut before Content-Length errors instead of ending short', async () => {
    await assert.rejects(httpGetText(`${base}/cut`), isUnavailable(/\/cut: connection (closed|lost) after 400 (of 1000 )?bytes/));
  });

  it('stalls time out', async () => {
    await assert.rejects(httpGetText(`${base}/stall`, { timeoutMs: 200 }), isUnavailable(/\/stall: no data for 200 ms/));
  });

  it('$GOFLEET_HTTP_TIMEOUT_MS shortens the default idle timeout', async () => {
    process.env.GOFLEET_HTTP_TIMEOUT_MS = '150';
    try {
      await assert.rejects(httpGetText(`${base}/stall`), isUnavailable(/\/stall: no data for 150 ms/));
    } finally {
      delete process.env.GOFLEET_HTTP_TIMEOUT_MS;
    }
  });

  it('sends URL credentials as Basic auth and never shows the password', async () => {
    assert.equal(await httpGetText(`http://gofleet:s3cret-pw@127.0.0.1:${new URL(base).port}/auth`), `Basic ${Buffer.from('gofleet:s3cret-pw').toString('base64')}`);
    await assert.rejects(httpGetText(`http://gofleet:s3cret-pw@127.0.0.1:${new URL(base).port}/status/500`), (e: unknown) => e instanceof GofleetError && !e.message.includes('s3cret') && e.message.includes('/status/500'));
    assert.equal(displayUrl('https://u:p@mirror.corp/golang/'), 'https://mirror.corp/golang/');
  });
});

describe('httpGet through a proxy', () => {
  let origin1: http.Server;
  let proxy: http.Server;
  let tlsServer: https.Server | undefined;
  let tlsPort = 0;
  let originPort = 0;
  let proxyUrl = '';
  let ca: string | undefined;
  const seen: string[] = [];
  const tunnels: net.Socket[] = [];
  let work: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-proxy-'));
    origin1 = origin();
    originPort = await listen(origin1);
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=go.test', '-addext', 'subjectAltName=DNS:go.test',
        '-keyout', join(work, 'key.pem'), '-out', join(work, 'cert.pem')], { stdio: 'ignore' });
      ca = readFileSync(join(work, 'cert.pem'), 'utf8');
      tlsServer = https.createServer({ key: readFileSync(join(work, 'key.pem')), cert: ca }, (req, res) => res.end(`tls ${req.headers.host} ${req.url}`));
      tlsPort = await listen(tlsServer);
    } catch {
      ca = undefined;
    }
    // A forward proxy that sends every host to loopback: absolute-form GETs to the origin, CONNECT to the TLS server.
    proxy = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} auth=${req.headers['proxy-authorization'] ?? '-'}`);
      const target = new URL(req.url ?? '/');
      const up = http.request({ host: '127.0.0.1', port: originPort, path: target.pathname, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.end();
    });
    proxy.on('connect', (req, socket) => {
      seen.push(`CONNECT ${req.url} auth=${req.headers['proxy-authorization'] ?? '-'}`);
      if (req.url?.startsWith('denied')) return void socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      tunnels.push(socket as net.Socket);
      const up = net.connect(tlsPort, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.pipe(socket);
        socket.pipe(up);
      });
      tunnels.push(up);
      up.on('error', () => socket.destroy());
      socket.on('error', () => up.destroy());
    });
    proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
  });
  after(async () => {
    for (const s of tunnels) s.destroy();
    await close(proxy);
    await close(origin1);
    if (tlsServer) await close(tlsServer);
    rmSync(work, { recursive: true, force: true });
  });

  it('http URLs go to HTTP_PROXY in absolute form, with proxy credentials', async () => {
    const env = { HTTP_PROXY: proxyUrl.replace('http://', 'http://ops:pw@') };
    assert.equal(await httpGetText('http://go.test/echo-url', { env }), `go.test /echo-url`);
    assert.equal(seen.at(-1), `GET http://go.test/echo-url auth=Basic ${Buffer.from('ops:pw').toString('base64')}`);
  });

  it('NO_PROXY and loopback go direct', async () => {
    const before = seen.length;
    assert.equal(await httpGetText(`http://127.0.0.1:${originPort}/text`, { env: { HTTP_PROXY: proxyUrl } }), 'hello');
    await assert.rejects(httpGetText('http://go.test/text', { env: { HTTP_PROXY: proxyUrl, NO_PROXY: 'go.test' }, timeoutMs: 2000 }), isUnavailable(/go\.test/));
    assert.equal(seen.length, before, 'the proxy saw nothing');
  });

  it('https URLs tunnel through CONNECT and verify the server certificate', async (t) => {
    if (!ca) return t.skip('openssl could not make a test certificate');
    const env = { HTTPS_PROXY: proxyUrl };
    assert.equal(await httpGetText('https://go.test/dl/?mode=json', { env, ca }), 'tls go.test /dl/?mode=json');
    assert.equal(seen.at(-1), 'CONNECT go.test:443 auth=-');
    await assert.rejects(httpGetText('https://go.test/dl/', { env }), isUnavailable(/^GET https:\/\/go\.test\/dl\/: .*(self-signed|self signed)/i));
  });

  it('a proxy refusing CONNECT -> SOURCE_UNAVAILABLE with its status', async () => {
    await assert.rejects(httpGetText('https://denied.test/x', { env: { HTTPS_PROXY: proxyUrl } }), isUnavailable(/refused CONNECT denied\.test:443: HTTP 407/));
  });

  it('unsupported proxy schemes are reported', async () => {
    await assert.rejects(httpGetText('https://go.test/', { env: { HTTPS_PROXY: 'socks5://127.0.0.1:1080' } }), isUnavailable(/unsupported proxy scheme socks5:/));
  });
});
