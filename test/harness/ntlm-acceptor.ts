// The server side of NTLMv2 for the loopback WinRM test servers (issue 11): answers a NEGOTIATE with a
// CHALLENGE carrying AV pairs (with MsvAvTimestamp, so the client must send a MIC), then checks the
// AUTHENTICATE: the NTv2 proof for the user's password, the MIC over the three messages, channel bindings
// when asked, and decrypts the exported session key to open the server's NtlmSession.
// One acceptor holds one exchange at a time: use one per connection, as NTLM is bound to the connection.
import { randomBytes as nodeRandomBytes, timingSafeEqual } from 'node:crypto';
import { AV_FLAG_MIC_PRESENT, AvId, NegotiateFlag, has } from '../../src/transport/winrm/ntlm/flags.ts';
import { type AvPair, MIC_OFFSET, decodeAuthenticate, decodeAvPairs, decodeNegotiate, encodeChallenge } from '../../src/transport/winrm/ntlm/messages.ts';
import { channelBindingsHash } from '../../src/transport/winrm/ntlm/client.ts';
import { Rc4 } from '../../src/transport/winrm/ntlm/rc4.ts';
import { computeV2, fileTime, hmacMd5, ntowfv2 } from '../../src/transport/winrm/ntlm/responses.ts';
import { type NtlmSession, createSession } from '../../src/transport/winrm/ntlm/session.ts';
import { unwrapSpnego } from '../../src/transport/winrm/ntlm/spnego.ts';

export type NtlmRefusal = 'no-challenge' | 'unknown-user' | 'wrong-password' | 'no-mic' | 'bad-mic' | 'channel-bindings' | 'not-ntlmv2';

/** The acceptor refused an AUTHENTICATE message; a test server answers it with 401. */
export class NtlmAuthError extends Error {
  override readonly name = 'NtlmAuthError';
  constructor(readonly reason: NtlmRefusal, message: string) {
    super(message);
  }
}

export interface NtlmAcceptorDeps {
  randomBytes?: (n: number) => Buffer;
  now?: () => Date;
  /** NetBIOS domain and computer name the challenge announces (default GOFLEET / WINHOST) */
  domain?: string;
  computer?: string;
  /** when set, the client must bind this channel (application data, e.g. `tls-server-end-point:` + hash) */
  channelBindings?: Buffer;
  /** refuse an AUTHENTICATE without a MIC (default true: the challenge carries a timestamp, so the client must send one) */
  requireMic?: boolean;
}

/** What the acceptor offers: NTLMv2 with extended session security, signing, sealing, 128-bit keys and key exchange. */
const SERVER_FLAGS = NegotiateFlag.REQUEST_TARGET | NegotiateFlag.SIGN | NegotiateFlag.SEAL | NegotiateFlag.NTLM |
  NegotiateFlag.ALWAYS_SIGN | NegotiateFlag.EXTENDED_SESSIONSECURITY | NegotiateFlag.VERSION | NegotiateFlag.NEGOTIATE_128 |
  NegotiateFlag.KEY_EXCH | NegotiateFlag.NEGOTIATE_56;

const text = (s: string): Buffer => Buffer.from(s, 'utf16le');

export class NtlmAcceptor {
  private pending: { negotiate: Buffer; challenge: Buffer; serverChallenge: Buffer } | null = null;
  private readonly random: (n: number) => Buffer;
  private readonly now: () => Date;

  constructor(private readonly users: Record<string, string>, private readonly deps: NtlmAcceptorDeps = {}) {
    this.random = deps.randomBytes ?? nodeRandomBytes;
    this.now = deps.now ?? (() => new Date());
  }

