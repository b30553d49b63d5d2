// Windows hosts over WinRM (issue 11): whichever way the inventory says "WinRM" (gofleet `transport: winrm`,
// Ansible ansible_connection=winrm|psrp: psrp is served by the winrm transport), the host is connected to over
// WinRM (nothing listens on port 1, so it is unreachable, not refused). An auth method gofleet does not speak
// (kerberos, credssp) is refused on that host alone, without connecting. Windows hosts over OpenSSH (`os: windows`,
// ansible_shell_type=powershell|cmd with the ssh connection) are connected to like any other.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../cli/program.ts';
import { EXIT } from '../cli/exit-code.ts';

const dir = mkdtempSync(join(tmpdir(), 'gofleet-win-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface FactsHost { name: string; reachable: boolean; error: { code: string; message: string } | null }

async function facts(file: string, text: string): Promise<{ code: number; hosts: FactsHost[] }> {
  const path = join(dir, file);
  writeFileSync(path, text);
  let out = '';
  const io = { out: (t: string) => void (out += t), err: () => {}, stdoutTty: false, stderrTty: false };
  // port 1 on loopback: nothing listens, so a host that were contacted would fail with HOST_UNREACHABLE instead
  const code = await runCli(['facts', '--json', '-i', path, '--ssh-config', join(dir, 'none'), '--connect-timeout', '2'], io);
  return { code, hosts: (JSON.parse(out) as { hosts: FactsHost[] }).hosts };
}

const FORMS: { what: string; file: string; text: string }[] = [
  { what: 'gofleet transport: winrm', file: 'fleet.yml', text: 'hosts:\n  win-1:\n    address: 127.0.0.1\n    port: 1\n    transport: winrm\n    user: u\n    password: ${env:GOFLEET_TEST_WINRM_PASS}\n' },
  { what: 'ansible_connection=winrm', file: 'conn.ini', text: '[win]\nwin-1 ansible_host=127.0.0.1 ansible_port=1 ansible_connection=winrm ansible_user=u ansible_password=p\n' },
  { what: 'ansible_connection=psrp', file: 'psrp.yml', text: 'all:\n  vars:\n    ansible_connection: psrp\n  hosts:\n    win-1: { ansible_host: 127.0.0.1, ansible_port: 1, ansible_user: u, ansible_password: p }\n' },
];
process.env.GOFLEET_TEST_WINRM_PASS = 'p';

const SSH_FORMS: { what: string; file: string; text: string }[] = [
  { what: 'gofleet os: windows', file: 'os.yml', text: 'hosts:\n  win-1:\n    address: 127.0.0.1\n    port: 1\n    os: windows\n' },
  { what: 'ansible_shell_type=powershell', file: 'shell.ini', text: '[win]\nwin-1 ansible_host=127.0.0.1 ansible_port=1\n[win:vars]\nansible_shell_type=powershell\n' },
  { what: 'ansible_shell_type=cmd', file: 'cmd.ini', text: 'win-1 ansible_host=127.0.0.1 ansible_port=1 ansible_shell_type=cmd ansible_connection=ssh\n' },
];

describe('Windows hosts over OpenSSH are connected to (the shell probe picks the dialect)', () => {
  for (const form of SSH_FORMS) {
    it(`${form.what}: not refused; the connection is tried (nothing listens on port 1)`, async () => {
      const { hosts } = await facts(form.file, form.text);
      assert.deepEqual(hosts.map((h) => [h.name, h.error?.code]), [['win-1', 'HOST_UNREACHABLE']], hosts[0]?.error?.message);
    });
  }
});

describe('WinRM hosts are reached over WinRM; an auth method not spoken yet is refused per host', () => {
  for (const form of FORMS) {
    it(`${form.what}: connected to over WinRM (nothing listens: HOST_UNREACHABLE)`, async () => {
      const { code, hosts } = await facts(form.file, form.text);
      assert.deepEqual(hosts.map((h) => [h.name, h.error?.code]), [['win-1', 'HOST_UNREACHABLE']], hosts[0]?.error?.message);
      assert.equal(code, EXIT.unreachable);
    });
  }

  it('kerberos on one host: WINRM_AUTH_UNSUPPORTED naming the setting, and the host beside it is still worked on', async () => {
    const { hosts } = await facts('kerb.ini', '[win]\nwin-1 ansible_host=127.0.0.1 ansible_port=2 ansible_connection=winrm ansible_winrm_transport=kerberos ansible_user=u ansible_password=p\n[linux]\nlin-1 ansible_host=127.0.0.1 ansible_port=1\n');
    assert.deepEqual(hosts.map((h) => [h.name, h.error?.code]), [['win-1', 'WINRM_AUTH_UNSUPPORTED'], ['lin-1', 'HOST_UNREACHABLE']]);
    assert.match(hosts[0]!.error!.message, /ansible_winrm_transport=kerberos \(.*kerb\.ini:2\) is not supported yet; use ntlm or https\+basic\/certificate/);
  });
});
