// The refusal of a known host that presents only a key type known_hosts does not list for it. Such a host
// is not "new" (it is in known_hosts) and not provably "changed" (no key of that type to compare), so the
// message says what is known, what was offered, and how to check the offered key before trusting it.
import { GofleetError } from '../errors.ts';
import { fingerprint, keyTypeOf } from './known-hosts.ts';

export interface KeyTypeMismatch {
  /** the known_hosts name (`address` or `[address]:port`) */
  name: string;
  address: string;
  port: number;
  knownHostsPath: string;
  /** first known_hosts line listing the host */
  line: number;
  knownTypes: string[];
  /** the key the host presented (wire blob) */
  key: Buffer;
  acceptNew: boolean;
  /** inventory name, for the error */
  host: string;
}

/** ssh-keyscan's -t name for a key type (ssh-keyscan(1)). */
function scanType(keyType: string): string {
  if (keyType === 'ssh-rsa') return 'rsa';
  if (keyType === 'ssh-dss') return 'dsa';
  if (keyType === 'ssh-ed25519') return 'ed25519';
  if (keyType.startsWith('ecdsa-sha2-')) return 'ecdsa';
  if (keyType.startsWith('sk-ecdsa-')) return 'ecdsa-sk';
  if (keyType.startsWith('sk-ssh-ed25519')) return 'ed25519-sk';
  return keyType;
}

/** A word shown in a suggested command (for the user to read and paste; gofleet never runs it). */
function shown(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function keyTypeMismatch(o: KeyTypeMismatch): GofleetError {
  const offered = keyTypeOf(o.key) ?? 'unknown';
  const fp = fingerprint(o.key);
  const known = o.knownTypes.join(', ');
  const message = `${o.name} is known in ${o.knownHostsPath} (line ${o.line}) with a ${known} key only, but it ` +
    `presented a ${offered} key ${fp} and no key of a known type: the host was re-keyed, or it is not the same host` +
    (o.acceptNew ? '; --accept-new-host-keys adds keys only for hosts that have no key in known_hosts' : '');
  const port = o.port === 22 ? '' : `-p ${o.port} `;
  const hint = `Verify the offered key before trusting it: \`ssh-keygen -F ${shown(o.name)} -f ${shown(o.knownHostsPath)}\` ` +
    `shows the known ${known} key; \`ssh-keyscan ${port}-t ${scanType(offered)} ${shown(o.address)} | ssh-keygen -lf -\` ` +
    `prints the offered key's fingerprint (${fp}): compare it with the one read on the host itself ` +
    `(\`ssh-keygen -lf /etc/ssh/ssh_host_${scanType(offered)}_key.pub\` from its console). Only if they match, add ` +
    'that line to known_hosts (and remove the old key if the host was re-keyed); gofleet never adds a key type to a known host.';
  return new GofleetError('HOST_KEY_TYPE_MISMATCH', message, { host: o.host, hint });
}
