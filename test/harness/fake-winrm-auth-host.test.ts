// The auth layer plugged into the fake WinRM host (fake-winrm-server.ts): real WS-Man envelopes over NTLM with
// message encryption, driven by gofleet's WinrmHttpSession, the way a stock Windows host on http 5985 is reached.
// (pywinrm through the same auth layer and host: fake-winrm-pywinrm.test.ts, branch wsman.)
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bootstrapCommandLine } from '../../src/platform/windows/bootstrap.ts';
import { WinrmHttpSession } from '../../src/transport/winrm/http-session.ts';
import {
  commandEnvelope, createShellEnvelope, deleteShellEnvelope, parseCommandResponse, parseFault, parseReceiveResponse,
  parseShellCreated, receiveEnvelope, sendEnvelope, signalEnvelope, type WsmanTarget,
} from '../../src/transport/winrm/wsman/index.ts';
import { createWinrmServerAuth } from './fake-winrm-auth.ts';
import { startFakeWinrmHost, type FakeWinrmHost } from './fake-winrm-server.ts';

const PASSWORD = 'Host-pa55word!';
const USERS = { 'CORP\\deploy': PASSWORD };
const hosts: FakeWinrmHost[] = [];
after(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
});

let ids = 0;
const mid = (): string => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;

describe('fake WinRM host behind the NTLM auth layer', { timeout: 60_000 }, () => {
  it('WinrmHttpSession runs the bootstrap through a sealed shell: one handshake, every request sealed (the layer refuses clear text over http)', async () => {
    const auth = createWinrmServerAuth({ users: USERS });
    const h = await startFakeWinrmHost({ auth, respond: (script) => ({ stdout: `ran: ${script.trim()}\n`, exitCode: 4 }) });
    hosts.push(h);
    const s = new WinrmHttpSession({
      host: '127.0.0.1', port: h.port, scheme: 'http', path: '/wsman', auth: 'ntlm',
      username: 'CORP\\deploy', password: PASSWORD, messageEncryption: 'auto',
    }, 'win1');
    try {
      const t: WsmanTarget = { url: h.url, maxEnvelopeSize: 153600, operationTimeoutSec: 20 };
      const { shellId } = parseShellCreated(await s.post(createShellEnvelope(t, { messageId: mid() })));
      const { commandId } = parseCommandResponse(await s.post(commandEnvelope(t, shellId, { messageId: mid(), command: bootstrapCommandLine() })));
      await s.post(sendEnvelope(t, shellId, commandId, Buffer.from("Write-Output 'é'\n"), true, mid()));
      let stdout = '';
      let exitCode: number | null = null;
      for (let i = 0; i < 50 && exitCode === null; i++) {
        const xml = await s.post(receiveEnvelope(t, shellId, commandId, mid()));
        if (parseFault(xml)?.kind === 'timeout') continue;
        const r = parseReceiveResponse(xml);
        for (const c of r.chunks) if (c.stream === 'stdout') stdout += c.data.toString('utf8');
        if (r.done) exitCode = r.exitCode;
      }
      await s.post(signalEnvelope(t, shellId, commandId, 'terminate', mid()));
      await s.post(deleteShellEnvelope(t, shellId, mid()));
      assert.equal(exitCode, 4);
      assert.equal(stdout, "ran: Write-Output 'é'\r\n");
      assert.equal(s.stats.handshakes, 1);
      assert.deepEqual(auth.logons, [{ method: 'ntlm', user: 'CORP\\deploy', ok: true }]);
      assert.equal(h.shells(), 0);
    } finally {
      await s.close();
    }
  });
});
