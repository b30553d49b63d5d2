// The auth layer plugged into the fake WinRM host (fake-winrm-server.ts): real WS-Man envelopes over NTLM with
// message encryption, driven by gofleet's WinrmHttpSession and by Debian's pywinrm (transport ntlm,
// message_encryption always), the way a stock Windows host on http 5985 is reached.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
const dir = mkdtempSync(join(tmpdir(), 'gofleet-winrm-auth-'));
after(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  rmSync(dir, { recursive: true, force: true });
});

let ids = 0;
const mid = (): string => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;

// pywinrm's requests-ntlm hashes with hashlib md4, in OpenSSL 3's legacy provider: loaded for the child only.
const LEGACY_OPENSSL = 'openssl_conf = openssl_init\n[openssl_init]\nproviders = provider_sect\n[provider_sect]\n'
  + 'default = default_sect\nlegacy = legacy_sect\n[default_sect]\nactivate = 1\n[legacy_sect]\nactivate = 1\n';
const PY = `
import json, sys
from winrm.protocol import Protocol
c = json.loads(sys.stdin.read())
p = Protocol(endpoint=c['endpoint'], transport='ntlm', username=c['username'], password=c['password'],
             message_encryption='always', operation_timeout_sec=1, read_timeout_sec=5)
shell = p.open_shell(codepage=65001)
cmd = p.run_command(shell, c['command'])
out, err, code = p.get_command_output(shell, cmd)
p.cleanup_command(shell, cmd)
p.close_shell(shell)
print(json.dumps({'stdout': out.decode('utf-8'), 'stderr': err.decode('utf-8'), 'code': code}))
`;

function pywinrm(config: Record<string, unknown>): Promise<{ stdout: string; stderr: string; code: number }> {
  const conf = join(dir, 'openssl-legacy.cnf');
  writeFileSync(conf, LEGACY_OPENSSL);
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', ['-c', PY], { env: { ...process.env, OPENSSL_CONF: conf, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0
      ? resolve(JSON.parse(stdout) as { stdout: string; stderr: string; code: number })
      : reject(new Error(`pywinrm exited ${code} (is python3-winrm installed?): ${stderr}`))));
    child.stdin.end(JSON.stringify(config));
  });
}

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

  it('pywinrm (transport ntlm, message_encryption always) runs a command through the auth layer and the host', async () => {
    const auth = createWinrmServerAuth({ users: USERS });
    const h = await startFakeWinrmHost({ auth });
    hosts.push(h);
    const r = await pywinrm({ endpoint: h.url, username: 'CORP\\deploy', password: PASSWORD, command: 'echo %OS% on %COMPUTERNAME%' });
    assert.deepEqual(r, { stdout: 'Windows_NT on WIN-1\r\n', stderr: '', code: 0 });
    assert.deepEqual(auth.logons.map((l) => [l.user, l.ok]), [['CORP\\deploy', true]]);
    assert.equal(h.shells(), 0);
  });
});