  /** The CHALLENGE (Type 2, raw NTLMSSP) for a client's NEGOTIATE (raw, or in a SPNEGO NegTokenInit as Windows clients send it). */
  challenge(token: Buffer): Buffer {
    const negotiate = unwrapSpnego(token);
    const asked = decodeNegotiate(negotiate).flags;
    // Unicode when the client can; otherwise OEM (as ntlm-auth's NEGOTIATE asks).
    const charset = has(asked, NegotiateFlag.UNICODE) ? NegotiateFlag.UNICODE : NegotiateFlag.OEM;
    const flags = ((asked & SERVER_FLAGS) | charset | NegotiateFlag.TARGET_INFO | NegotiateFlag.TARGET_TYPE_SERVER) >>> 0;
    const domain = this.deps.domain ?? 'GOFLEET';
    const computer = this.deps.computer ?? 'WINHOST';
    const targetInfo: AvPair[] = [
      { id: AvId.NB_DOMAIN_NAME, value: text(domain) },
      { id: AvId.NB_COMPUTER_NAME, value: text(computer) },
      { id: AvId.DNS_DOMAIN_NAME, value: text(`${domain.toLowerCase()}.test`) },
      { id: AvId.DNS_COMPUTER_NAME, value: text(`${computer.toLowerCase()}.${domain.toLowerCase()}.test`) },
      { id: AvId.TIMESTAMP, value: fileTime(this.now()) },
    ];
    const serverChallenge = this.random(8);
    const challenge = encodeChallenge({ flags, serverChallenge, targetName: computer, targetInfo });
    this.pending = { negotiate: Buffer.from(negotiate), challenge, serverChallenge };
    return challenge;
  }

  /** Checks an AUTHENTICATE (Type 3, raw or in a SPNEGO NegTokenResp) against the last challenge; throws NtlmAuthError when refused. */
  accept(token: Buffer): { user: string; session: NtlmSession } {
    const authenticate = unwrapSpnego(token);
    const pending = this.pending;
    this.pending = null;
    if (!pending) throw new NtlmAuthError('no-challenge', 'AUTHENTICATE without a CHALLENGE on this connection');
    const a = decodeAuthenticate(authenticate);
    if (a.ntResponse.length <= 24) throw new NtlmAuthError('not-ntlmv2', 'only NTLMv2 responses are accepted');
    const password = this.passwordOf(a.user, a.domain);
    const responseKey = ntowfv2(password, a.user, a.domain);
    const blob = a.ntResponse.subarray(16);
    const r = computeV2({ responseKey, serverChallenge: pending.serverChallenge, clientChallenge: blob.subarray(16, 24), blob });
    if (!timingSafeEqual(r.ntProofStr, a.ntResponse.subarray(0, 16))) throw new NtlmAuthError('wrong-password', `wrong password for ${a.user}`);
    const pairs = decodeAvPairs(blob.subarray(28));
    this.checkChannelBindings(pairs);
    const exportedSessionKey = has(a.flags, NegotiateFlag.KEY_EXCH) ? new Rc4(r.sessionBaseKey).update(a.encryptedRandomSessionKey) : r.sessionBaseKey;
    this.checkMic(pairs, a.mic, exportedSessionKey, pending, authenticate);
    return { user: a.domain ? `${a.domain}\\${a.user}` : a.user, session: createSession(exportedSessionKey, a.flags, 'server') };
  }

  private passwordOf(user: string, domain: string): string {
    const want = [`${domain}\\${user}`.toLowerCase(), user.toLowerCase()];
    for (const key of want) {
      const hit = Object.entries(this.users).find(([k]) => k.toLowerCase() === key);
      if (hit) return hit[1];
    }
    throw new NtlmAuthError('unknown-user', `unknown user ${domain ? `${domain}\\` : ''}${user}`);
  }

  private checkChannelBindings(pairs: AvPair[]): void {
    if (!this.deps.channelBindings) return;
    const sent = pairs.find((p) => p.id === AvId.CHANNEL_BINDINGS)?.value;
    if (!sent || !sent.equals(channelBindingsHash(this.deps.channelBindings))) throw new NtlmAuthError('channel-bindings', 'channel bindings missing or for another channel');
  }

  private checkMic(pairs: AvPair[], mic: Buffer, key: Buffer, pending: { negotiate: Buffer; challenge: Buffer }, authenticate: Buffer): void {
    const avFlags = pairs.find((p) => p.id === AvId.FLAGS)?.value;
    const micPresent = avFlags !== undefined && avFlags.length === 4 && (avFlags.readUInt32LE(0) & AV_FLAG_MIC_PRESENT) !== 0;
    if (!micPresent || mic.length !== 16) {
      if (this.deps.requireMic ?? true) throw new NtlmAuthError('no-mic', 'the AUTHENTICATE message carries no MIC');
      return;
    }
    const zeroed = Buffer.from(authenticate);
    zeroed.fill(0, MIC_OFFSET, MIC_OFFSET + 16);
    const expected = hmacMd5(key, pending.negotiate, pending.challenge, zeroed);
    if (!timingSafeEqual(expected, mic)) throw new NtlmAuthError('bad-mic', 'the MIC does not match the three messages');
  }
}
