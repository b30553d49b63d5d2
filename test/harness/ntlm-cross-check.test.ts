// Cross-check against an independent implementation: Debian's python3-ntlm-auth (ntlm-auth 1.4, jborean93) and
// python3-winrm (pywinrm's encryption.py), driven through test/harness/ntlm_auth_peer.py.
//   1. pywinrm's NTLM client (NtlmContext) authenticates against our NtlmAcceptor; sealed multipart messages
//      framed by pywinrm's Encryption are read by our decryptMessage, and ours by pywinrm, both ways.
//   2. our NtlmClient authenticates against an acceptor made of ntlm-auth's primitives (its NTLMv2 computation,
//      ARC4, MIC, SessionSecurity as server); then the same message exchange.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { GofleetError } from '../../src/errors.ts';
import { decryptMessage, encryptMessage } from '../../src/transport/winrm/encryption.ts';
import { NtlmClient, type NtlmSession } from '../../src/transport/winrm/ntlm/index.ts';
import { NtlmAcceptor } from './ntlm-acceptor.ts';

const PEER = fileURLToPath(new URL('./ntlm_auth_peer.py', import.meta.url));
/** Debian's python3 (the one python3-ntlm-auth and python3-winrm are installed for), or the first python3 with them. */
const PYTHON = ['/usr/bin/python3', 'python3'].find((py) => spawnSync(py, ['-c', 'import ntlm_auth.ntlm, winrm.encryption'], { stdio: 'ignore' }).status === 0);
const skip = PYTHON ? false : 'needs python3 with ntlm-auth and pywinrm (Debian: apt-get install python3-winrm)';

type Reply = Record<string, string | undefined>;

/** The Python peer: one JSON request line, one JSON reply line. */
function startPeer(): { ask: (req: object) => Promise<Reply>; close: () => void } {
  const child = spawn(PYTHON!, [PEER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    ask: async (req) => {
      child.stdin.write(`${JSON.stringify(req)}\n`);
      const { value, done } = await lines.next();
      if (done) throw new Error('the Python NTLM peer exited');
      return JSON.parse(value as string) as Reply;
    },
    close: () => child.stdin.end(),
  };
}

const hex = (b: Buffer): string => b.toString('hex');
const buf = (h: string | undefined): Buffer => Buffer.from(h ?? '', 'hex');
const SOAP = (i: number) => Buffer.from(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>request ${i} ${'é'.repeat(i * 7)}</s:Body></s:Envelope>`);

/** Messages both ways through both framings: pywinrm encrypts, we decrypt; we encrypt, pywinrm decrypts. */
async function exchange(peer: ReturnType<typeof startPeer>, ours: NtlmSession): Promise<void> {
  for (let i = 0; i < 6; i++) {
    const fromPy = await peer.ask({ op: 'encrypt', data: hex(SOAP(i)) });
    assert.deepEqual(decryptMessage(ours, buf(fromPy.body)), SOAP(i), `python -> node message ${i}`);
    const reply = Buffer.from(`reply ${i}`);
    const back = await peer.ask({ op: 'decrypt', body: hex(encryptMessage(ours, reply)) });
    assert.equal(back.error, undefined);
    assert.deepEqual(buf(back.data), reply, `node -> python message ${i}`);
  }
  // a sealed byte flipped on the way is refused by both
  const tampered = encryptMessage(ours, Buffer.from('tampered'));
  tampered[tampered.length - 28]! ^= 1;
  assert.match((await peer.ask({ op: 'decrypt', body: hex(tampered) })).error ?? '', /signature checksum does not match/);
  const fromPy = buf((await peer.ask({ op: 'encrypt', data: hex(Buffer.from('<s:Envelope/>')) })).body);
  fromPy[fromPy.length - 27]! ^= 1;
  assert.throws(() => decryptMessage(ours, fromPy), (e: unknown) => e instanceof GofleetError && e.code === 'WINRM_PROTOCOL');
}

test('pywinrm/ntlm-auth client -> our NtlmAcceptor, then sealed messages both ways', { skip, timeout: 60_000 }, async () => {
  const peer = startPeer();
  try {
    const cbt = Buffer.from('tls-server-end-point:ab54fe1a2c3a8a21e5f0d3b8f1e1aa6d');
    const acceptor = new NtlmAcceptor({ 'CORP\\deploy': 'Pässw0rd!' }, { channelBindings: cbt });
    const negotiate = buf((await peer.ask({ op: 'client', user: 'deploy', domain: 'CORP', password: 'Pässw0rd!', cbt: hex(cbt) })).token);
    const authenticate = buf((await peer.ask({ op: 'authenticate', challenge: hex(acceptor.challenge(negotiate)) })).token);
    const { user, session } = acceptor.accept(authenticate);
    assert.equal(user, 'CORP\\deploy');
    await exchange(peer, session);

    // the same client with a wrong password is refused by our acceptor
    const again = new NtlmAcceptor({ 'CORP\\deploy': 'Pässw0rd!' });
    const n2 = buf((await peer.ask({ op: 'client', user: 'deploy', domain: 'CORP', password: 'wrong' })).token);
    const a2 = buf((await peer.ask({ op: 'authenticate', challenge: hex(again.challenge(n2)) })).token);
    assert.throws(() => again.accept(a2), /wrong password/);
  } finally {
    peer.close();
  }
});

test('our NtlmClient -> an acceptor built from ntlm-auth primitives, then sealed messages both ways', { skip, timeout: 60_000 }, async () => {
  const peer = startPeer();
  try {
    const cbt = Buffer.from('tls-server-end-point:0011223344556677');
    const users = { vagrant: 'vagrant-Pw1' };
    const client = new NtlmClient({ username: 'WINHOST\\vagrant', password: 'vagrant-Pw1' });
    const challenge = buf((await peer.ask({ op: 'challenge', negotiate: hex(client.negotiate()) })).token);
    const { message, session } = client.authenticate(challenge, { channelBindings: cbt, targetName: 'HTTP/winhost.example' });
    assert.deepEqual(await peer.ask({ op: 'accept', authenticate: hex(message), users, cbt: hex(cbt) }), { user: 'vagrant', domain: 'WINHOST' });
    await exchange(peer, session);

    const wrong = new NtlmClient({ username: 'vagrant', password: 'nope' });
    const c2 = buf((await peer.ask({ op: 'challenge', negotiate: hex(wrong.negotiate()) })).token);
    assert.deepEqual(await peer.ask({ op: 'accept', authenticate: hex(wrong.authenticate(c2).message), users }), { error: 'wrong password' });
    const badMic = new NtlmClient({ username: 'vagrant', password: 'vagrant-Pw1' });
    const c3 = buf((await peer.ask({ op: 'challenge', negotiate: hex(badMic.negotiate()) })).token);
    const t3 = badMic.authenticate(c3).message;
    t3[80]! ^= 1;
    assert.deepEqual(await peer.ask({ op: 'accept', authenticate: hex(t3), users }), { error: 'bad MIC' });
  } finally {
    peer.close();
  }
});
