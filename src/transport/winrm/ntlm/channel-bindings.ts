// Channel bindings for NTLM over HTTPS (RFC 5929 tls-server-end-point, as requests-ntlm computes them): the
// application data is `tls-server-end-point:` + a hash of the server certificate (DER), the hash being the
// certificate's signature hash, except that MD5 and SHA-1 become SHA-256. A host with CbtHardeningLevel=Strict
// refuses NTLM over HTTPS without them; NtlmClient.authenticate({ channelBindings }) takes this value.
import { createHash } from 'node:crypto';
import { children, readTlv } from './der.ts';

/** Signature algorithm OIDs (DER contents) whose hash is stronger than SHA-256. */
const HASH_OF_SIGNATURE: Record<string, 'sha384' | 'sha512'> = {
  '2a864886f70d01010c': 'sha384', // sha384WithRSAEncryption 1.2.840.113549.1.1.12
  '2a864886f70d01010d': 'sha512', // sha512WithRSAEncryption 1.2.840.113549.1.1.13
  '2a8648ce3d040303': 'sha384', // ecdsa-with-SHA384 1.2.840.10045.4.3.3
  '2a8648ce3d040304': 'sha512', // ecdsa-with-SHA512 1.2.840.10045.4.3.4
};

/** The hash RFC 5929 picks for a certificate: its signature's hash, SHA-256 for MD5, SHA-1, SHA-256 and the rest. */
export function endPointHash(certDer: Buffer): 'sha256' | 'sha384' | 'sha512' {
  const cert = readTlv(certDer, 0);
  const algorithm = children(cert.value)[1];
  if (cert.tag !== 0x30 || algorithm?.tag !== 0x30) throw new Error('not an X.509 certificate (DER)');
  const oid = readTlv(algorithm.value, 0);
  return HASH_OF_SIGNATURE[oid.value.toString('hex')] ?? 'sha256';
}

/** The channel bindings application data for a server certificate (`socket.getPeerCertificate().raw`). */
export function tlsServerEndPoint(certDer: Buffer): Buffer {
  return Buffer.concat([Buffer.from('tls-server-end-point:'), createHash(endPointHash(certDer)).update(certDer).digest()]);
}
