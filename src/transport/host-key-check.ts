// Host key checking against a known_hosts file, for ssh2's `hostVerifier` (which gets the raw key blob).
// Policy, as OpenSSH with StrictHostKeyChecking=yes / accept-new, and stricter for a new key type:
//   known key -> accept; a host with no key at all -> HOST_KEY_UNKNOWN, or append the key when acceptNew;
//   a different key of the same type -> HOST_KEY_CHANGED always; a @revoked key -> HOST_KEY_REVOKED;
//   a known host presenting only a key type known_hosts does not list for it -> HOST_KEY_TYPE_MISMATCH
//   always (accept-new must not let an impostor in with a new key type: issue 8).
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GofleetError } from '../errors.ts';
import {
  checkHostKey, fingerprint, formatKnownHostsLine, knownHostsName, knownKeyTypes, parseKnownHosts, keyTypeOf,
  type KnownHostEntry,
} from './known-hosts.ts';
import { keyTypeMismatch } from './key-type-mismatch.ts';

export interface HostKeyCheckOptions {
  knownHostsPath: string;
  address: string;
  port: number;
  acceptNew: boolean;
  /** host name for errors (the inventory name) */
  host: string;
}

export interface HostKeyCheck {
  /** for ssh2's `hostVerifier` */
  verify: (key: Buffer) => boolean;
  /** why verification refused the key, once it has */
  failure(): GofleetError | undefined;
  /** host-key algorithms to offer first (the types known for this host), like OpenSSH does */
  preferredAlgorithms(): string[];
}

/** ssh2's default host-key algorithm order (lib/protocol/constants.js). */
const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa',
];

function readEntries(path: string): KnownHostEntry[] {
  try {
    return parseKnownHosts(readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

function appendKnownHost(path: string, line: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const created = !existsSync(path);
  let prefix = '';
  if (!created) {
    const text = readFileSync(path, 'utf8');
    if (text.length > 0 && !text.endsWith('\n')) prefix = '\n';
  }
  appendFileSync(path, `${prefix}${line}\n`, { mode: 0o600 });
  // a new file is private whatever the umask; an existing one keeps its mode (a shared 0644
  // /etc/ssh/ssh_known_hosts must stay readable to other users)
  if (created) chmodSync(path, 0o600);
}

export function createHostKeyCheck(o: HostKeyCheckOptions): HostKeyCheck {
  const name = knownHostsName(o.address, o.port);
  let failure: GofleetError | undefined;
  const verify = (key: Buffer): boolean => {
    const fp = `${keyTypeOf(key) ?? 'unknown'} key ${fingerprint(key)}`;
    let verdict;
    try {
      verdict = checkHostKey(readEntries(o.knownHostsPath), name, key);
    } catch (err) {
      failure = new GofleetError('HOST_KEY_UNKNOWN', `cannot read ${o.knownHostsPath}: ${(err as Error).message}`,
        { host: o.host, cause: err });
      return false;
    }
    const where = `${o.knownHostsPath}:${'line' in verdict ? verdict.line : ''}`;
    switch (verdict.status) {
      case 'known':
        return true;
      case 'revoked':
        failure = new GofleetError('HOST_KEY_REVOKED', `${name} presented a revoked ${fp} (${where})`, { host: o.host });
        return false;
      case 'changed':
        failure = new GofleetError('HOST_KEY_CHANGED',
          `host key for ${name} changed: it now presents ${fp}, which differs from ${where}`, { host: o.host });
        return false;
      case 'other-type':
        failure = keyTypeMismatch({ name, address: o.address, port: o.port, knownHostsPath: o.knownHostsPath,
          line: verdict.line, knownTypes: verdict.knownTypes, key, acceptNew: o.acceptNew, host: o.host });
        return false;
      case 'unknown':
        if (!o.acceptNew) {
          failure = new GofleetError('HOST_KEY_UNKNOWN',
            `${name} is not in ${o.knownHostsPath}; it presented ${fp}`, { host: o.host });
          return false;
        }
        appendKnownHost(o.knownHostsPath, formatKnownHostsLine(name, key));
        return true;
    }
  };
  const preferredAlgorithms = (): string[] => {
    const types = knownKeyTypes(readEntries(o.knownHostsPath), name);
    const algos = types.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
    const known = algos.filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a));
    return [...known, ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !known.includes(a))];
  };
  return { verify, failure: () => failure, preferredAlgorithms };
}
