// Test certificates made with the openssl CLI in a temp dir: a CA, a server cert for 127.0.0.1/localhost, an
// expired one, one for another name, a self-signed one, and a client cert (CN winrm-client) for certificate auth.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertPair { cert: string; key: string; certFile: string; keyFile: string }

export interface TestCerts {
  dir: string;
  ca: CertPair;
  server: CertPair;
  expired: CertPair;
  wrongName: CertPair;
  selfSigned: CertPair;
  client: CertPair;
  cleanup(): void;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function pair(dir: string, name: string): CertPair {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

/** A leaf signed by the CA; `days` may be negative (an expired certificate). */
function leaf(dir: string, name: string, o: { cn: string; san?: string; days: number; client?: boolean }): CertPair {
  openssl(dir, ['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${o.cn}`]);
  const ext = [
    o.san ? `subjectAltName=${o.san}` : '',
    `extendedKeyUsage=${o.client ? 'clientAuth' : 'serverAuth'}`,
  ].filter(Boolean).join('\n');
  writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', `${name}.pem`, '-days', String(o.days), '-extfile', `${name}.ext`]);
  return pair(dir, name);
}

export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-certs-'));
  openssl(dir, ['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=gofleet test CA']);
  openssl(dir, ['req', '-x509', ...EC, '-keyout', 'self.key', '-out', 'self.pem', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
  return {
    dir,
    ca: pair(dir, 'ca'),
    server: leaf(dir, 'server', { cn: 'localhost', san: 'IP:127.0.0.1,DNS:localhost', days: 2 }),
    expired: leaf(dir, 'expired', { cn: 'localhost', san: 'IP:127.0.0.1,DNS:localhost', days: -1 }),
    wrongName: leaf(dir, 'wrong', { cn: 'other.example', san: 'DNS:other.example', days: 2 }),
    selfSigned: pair(dir, 'self'),
    client: leaf(dir, 'client', { cn: 'winrm-client', days: 2, client: true }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
