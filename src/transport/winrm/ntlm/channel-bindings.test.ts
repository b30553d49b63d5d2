import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endPointHash, tlsServerEndPoint } from './channel-bindings.ts';

const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

/** A self-signed certificate (DER) signed with `digest`, made by the openssl CLI. */
function certificate(dir: string, key: string[], digest: string): Buffer {
  const out = join(dir, `${digest}-${key[0]}.der`);
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', ...key, '-nodes', '-keyout', join(dir, 'key.pem'), `-${digest}`,
    '-days', '1', '-subj', '/CN=winhost.example', '-outform', 'DER', '-out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(out);
}

test('tls-server-end-point: the certificate signature hash, SHA-256 for SHA-1 (RFC 5929 4.1)', { skip: hasOpenssl ? false : 'needs the openssl CLI' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-cbt-'));
  try {
    const ec = ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    const cases: [string[], string, string][] = [
      [ec, 'sha1', 'sha256'], [ec, 'sha256', 'sha256'], [ec, 'sha384', 'sha384'], [ec, 'sha512', 'sha512'],
      [['rsa:2048'], 'sha384', 'sha384'], [['rsa:2048'], 'sha256', 'sha256'],
    ];
    for (const [key, digest, expected] of cases) {
      const der = certificate(dir, key, digest);
      assert.equal(endPointHash(der), expected, `${key[0]} ${digest}`);
      assert.deepEqual(tlsServerEndPoint(der), Buffer.concat([Buffer.from('tls-server-end-point:'), createHash(expected).update(der).digest()]));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => endPointHash(Buffer.from('not a certificate')));
});
