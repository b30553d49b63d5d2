// The WinRM HTTP session against a loopback listener running the fake server's auth layer. These tests use a toy
// NTLM (test/harness/ntlm-stub.ts) to be about sockets, handshakes, statuses and TLS; http-session-ntlm.test.ts
// runs the real NTLM client and acceptor with message encryption end to end.
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GofleetError } from '../../errors.ts';
import { makeTestCerts, type TestCerts } from '../../../test/harness/test-certs.ts';
import { startEchoWinrm, type EchoWinrm } from '../../../test/harness/winrm-echo-server.ts';
import { toyNtlm } from '../../../test/harness/ntlm-stub.ts';
import { WinrmHttpSession, type WinrmEndpoint } from './http-session.ts';

const PASSWORD = 'S3cret-Pa55word!';
const USERS = { 'CORP\\deploy': PASSWORD, deploy: PASSWORD };

function endpoint(port: number, o: Partial<WinrmEndpoint> = {}): WinrmEndpoint {
  return {
    host: '127.0.0.1', port, scheme: 'http', path: '/wsman', auth: 'ntlm',
    username: 'CORP\\deploy', password: PASSWORD, messageEncryption: 'auto', ...o,
  };
}

async function rejected(p: Promise<unknown>): Promise<GofleetError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof GofleetError, `not a GofleetError: ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

describe('WinrmHttpSession over http with NTLM (toy crypto)', { timeout: 20_000 }, () => {
  it('authenticates once for 20 requests on one socket, every body sealed', async () => {
    const ntlm = toyNtlm();
    const server = await startEchoWinrm({ auth: { users: USERS, deps: ntlm.server } });
    const s = new WinrmHttpSession(endpoint(server.port), 'win1', ntlm.client);
    try {
      for (let i = 0; i < 20; i++) assert.equal(await s.post(`<env n="${i}"/>`), `echo:<env n="${i}"/>`);
      assert.equal(server.auth.negotiations, 1);
      assert.equal(server.auth.logons.length, 1);
      assert.deepEqual({ ...s.stats, bytesSent: 0, bytesReceived: 0 },
        { requests: 20, authRoundTrips: 2, handshakes: 1, sockets: 1, bytesSent: 0, bytesReceived: 0 });
      const soapRequests = server.requests.filter((r) => r.body.length > 0);
      assert.equal(soapRequests.length, 20);
      for (const r of soapRequests) {
        assert.match(r.contentType, /multipart\/encrypted;protocol="application\/HTTP-SPNEGO-session-encrypted"/);
        assert.ok(!r.body.includes('<env'), 'a body went out in clear text');
      }
    } finally {
      await s.close();
      await server.stop();
    }
  });

  it('re-authenticates once on the new socket when the server closes the old one', async () => {
    const ntlm = toyNtlm();
    const server = await startEchoWinrm({ auth: { users: USERS, deps: ntlm.server } });
    const s = new WinrmHttpSession(endpoint(server.port), 'win1', ntlm.client);
    try {
      for (let i = 0; i < 20; i++) await s.post(i === 9 ? 'CLOSE' : `<n>${i}</n>`);
      assert.equal(s.stats.handshakes, 2);
      assert.equal(s.stats.authRoundTrips, 4);
      assert.equal(s.stats.sockets, 2);
      assert.equal(server.auth.logons.length, 2);
    } finally {
      await s.close();
      await server.stop();
    }
  });

  it('a wrong password is one logon attempt, AUTH_FAILED, no SOAP sent, no password anywhere', async () => {
    const ntlm = toyNtlm();
    const server = await startEchoWinrm({ auth: { users: { 'CORP\\deploy': 'another-password' }, deps: ntlm.server } });
    const s = new WinrmHttpSession(endpoint(server.port), 'win1', ntlm.client);
    try {
      const err = await rejected(s.post('<env/>'));
      assert.equal(err.code, 'AUTH_FAILED');
      assert.equal(err.host, 'win1');
      assert.match(err.hint, /quota/);
      assert.deepEqual(server.auth.logons.map((l) => l.ok), [false]);
      assert.equal(server.auth.negotiations, 1);
      assert.deepEqual(server.soaps, []);
      const seen = JSON.stringify([err.message, err.hint, err.toJSON(), s.stats, s.warnings, String(err.cause ?? '')]);
      assert.ok(!seen.includes(PASSWORD), 'the password leaked');
      const again = await rejected(s.post('<env/>'));
      assert.equal(again.code, 'AUTH_FAILED');
      assert.equal(server.auth.logons.length, 1, 'a later post must not try the password again');
      assert.equal(server.auth.negotiations, 1);
    } finally {
      await s.close();
      await server.stop();
    }
  });

  it('a 401 for an exhausted quota is AUTH_FAILED, not retried', async () => {
    const ntlm = toyNtlm();
    const server = await startEchoWinrm({ auth: { users: USERS, deps: ntlm.server } });
    const s = new WinrmHttpSession(endpoint(server.port), 'win1', ntlm.client);
    try {
      await s.post('<a/>');
      server.auth.exhaustQuota(5);
      const before = server.requests.length;
      const err = await rejected(s.post('<b/>'));
      assert.equal(err.code, 'AUTH_FAILED');
      assert.match(err.hint, /quota/i);
      assert.equal(server.auth.logons.length, 1);
      assert.equal(server.requests.length, before + 1, 'one refused request, no retry and no new handshake');
    } finally {
      await s.close();
      await server.stop();
    }
  });

  it('a reused socket reset before any answer: authenticated again on a new socket, the request sent once more', async () => {
    const ntlm = toyNtlm();
    const server = await startEchoWinrm({ auth: { users: USERS, deps: ntlm.server } });
    const s = new WinrmHttpSession(endpoint(server.port), 'win1', ntlm.client);
    try {
      await s.post('<a/>');
      server.dropNext();
      assert.equal(await s.post('<b/>'), 'echo:<b/>');
      assert.deepEqual(server.soaps, ['<a/>', '<b/>']);
      assert.equal(s.stats.handshakes, 2);
      assert.equal(s.stats.sockets, 2);
    } finally {
      await s.close();
      await server.stop();
    }
  });

  it('returns 500 bodies (WSManFault) and maps other statuses to WINRM_HTTP', async () => {
    const ntlm = toyNtlm();
    const server = await startEchoWinrm({ auth: { users: USERS, deps: ntlm.server } });
    const s = new WinrmHttpSession(endpoint(server.port), 'win1', ntlm.client);
    try {
      assert.equal(await s.post('FAULT'), '<s:Fault>quota</s:Fault>');
      const err = await rejected(s.post('STATUS503'));
      assert.equal(err.code, 'WINRM_HTTP');
      assert.match(err.message, /HTTP 503/);
      assert.equal(await s.post('<still/>'), 'echo:<still/>');
      // not WinRM's own answer: the sealing context it came on is not trusted again (a new handshake)
      assert.equal(s.stats.handshakes, 2);
    } finally {
      await s.close();
      await server.stop();
    }
  });

  it('a 413 (request over the host\'s size limit) is WINRM_REQUEST_TOO_LARGE with the size, and that socket context is dropped', async () => {
    const ntlm = toyNtlm();
    const server = await startEchoWinrm({ auth: { users: USERS, deps: ntlm.server } });
    const s = new WinrmHttpSession(endpoint(server.port), 'win1', ntlm.client);
    try {
      assert.equal(await s.post('<first/>'), 'echo:<first/>');
      const err = await rejected(s.post('STATUS413'));
      assert.equal(err.code, 'WINRM_REQUEST_TOO_LARGE');
      assert.match(err.message, /request of 9 bytes as too large \(HTTP 413\)/);
      assert.match(err.hint, /MaxEnvelopeSizekb/);
      // the host may not have unsealed it (HTTP.sys refuses first): the next request goes on a new NTLM context
      assert.equal(await s.post('<next/>'), 'echo:<next/>');
      assert.deepEqual([s.stats.handshakes, s.stats.sockets], [2, 2]);
    } finally {
      await s.close();
      await server.stop();
    }
  });

  it('a sealed reply that does not verify is WINRM_PROTOCOL, and that socket context is dropped', async () => {
    const ntlm = toyNtlm();
    let replies = 0;
    const corrupt = { ...ntlm.server, encryptMessage: (session: Parameters<typeof ntlm.server.encryptMessage>[0], plain: Buffer) => {
      const body = ntlm.server.encryptMessage(session, plain);
      if (++replies === 2) body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 0xff;
      return body;
    } };
    const server = await startEchoWinrm({ auth: { users: USERS, deps: corrupt } });
    const s = new WinrmHttpSession(endpoint(server.port), 'win1', ntlm.client);
    try {
      await s.post('<a/>');
      const err = await rejected(s.post('<b/>'));
      assert.equal(err.code, 'WINRM_PROTOCOL');
      assert.equal(err.host, 'win1');
      assert.equal(await s.post('<c/>'), 'echo:<c/>');
      assert.equal(s.stats.handshakes, 2);
    } finally {
      await s.close();
      await server.stop();
    }
  });

  it('a host that does not answer is WINRM_TIMEOUT, and the next request authenticates a new socket', async () => {
    const ntlm = toyNtlm();
    const server = await startEchoWinrm({ auth: { users: USERS, deps: ntlm.server } });
    const s = new WinrmHttpSession(endpoint(server.port), 'win1', ntlm.client);
    try {
      await s.post('<a/>');
      const err = await rejected(s.post('HANG', { timeoutMs: 300 }));
      assert.equal(err.code, 'WINRM_TIMEOUT');
      assert.equal(await s.post('<b/>'), 'echo:<b/>');
      assert.equal(s.stats.handshakes, 2);
    } finally {
      await s.close();
      await server.stop();
    }
  });

  it('a reply far larger than any WinRM envelope is not buffered: WINRM_PROTOCOL, and the next request goes on a new socket', async () => {
    const ntlm = toyNtlm();
    const server = await startEchoWinrm({ auth: { users: USERS, deps: ntlm.server } });
    const limit = 64 * 1024; // MAX_REPLY_BYTES in production
    const s = new WinrmHttpSession(endpoint(server.port), 'win1', { ...ntlm.client, maxReplyBytes: limit });
    try {
      const under = limit - 1024; // the sealing adds a little
      assert.equal((await s.post(`BIG${under}`)).length, under);
      const err = await rejected(s.post(`BIG${limit + 1}`));
      assert.equal(err.code, 'WINRM_PROTOCOL');
      assert.match(err.message, /larger than \d+ bytes/);
      assert.equal(await s.post('<after/>'), 'echo:<after/>');
      assert.equal(s.stats.sockets, 2);
    } finally {
      await s.close();
      await server.stop();
    }
  });

  it('an aborted request rejects with INTERRUPTED', async () => {
    const ntlm = toyNtlm();
    const server = await startEchoWinrm({ auth: { users: USERS, deps: ntlm.server } });
    const s = new WinrmHttpSession(endpoint(server.port), 'win1', ntlm.client);
    try {
      const ac = new AbortController();
      const p = s.post('HANG', { signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      assert.equal((await rejected(p)).code, 'INTERRUPTED');
    } finally {
      await s.close();
      await server.stop();
    }
  });

  it('a closed port is HOST_UNREACHABLE', async () => {
    const server = await startEchoWinrm({ auth: { users: USERS } });
    const port = server.port;
    await server.stop();
    const s = new WinrmHttpSession(endpoint(port), 'win1', toyNtlm().client);
    try {
      const err = await rejected(s.post('<a/>'));
      assert.equal(err.code, 'HOST_UNREACHABLE');
      assert.match(err.hint, /WinRM/);
      assert.match(err.message, new RegExp(`http://127.0.0.1:${port}/wsman`));
    } finally {
      await s.close();
    }
  });
});

