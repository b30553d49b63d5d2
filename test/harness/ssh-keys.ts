// ed25519 key pairs for test servers built on ssh2. ssh2's generateKeyPairSync strips leading zero bytes
// from an ed25519 public key, so about one pair in 256 cannot be parsed back (mscdex/ssh2#1390, #1513):
// a test host would then fail to start with "Malformed OpenSSH private key". Only pairs that ssh2 itself
// parses back, both halves, are handed out.
import ssh2 from 'ssh2';

export interface KeyPair { private: string; public: string }

export function ed25519KeyPair(comment?: string, generate = ssh2.utils.generateKeyPairSync): KeyPair {
  for (let attempt = 0; attempt < 64; attempt++) {
    const pair = generate('ed25519', comment === undefined ? undefined : { comment });
    if (parses(pair.private) && parses(pair.public)) return pair;
  }
  throw new Error('ssh2 generated 64 ed25519 key pairs in a row that it cannot parse back');
}

function parses(key: string): boolean {
  const parsed = ssh2.utils.parseKey(key);
  return !(parsed instanceof Error) && !(Array.isArray(parsed) && parsed.length === 0);
}
