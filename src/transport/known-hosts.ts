// OpenSSH known_hosts: a pure parser and matcher (no I/O).
// Supports `[host]:port` names, hashed names (`|1|salt|hash`, HMAC-SHA1), comma-separated patterns with
// `*`/`?` wildcards and `!` negation, markers (@revoked refuses the key, @cert-authority is ignored: gofleet
// does not do host certificates), any key type. See sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT".
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface KnownHostEntry {
  /** 1-based line number in the file */
  line: number;
  marker: 'revoked' | 'cert-authority' | null;
  /** the name field as written (patterns, or a hashed name) */
  names: string;
  keyType: string;
  key: Buffer;
}

export type HostKeyVerdict =
  | { status: 'known'; line: number }
  | { status: 'revoked'; line: number }
  | { status: 'changed'; line: number }
  /** the host is known, but only with keys of other types: refused even with accept-new (issue 8) */
  | { status: 'other-type'; line: number; knownTypes: string[] }
  | { status: 'unknown' };

/** Parse a known_hosts file; malformed lines and comments are skipped (as OpenSSH does). */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0].startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [names, keyType, keyB64] = fields;
    if (!names || !keyType || !keyB64 || !/^[A-Za-z0-9+/]+=*$/.test(keyB64)) return;
    entries.push({ line: i + 1, marker, names, keyType, key: Buffer.from(keyB64, 'base64') });
  });
  return entries;
}

/** The name OpenSSH looks up: `address` on port 22, else `[address]:port`. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** The key type inside an SSH wire-format public key blob (its first string), or undefined if malformed. */
export function keyTypeOf(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len === 0 || 4 + len > blob.length) return undefined;
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** `SHA256:...` as printed by ssh-keygen -l and ssh. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A known_hosts line for a key. */
export function formatKnownHostsLine(name: string, blob: Buffer): string {
  return `${name} ${keyTypeOf(blob) ?? 'unknown'} ${blob.toString('base64')}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function matchHashed(names: string, name: string): boolean {
  const parts = names.split('|'); // ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1' || !parts[2] || !parts[3]) return false;
  const salt = Buffer.from(parts[2], 'base64');
  const want = Buffer.from(parts[3], 'base64');
  const got = createHmac('sha1', salt).update(name).digest();
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Whether an entry's name field matches `name` (as given by knownHostsName). */
export function matchesHost(names: string, name: string): boolean {
  if (names.startsWith('|')) return matchHashed(names, name);
  let matched = false;
  for (const pattern of names.split(',')) {
    if (pattern === '') continue;
    const negated = pattern.startsWith('!');
    if (globToRegExp(negated ? pattern.slice(1) : pattern).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** Key types recorded for this host name (host-key algorithms to prefer), in file order. */
export function knownKeyTypes(entries: KnownHostEntry[], name: string): string[] {
  const types = entries.filter((e) => e.marker === null && matchesHost(e.names, name)).map((e) => e.keyType);
  return [...new Set(types)];
}

/**
 * Check a presented host key against known_hosts entries. Order (as OpenSSH): a revoked key is refused,
 * then any exact match is known, then a different key of the same type for this host is a change, then a
 * host known only with keys of other types is `other-type` (never "unknown": accepting it as new would let
 * an impostor holding any other key type in); only a host with no key at all is unknown.
 */
export function checkHostKey(entries: KnownHostEntry[], name: string, blob: Buffer): HostKeyVerdict {
  const type = keyTypeOf(blob);
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && matchesHost(e.names, name));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.key.equals(blob));
  if (revoked) return { status: 'revoked', line: revoked.line };
  const plain = forHost.filter((e) => e.marker === null);
  const same = plain.find((e) => e.key.equals(blob));
  if (same) return { status: 'known', line: same.line };
  const changed = plain.find((e) => e.keyType === type);
  if (changed) return { status: 'changed', line: changed.line };
  const other = plain[0];
  if (other) return { status: 'other-type', line: other.line, knownTypes: [...new Set(plain.map((e) => e.keyType))] };
  return { status: 'unknown' };
}