describe('WinrmHttpSession options', () => {
  it('refuses Basic over http unless clear text is asked for explicitly', () => {
    assert.throws(() => new WinrmHttpSession(endpoint(1, { auth: 'basic' }), 'win1'),
      (e: unknown) => e instanceof GofleetError && e.code === 'BAD_OPTION' && /clear text/.test(e.message) && /https/.test(e.hint));
    const s = new WinrmHttpSession(endpoint(1, { auth: 'basic', messageEncryption: 'never' }), 'win1');
    assert.equal(s.warnings.length, 1);
    assert.match(s.warnings[0] ?? '', /^win1: .*unencrypted/);
    void s.close();
  });

  it('refuses certificate auth without https and a client key pair', () => {
    assert.throws(() => new WinrmHttpSession(endpoint(1, { auth: 'certificate', scheme: 'http' }), 'win1'),
      (e: unknown) => e instanceof GofleetError && e.code === 'BAD_OPTION');
  });
});

describe('WinrmHttpSession over https', { timeout: 30_000 }, () => {
  let certs: TestCerts;
  before(() => { certs = makeTestCerts(); });
  after(() => certs.cleanup());

  const tlsEndpoint = (port: number, o: Partial<WinrmEndpoint> = {}): WinrmEndpoint =>
    endpoint(port, { scheme: 'https', tls: { validate: true, caFile: certs.ca.certFile }, ...o });

  async function withServer(pair: 'server' | 'expired' | 'wrongName' | 'selfSigned', run: (server: EchoWinrm) => Promise<void>, requestCert = false): Promise<void> {
    const ntlm = toyNtlm();
    const server = await startEchoWinrm({
      auth: { users: USERS, methods: ['ntlm', 'basic', 'certificate'], certificateUsers: { 'winrm-client': 'deploy' }, deps: ntlm.server },
      https: { key: certs[pair].key, cert: certs[pair].cert, ca: certs.ca.cert, requestCert },
    });
    try {
      await run(server);
    } finally {
      await server.stop();
    }
  }

  it('NTLM over https: not sealed (TLS covers it), channel bindings = tls-server-end-point SHA-256 of the cert', async () => {
    const ntlm = toyNtlm();
    const server = await startEchoWinrm({
      auth: { users: USERS, deps: ntlm.server },
      https: { key: certs.server.key, cert: certs.server.cert },
    });
    const s = new WinrmHttpSession(tlsEndpoint(server.port), 'win1', ntlm.client);
    try {
      assert.equal(await s.post('<x/>'), 'echo:<x/>');
      const soap = server.requests.filter((r) => r.body.length > 0);
      assert.match(soap[0]?.contentType ?? '', /^application\/soap\+xml/);
      const der = new X509Certificate(certs.server.cert).raw;
      const expected = Buffer.concat([Buffer.from('tls-server-end-point:'), createHash('sha256').update(der).digest()]);
      assert.deepEqual(ntlm.channelBindings, [expected]);
      assert.deepEqual(s.warnings, []);
    } finally {
      await s.close();
      await server.stop();
    }
  });

  it('Basic over https with the CA file, one logon per request, a wrong password tried once', async () => {
    await withServer('server', async (server) => {
      const ok = new WinrmHttpSession(tlsEndpoint(server.port, { auth: 'basic', username: 'deploy' }), 'win1');
      assert.equal(await ok.post('<b/>'), 'echo:<b/>');
      await ok.close();
      const bad = new WinrmHttpSession(tlsEndpoint(server.port, { auth: 'basic', username: 'deploy', password: 'wrong-one' }), 'win1');
      assert.equal((await rejected(bad.post('<b/>'))).code, 'AUTH_FAILED');
      await bad.close();
      assert.deepEqual(server.auth.logons.map((l) => [l.method, l.ok]), [['basic', true], ['basic', false]]);
    });
  });

  it('client certificate auth: the TLS client cert and the mutual secprofile header', async () => {
    await withServer('server', async (server) => {
      const s = new WinrmHttpSession(tlsEndpoint(server.port, {
        auth: 'certificate', username: undefined, password: undefined,
        tls: { validate: true, caFile: certs.ca.certFile, clientCertFile: certs.client.certFile, clientKeyFile: certs.client.keyFile },
      }), 'win1');
      assert.equal(await s.post('<c/>'), 'echo:<c/>');
      await s.close();
      assert.deepEqual(server.auth.logons, [{ method: 'certificate', user: 'deploy', ok: true }]);
    }, true);
  });

  const cases = [
    ['selfSigned', 'TLS_CERT_SELF_SIGNED', true],
    ['expired', 'TLS_CERT_EXPIRED', true],
    ['wrongName', 'TLS_CERT_NAME_MISMATCH', true],
    ['server', 'TLS_CERT_UNKNOWN_CA', false],
  ] as const;
  for (const [pair, code, withCa] of cases) {
    it(`names the TLS error: ${pair} -> ${code}, and sends nothing`, async () => {
      await withServer(pair, async (server) => {
        const tls = withCa ? { validate: true, caFile: certs.ca.certFile } : { validate: true };
        const s = new WinrmHttpSession(tlsEndpoint(server.port, { tls }), 'win1', toyNtlm().client);
        const err = await rejected(s.post('<x/>'));
        await s.close();
        assert.equal(err.code, code);
        assert.equal(err.host, 'win1');
        assert.deepEqual(server.requests, []);
      });
    });
  }

  it('a port that accepts but never completes TLS is CONNECT_TIMEOUT (the connect timeout covers the handshake)', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((c) => { sockets.push(c); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const s = new WinrmHttpSession(tlsEndpoint(port, { connectTimeoutMs: 200 }), 'win1', toyNtlm().client);
    try {
      const err = await rejected(s.post('<x/>'));
      assert.equal(err.code, 'CONNECT_TIMEOUT');
      assert.match(err.message, /no TLS connection after 200 ms/);
    } finally {
      await s.close();
      await new Promise<void>((resolve) => {
        silent.close(() => resolve());
        for (const c of sockets) c.destroy();
      });
    }
  });

  it('validate: false connects to a self-signed host, with a loud per-host warning', async () => {
    await withServer('selfSigned', async (server) => {
      const warned: string[] = [];
      const ntlm = toyNtlm();
      const s = new WinrmHttpSession(tlsEndpoint(server.port, { tls: { validate: false } }), 'win7', { ...ntlm.client, onWarning: (w) => warned.push(w) });
      await rejected(s.post('<x/>')).catch(() => undefined);
      await s.close();
      assert.deepEqual(warned, s.warnings);
      assert.equal(warned.length, 1);
      assert.match(warned[0] ?? '', /^win7: TLS certificate validation is OFF/);
    });
  });
});
