// tls-server-end-point (RFC 5929 §4.1): the certificate's own signature hash, SHA-256 for MD5 and SHA-1.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { endPointHash, tlsServerEndPoint } from './channel-bindings.ts';

function certDer(keyArgs: string[], digest: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-cb-'));
  try {
    execFileSync('openssl', ['req', '-x509', ...keyArgs, '-nodes', `-${digest}`, '-keyout', 'k.pem', '-out', 'c.pem',
      '-days', '1', '-subj', '/CN=cb'], { cwd: dir, stdio: 'ignore' });
    return new X509Certificate(readFileSync(join(dir, 'c.pem'))).raw;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const EC384 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp384r1'];
const RSA = ['-newkey', 'rsa:1024'];

describe('channel bindings', { timeout: 60_000 }, () => {
  it('hashes with the signature algorithm: ecdsa-with-SHA384 -> sha384, sha512WithRSA -> sha512', () => {
    assert.equal(endPointHash(certDer(EC384, 'sha384')), 'sha384');
    assert.equal(endPointHash(certDer(RSA, 'sha512')), 'sha512');
  });

  it('uses SHA-256 for SHA-1 and SHA-256 signatures', () => {
    assert.equal(endPointHash(certDer(RSA, 'sha1')), 'sha256');
    assert.equal(endPointHash(certDer(EC384, 'sha256')), 'sha256');
  });

  it('is the application data tls-server-end-point: + hash', () => {
    const der = certDer(EC384, 'sha384');
    assert.deepEqual(tlsServerEndPoint(der), Buffer.concat([Buffer.from('tls-server-end-point:'), createHash('sha384').update(der).digest()]));
  });
});
