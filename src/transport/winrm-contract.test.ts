// The shared transport contract (contract.ts) against the WinRM transport: the loopback fake WinRM host
// (test/harness/fake-winrm-server.ts, the same Windows process core as the fake OpenSSH host) behind the real
// auth layer (fake-winrm-auth.ts): NTLMv2 with message encryption over http, as a stock Windows host speaks.
// The transport is handed the Windows adapter (windows/remote-shell.ts, cmd.exe: WinRS runs lines through
// cmd /c); files go through the shell (ps-file-transfer.ts, answered by fake-windows-file-copy.ts).
// This proves the controller side and the protocol; a real Windows host proves the scripts.
import { after } from 'node:test';
import { windowsRemoteShellFor } from '../platform/windows/remote-shell.ts';
import { WINDOWS_CONTRACT } from '../../test/harness/fake-windows-contract-table.ts';
import { withFileCopy } from '../../test/harness/fake-windows-file-copy.ts';
import { windowsRespond } from '../../test/harness/fake-windows-vocabulary.ts';
import { startFakeWinrmHost, type FakeWinrmHost } from '../../test/harness/fake-winrm-server.ts';
import { createWinrmServerAuth } from '../../test/harness/fake-winrm-auth.ts';
import { runTransportContract, type ContractDialect } from './contract.ts';
import { connectWinrm } from './winrm/transport.ts';

const hosts: FakeWinrmHost[] = []; // open() is called again by the contract (close is idempotent): one fake each
after(async () => {
  for (const h of hosts) await h.stop();
});

runTransportContract('winrm (NTLM, sealed over http) to a (fake) Windows host, Windows adapter', async () => {
  const host = await startFakeWinrmHost({
    auth: createWinrmServerAuth({ users: { 'WIN-1\\deploy': 'S3cret!' } }),
    respond: withFileCopy(windowsRespond),
    operationTimeoutMs: 500,
  });
  hosts.push(host);
  const transport = await connectWinrm({
    name: 'win-1', address: '127.0.0.1', port: host.port, user: 'WIN-1\\deploy', transport: 'winrm', knownHosts: '/nonexistent',
    become: false, tags: [], groups: [], vars: {}, source: { file: 'inv.yml' },
    winrm: { scheme: 'http', auth: 'ntlm', certValidation: 'validate', messageEncryption: 'auto' },
  }, { password: 'S3cret!', retries: 0, operationTimeoutSec: 1, shell: windowsRemoteShellFor('cmd') });
  return { transport, connections: () => host.connectionCount() };
}, { dialect: { ...WINDOWS_CONTRACT, name: 'windows (winrm)', transferPath: (p: string) => p } satisfies ContractDialect });
