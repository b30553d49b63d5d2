// TLS channel bindings for NTLM over HTTPS (RFC 5929 tls-server-end-point, MS-NLMP MsvAvChannelBindings):
// the hash of the server certificate's DER, with the hash of its signature algorithm, SHA-256 when that is
// MD5 or SHA-1 (as requests-ntlm / pyspnego do). The NTLM client puts MD5(gss_channel_bindings_struct) of it in
// the Type 3 AV pairs (MsvAvChannelBindings), which a host with CbtHardeningLevel Strict requires.
import { createHash } from 'node:crypto';

/** Signature algorithm OIDs (DER content bytes, hex) whose hash is stronger than SHA-256. */
const HASH_BY_OID: Record<string, string> = {
  '2a864886f70d01010c': 'sha384', // sha384WithRSAEncryption
  '2a864886f70d01010d': 'sha512', // sha512WithRSAEncryption
  '2a8648ce3d040303': 'sha384', // ecdsa-with-SHA384
  '2a8648ce3d040304': 'sha512', // ecdsa-with-SHA512
};

/** Read one DER header at `at`: the content's start and end offsets. */
function derItem(der: Buffer, at: number): { start: number; end: number } {
  const first = der[at + 1] ?? 0;
  if (first < 0x80) return { start: at + 2, end: at + 2 + first };
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (der[at + 2 + i] ?? 0);
  return { start: at + 2 + n, end: at + 2 + n + len };
}

/** The hash RFC 5929 prescribes for this certificate: from Certificate.signatureAlgorithm, min SHA-256. */
export function endPointHash(certDer: Buffer): string {
  try {
    const cert = derItem(certDer, 0);
    const tbs = derItem(certDer, cert.start);
    const algId = derItem(certDer, tbs.end);
    const oid = derItem(certDer, algId.start);
    return HASH_BY_OID[certDer.subarray(oid.start, oid.end).toString('hex')] ?? 'sha256';
  } catch {
    return 'sha256';
  }
}

/** The application data: `tls-server-end-point:` followed by the certificate hash. */
export function tlsServerEndPoint(certDer: Buffer): Buffer {
  const hash = createHash(endPointHash(certDer)).update(certDer).digest();
  return Buffer.concat([Buffer.from('tls-server-end-point:', 'latin1'), hash]);
}

