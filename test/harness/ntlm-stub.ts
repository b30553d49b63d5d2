// A toy NTLM for the HTTP session's socket and auth-flow tests: the same message types (NTLMSSP Type 1/2/3),
// a password proof over the server's nonce, and a keyed, sequence-numbered "seal", so a body sealed for one
// socket's context does not open under another. Not NTLM crypto (that is proven in ntlm/ and in the
// end-to-end tests with the real client and acceptor); it keeps these tests about sockets, statuses and counts.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { WinrmHttpDeps } from '../../src/transport/winrm/http-session.ts';
import type { NtlmSession } from '../../src/transport/winrm/ntlm/index.ts';
import type { ServerAuthDeps } from './fake-winrm-auth.ts';

const SIG = Buffer.from('NTLMSSP\0', 'latin1');

function message(type: number, payload: Buffer): Buffer {
  const t = Buffer.alloc(4);
  t.writeUInt32LE(type);
  return Buffer.concat([SIG, t, payload]);
}

function keystream(key: Buffer, seq: number, n: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; out.length * 32 < n; i++) out.push(createHash('sha256').update(key).update(`${seq}:${i}`).digest());
  return Buffer.concat(out).subarray(0, n);
}

function toySession(key: Buffer, side: 'client' | 'server'): NtlmSession {
  let out = 0;
  let inc = 0;
  const dir = (d: string): Buffer => createHash('sha256').update(key).update(d).digest();
  const [mine, theirs] = side === 'client' ? [dir('c2s'), dir('s2c')] : [dir('s2c'), dir('c2s')];
  return {
    wrap(msg) {
      const seq = out++;
      const ks = keystream(mine, seq, msg.length);
      const sealed = Buffer.from(msg.map((b, i) => b ^ (ks[i] ?? 0)));
      return { sealed, signature: createHmac('md5', mine).update(`${seq}`).update(msg).digest() };
    },
    unwrap(sealed, signature) {
      const seq = inc++;
      const ks = keystream(theirs, seq, sealed.length);
      const msg = Buffer.from(sealed.map((b, i) => b ^ (ks[i] ?? 0)));
      if (!createHmac('md5', theirs).update(`${seq}`).update(msg).digest().equals(signature)) throw new Error('toy signature mismatch');
      return msg;
    },
  };
}

/** Framing: signature (16 bytes) then the sealed bytes. */
function encrypt(session: NtlmSession, plain: Buffer): Buffer {
  const { signature, sealed } = session.wrap(plain);
  return Buffer.concat([signature, sealed]);
}
function decrypt(session: NtlmSession, body: Buffer): Buffer {
  return session.unwrap(body.subarray(16), body.subarray(0, 16));
}

export interface ToyNtlm {
  client: WinrmHttpDeps;
  server: ServerAuthDeps;
  /** channel bindings the server saw in each Type 3, in order */
  channelBindings: (Buffer | null)[];
}

export function toyNtlm(): ToyNtlm {
  const channelBindings: (Buffer | null)[] = [];
  return {
    channelBindings,
    client: {
      ntlmClient: (creds) => ({
        negotiate: () => message(1, Buffer.alloc(0)),
        authenticate(challenge, opts = {}) {
          const nonce = challenge.subarray(12);
          const proof = createHmac('sha256', creds.password).update(nonce).digest('hex');
          const body = { user: creds.username, proof, cb: opts.channelBindings?.toString('hex') ?? null };
          const key = createHash('sha256').update(proof).digest();
          return { message: message(3, Buffer.from(JSON.stringify(body))), session: toySession(key, 'client') };
        },
      }),
      unwrapSpnego: (b) => b,
      encryptMessage: encrypt,
      decryptMessage: decrypt,
    },
    server: {
      acceptor: (users) => {
        const nonce = randomBytes(8);
        return {
          challenge: () => message(2, nonce),
          accept(authenticate) {
            const m = JSON.parse(authenticate.subarray(12).toString()) as { user: string; proof: string; cb: string | null };
            channelBindings.push(m.cb === null ? null : Buffer.from(m.cb, 'hex'));
            const password = users[m.user];
            const proof = password === undefined ? '' : createHmac('sha256', password).update(nonce).digest('hex');
            if (proof !== m.proof) throw new Error(`logon failure for ${m.user}`);
            return { user: m.user, session: toySession(createHash('sha256').update(proof).digest(), 'server') };
          },
        };
      },
      encryptMessage: encrypt,
      decryptMessage: decrypt,
    },
  };
}
