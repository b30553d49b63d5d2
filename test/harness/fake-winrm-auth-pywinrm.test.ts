// The test server's auth layer against an independent client: Debian's python3-winrm (pywinrm + requests-ntlm)
// sends SOAP through it with NTLM and message encryption over http, and NTLM with channel bindings over https.
// So the server side of NTLM, the sealing and the channel-binding hash are not only our own reading of the specs.
// Requires /usr/bin/python3 with python3-winrm (apt-get install python3-winrm): missing, the test fails. Debian's
// requests-ntlm hashes with hashlib's md4, which OpenSSL 3 keeps in its legacy provider: the Python child (only
// it) gets an OPENSSL_CONF that loads that provider.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { makeTestCerts, type TestCerts } from './test-certs.ts';
import { startEchoWinrm } from './winrm-echo-server.ts';

const PASSWORD = 'Py-winrm-pa55!';
const USERS = { 'CORP\\deploy': PASSWORD };

// The password comes on stdin (never argv); replies come back as JSON.
const CLIENT = `
import json, sys
from winrm.transport import Transport
from winrm.exceptions import InvalidCredentialsError, WinRMTransportError
c = json.loads(sys.stdin.read())
t = Transport(endpoint=c['endpoint'], username=c['username'], password=c['password'], auth_method='ntlm',
              message_encryption=c['encryption'], ca_trust_path=c.get('ca'), server_cert_validation='validate')
out = []
for m in c['messages']:
    try:
        r = t.send_message(m)
        out.append(r.decode('utf-8') if isinstance(r, bytes) else r)
    except InvalidCredentialsError:
        out.append('401')
    except WinRMTransportError as e:
        out.append('%s %s' % (e.code, e.response_text.decode('utf-8') if isinstance(e.response_text, bytes) else e.response_text))
print(json.dumps(out))
`;

const LEGACY_OPENSSL = `openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
[provider_sect]
default = default_sect
legacy = legacy_sect
[default_sect]
activate = 1
[legacy_sect]
activate = 1
`;

/** Run the client (asynchronously: the server answers from this process's event loop). */
function pywinrm(dir: string, config: Record<string, unknown>): Promise<string[]> {
  const conf = join(dir, 'openssl-legacy.cnf');
  writeFileSync(conf, LEGACY_OPENSSL);
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', ['-c', CLIENT], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, OPENSSL_CONF: conf } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`pywinrm exited ${code} (is python3-winrm installed?): ${stderr}`));
      else resolve(JSON.parse(stdout) as string[]);
    });
    child.stdin.end(JSON.stringify(config));
  });
}

describe('fake WinRM auth layer vs pywinrm', { timeout: 60_000 }, () => {
  let certs: TestCerts;
  before(() => { certs = makeTestCerts(); });
  after(() => certs.cleanup());

  it('http: pywinrm authenticates with NTLM and seals requests; the layer opens them and seals the replies', async () => {
    const server = await startEchoWinrm({ auth: { users: USERS } });
    try {
      const out = await pywinrm(certs.dir, {
        endpoint: `http://127.0.0.1:${server.port}/wsman`, username: 'CORP\\deploy', password: PASSWORD,
        encryption: 'auto', messages: ['<s:Envelope>é</s:Envelope>', 'FAULT', `<big>${'y'.repeat(50_000)}</big>`],
      });
      assert.deepEqual(out, ['echo:<s:Envelope>é</s:Envelope>', '500 <s:Fault>quota</s:Fault>', `echo:<big>${'y'.repeat(50_000)}</big>`]);
      assert.deepEqual(server.soaps.slice(0, 2), ['<s:Envelope>é</s:Envelope>', 'FAULT']);
      assert.deepEqual(server.auth.logons.map((l) => [l.user, l.ok]), [['CORP\\deploy', true]]);
      for (const r of server.requests.filter((q) => q.body.length > 0)) assert.match(r.contentType, /^multipart\/encrypted/);
    } finally {
      await server.stop();
    }
  });

  it('http: a wrong password is one refused logon for pywinrm too', async () => {
    const server = await startEchoWinrm({ auth: { users: USERS } });
    try {
      const out = await pywinrm(certs.dir, {
        endpoint: `http://127.0.0.1:${server.port}/wsman`, username: 'CORP\\deploy', password: 'wrong-password',
        encryption: 'auto', messages: ['<never/>'],
      });
      assert.deepEqual(out, ['401']);
      assert.deepEqual(server.soaps, []);
      assert.deepEqual(server.auth.logons.map((l) => l.ok), [false]);
    } finally {
      await server.stop();
    }
  });

  it('https: pywinrm sends the channel bindings the layer requires (tls-server-end-point)', async () => {
    const server = await startEchoWinrm({ auth: { users: USERS }, https: { key: certs.server.key, cert: certs.server.cert } });
    try {
      const out = await pywinrm(certs.dir, {
        endpoint: `https://127.0.0.1:${server.port}/wsman`, username: 'CORP\\deploy', password: PASSWORD,
        encryption: 'never', ca: certs.ca.certFile, messages: ['<tls/>'],
      });
      assert.deepEqual(out, ['echo:<tls/>']);
      assert.deepEqual(server.auth.logons.map((l) => l.ok), [true]);
    } finally {
      await server.stop();
    }
  });
});
