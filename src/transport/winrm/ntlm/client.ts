// The client side of NTLMv2 (MS-NLMP 3.1.5): NEGOTIATE, then AUTHENTICATE for the server's CHALLENGE, with
// MsvAvFlags/MIC when the challenge carries a timestamp, optional channel bindings and target name, and key
// exchange (a random exported session key sent RC4-encrypted under the key exchange key).
import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto';
import { GofleetError } from '../../../errors.ts';
import { AV_FLAG_MIC_PRESENT, AvId, CLIENT_FLAGS, NegotiateFlag, has } from './flags.ts';
import { type AvPair, type Challenge, MIC_OFFSET, encodeAuthenticate, encodeAvPairs, encodeNegotiate, parseChallenge } from './messages.ts';
import { Rc4 } from './rc4.ts';
import { clientBlob, computeV2, fileTime, hmacMd5, ntowfv2 } from './responses.ts';
import { type NtlmSession, createSession } from './session.ts';
import { unwrapSpnego } from './spnego.ts';

export interface NtlmCredentials { username: string; password: string; domain?: string; workstation?: string }

export interface NtlmClientDeps { randomBytes?: (n: number) => Buffer; now?: () => Date }

export interface AuthenticateOptions {
  /** Application data of the channel bindings, e.g. `tls-server-end-point:` + the certificate hash (RFC 5929). */
  channelBindings?: Buffer;
  /** Sent as MsvAvTargetName, e.g. `HTTP/host.example.com`. */
  targetName?: string;
}

/**
 * User and domain as pywinrm (requests-ntlm) split them: `DOMAIN\user` gives the domain; `user@realm` stays the
 * user name with an empty domain (a UPN, which NTLM accepts as is). An explicit `domain` wins.
 */
export function splitUser(creds: NtlmCredentials): { user: string; domain: string } {
  const slash = creds.username.indexOf('\\');
  const [domain, user] = slash >= 0 ? [creds.username.slice(0, slash), creds.username.slice(slash + 1)] : ['', creds.username];
  return { user, domain: creds.domain ?? domain };
}

/** MD5 of a gss_channel_bindings_struct with no addresses and `appData` (what MsvAvChannelBindings holds). */
export function channelBindingsHash(appData: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(appData.length);
  return createHash('md5').update(Buffer.alloc(16)).update(len).update(appData).digest();
}

/** The client's AV pairs: the server's, plus MsvAvFlags (MIC) when timestamped, channel bindings and target name. */
function clientTargetInfo(serverPairs: AvPair[], opts: AuthenticateOptions): { pairs: AvPair[]; timestamp: Buffer | null } {
  const timestamp = serverPairs.find((p) => p.id === AvId.TIMESTAMP)?.value ?? null;
  const pairs = serverPairs.filter((p) => p.id !== AvId.FLAGS && p.id !== AvId.CHANNEL_BINDINGS && p.id !== AvId.TARGET_NAME);
  const serverFlags = serverPairs.find((p) => p.id === AvId.FLAGS)?.value;
  const flags = (serverFlags && serverFlags.length === 4 ? serverFlags.readUInt32LE(0) : 0) | (timestamp ? AV_FLAG_MIC_PRESENT : 0);
  if (flags) {
    const v = Buffer.alloc(4);
    v.writeUInt32LE(flags >>> 0);
    pairs.push({ id: AvId.FLAGS, value: v });
  }
  if (opts.channelBindings) pairs.push({ id: AvId.CHANNEL_BINDINGS, value: channelBindingsHash(opts.channelBindings) });
  if (opts.targetName) pairs.push({ id: AvId.TARGET_NAME, value: Buffer.from(opts.targetName, 'utf16le') });
  return { pairs, timestamp };
}

/** The CHALLENGE, unwrapped and parsed; a host that sends something else is a protocol error, not bad credentials. */
function readChallenge(challenge: Buffer): { challengeBytes: Buffer; c: Challenge } {
  let challengeBytes: Buffer;
  let c: Challenge;
  try {
    challengeBytes = unwrapSpnego(challenge);
    c = parseChallenge(challengeBytes);
  } catch (e) {
    throw new GofleetError('WINRM_PROTOCOL', `the host's NTLM challenge could not be read: ${(e as Error).message}`, { cause: e });
  }
  if (!has(c.flags, NegotiateFlag.EXTENDED_SESSIONSECURITY)) {
    throw new GofleetError('WINRM_PROTOCOL', 'the host did not offer NTLM extended session security (NTLMv2 sealing): it allows only NTLMv1, which gofleet does not speak');
  }
  return { challengeBytes, c };
}

export class NtlmClient {
  private negotiateMessage: Buffer | null = null;
  private readonly random: (n: number) => Buffer;
  private readonly now: () => Date;

  constructor(private readonly creds: NtlmCredentials, deps: NtlmClientDeps = {}) {
    this.random = deps.randomBytes ?? nodeRandomBytes;
    this.now = deps.now ?? (() => new Date());
  }

  /** The NEGOTIATE message (Type 1), raw NTLMSSP bytes: send it base64 after `Negotiate `. */
  negotiate(): Buffer {
    this.negotiateMessage = encodeNegotiate(CLIENT_FLAGS);
    return this.negotiateMessage;
  }

  /** The AUTHENTICATE message (Type 3) for `challenge` (raw or SPNEGO-wrapped), and the session it opens. */
  authenticate(challenge: Buffer, opts: AuthenticateOptions = {}): { message: Buffer; session: NtlmSession } {
    const negotiate = this.negotiateMessage ?? this.negotiate();
    const { challengeBytes, c } = readChallenge(challenge);
    // What both sides support, as MS-NLMP 4.2.4.3 shows (challenge 0xe28a8233 -> authenticate 0xe2888235).
    const common = (c.flags & CLIENT_FLAGS) | NegotiateFlag.REQUEST_TARGET;
    const flags = (has(common, NegotiateFlag.UNICODE) ? common : common | NegotiateFlag.OEM) >>> 0;
    const { user, domain } = splitUser(this.creds);
    const { pairs, timestamp } = clientTargetInfo(c.targetInfo, opts);
    const clientChallenge = this.random(8);
    const responseKey = ntowfv2(this.creds.password, user, domain);
    const blob = clientBlob(timestamp ?? fileTime(this.now()), clientChallenge, encodeAvPairs(pairs));
    const r = computeV2({ responseKey, serverChallenge: c.serverChallenge, clientChallenge, blob });
    // KeyExchangeKey = SessionBaseKey for NTLMv2; with KEY_EXCH the exported key is random and sent encrypted.
    const keyExch = has(flags, NegotiateFlag.KEY_EXCH);
    const exportedSessionKey = keyExch ? this.random(16) : r.sessionBaseKey;
    const fields = {
      flags, domain, user, workstation: this.creds.workstation ?? '',
      // With a server timestamp the LM response is Z(24) (MS-NLMP 3.1.5.1.2).
      lmResponse: timestamp ? Buffer.alloc(24) : r.lmResponse,
      ntResponse: r.ntResponse,
      encryptedRandomSessionKey: keyExch ? new Rc4(r.sessionBaseKey).update(exportedSessionKey) : Buffer.alloc(0),
      mic: Buffer.alloc(16),
    };
    const message = encodeAuthenticate(fields);
    if (timestamp) hmacMd5(exportedSessionKey, negotiate, challengeBytes, message).copy(message, MIC_OFFSET);
    return { message, session: createSession(exportedSessionKey, flags, 'client') };
  }
}
