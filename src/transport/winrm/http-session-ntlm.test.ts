// End to end with the real NTLMv2 client (ntlm/), the real acceptor (test/harness/ntlm-acceptor.ts) and real
// multipart/encrypted sealing (encryption.ts): what a stock Windows host on http 5985 requires.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GofleetError } from '../../errors.ts';
import { makeTestCerts, type TestCerts } from '../../../test/harness/test-certs.ts';
import { startEchoWinrm } from '../../../test/harness/winrm-echo-server.ts';
import { WinrmHttpSession, type WinrmEndpoint } from './http-session.ts';

const PASSWORD = 'Real-NTLM-pa55!';
const USERS = { 'CORP\\deploy': PASSWORD };

function endpoint(port: number, o: Partial<WinrmEndpoint> = {}): WinrmEndpoint {
  return {
    host: '127.0.0.1', port, scheme: 'http', path: '/wsman', auth: 'ntlm',
    username: 'CORP\\deploy', password: PASSWORD, messageEncryption: 'auto', ...o,
  };
}

describe('WinrmHttpSession with real NTLM', { timeout: 30_000 }, () => {
  it('http: one NTLMv2 handshake, every request and reply sealed, across a server-closed socket', async () => {
    const server = await startEchoWinrm({ auth: { users: USERS } });
    const s = new WinrmHttpSession(endpoint(server.port), 'win1');
    try {
      const big = `<env>${'x'.repeat(200_000)}</env>`;
      for (let i = 0; i < 6; i++) assert.equal(await s.post(`<env n="${i}"/>`), `echo:<env n="${i}"/>`);
      assert.equal(await s.post(big), `echo:${big}`);
      assert.equal(await s.post('CLOSE'), 'echo:CLOSE');
      for (let i = 0; i < 3; i++) assert.equal(await s.post(`<after n="${i}"/>`), `echo:<after n="${i}"/>`);
      assert.equal(s.stats.handshakes, 2);
      assert.deepEqual(server.auth.logons, [
        { method: 'ntlm', user: 'CORP\\deploy', ok: true },
        { method: 'ntlm', user: 'CORP\\deploy', ok: true },
      ]);
      const soap = server.requests.filter((r) => r.body.length > 0);
      assert.equal(soap.length, 11);
      for (const r of soap) {
        assert.match(r.contentType, /^multipart\/encrypted;protocol="application\/HTTP-SPNEGO-session-encrypted"/);
        assert.match(r.body.toString('latin1'), /^--Encrypted Boundary\r\n\tContent-Type: application\/HTTP-SPNEGO-session-encrypted\r\n\tOriginalContent: type=application\/soap\+xml;charset=UTF-8;Length=\d+\r\n/);
        assert.ok(!r.body.includes('<env') && !r.body.includes('<after'), 'plaintext on the wire');
      }
    } finally {
      await s.close();
      await server.stop();
    }
  });

  it('http: a wrong password is refused by the acceptor after exactly one logon attempt', async () => {
    const server = await startEchoWinrm({ auth: { users: USERS } });
    const s = new WinrmHttpSession(endpoint(server.port, { password: 'not-the-password' }), 'win1');
    try {
      await assert.rejects(s.post('<env/>'), (e: unknown) => e instanceof GofleetError && e.code === 'AUTH_FAILED');
      assert.deepEqual(server.auth.logons.map((l) => l.ok), [false]);
      assert.deepEqual(server.soaps, []);
    } finally {
      await s.close();
      await server.stop();
    }
  });

  describe('https', () => {
    let certs: TestCerts;
    before(() => { certs = makeTestCerts(); });
    after(() => certs.cleanup());

    it('NTLM with the channel bindings the listener requires, messages not sealed (TLS)', async () => {
      const server = await startEchoWinrm({ auth: { users: USERS }, https: { key: certs.server.key, cert: certs.server.cert } });
      const s = new WinrmHttpSession(endpoint(server.port, { scheme: 'https', tls: { validate: true, caFile: certs.ca.certFile } }), 'win1');
      try {
        assert.equal(await s.post('<tls/>'), 'echo:<tls/>');
        assert.deepEqual(server.auth.logons.map((l) => l.ok), [true]);
        assert.match(server.requests.at(-1)?.contentType ?? '', /^application\/soap\+xml/);
      } finally {
        await s.close();
        await server.stop();
      }
    });

    it("messageEncryption 'always' seals over https too", async () => {
      const server = await startEchoWinrm({ auth: { users: USERS }, https: { key: certs.server.key, cert: certs.server.cert } });
      const s = new WinrmHttpSession(endpoint(server.port, {
        scheme: 'https', messageEncryption: 'always', tls: { validate: true, caFile: certs.ca.certFile },
      }), 'win1');
      try {
        assert.equal(await s.post('<sealed/>'), 'echo:<sealed/>');
        assert.match(server.requests.at(-1)?.contentType ?? '', /^multipart\/encrypted/);
      } finally {
        await s.close();
        await server.stop();
      }
    });
  });
});
