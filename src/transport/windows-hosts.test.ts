// Windows hosts over WinRM, until the WinRM transport lands (issue 11): whichever way the inventory says
// "WinRM" (gofleet `transport: winrm`, Ansible ansible_connection=winrm|psrp), `facts` reports the host itself
// as UNSUPPORTED_PLATFORM, naming the setting in the user's words with its file:line, never connects to it, and
// ends with the same exit code. Other hosts are unaffected (per host, not at load). Windows hosts over OpenSSH
// (`os: windows`, ansible_shell_type=powershell|cmd with the ssh connection) are connected to like any other.

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

const FORMS: { what: string; file: string; text: string; says: RegExp }[] = [
  { what: 'gofleet transport: winrm', file: 'fleet.yml', text: 'hosts:\n  win-1:\n    address: 127.0.0.1\n    port: 1\n    transport: winrm\n', says: /\(transport: winrm \(.*fleet\.yml:2\)\)/ },
  { what: 'ansible_connection=winrm', file: 'conn.ini', text: '[win]\nwin-1 ansible_host=127.0.0.1 ansible_port=1 ansible_connection=winrm\n', says: /\(ansible_connection=winrm \(.*conn\.ini:2\)\)/ },
  { what: 'ansible_connection=psrp', file: 'psrp.yml', text: 'all:\n  vars:\n    ansible_connection: psrp\n  hosts:\n    win-1: { ansible_host: 127.0.0.1, ansible_port: 1 }\n', says: /\(ansible_connection=psrp \(.*psrp\.yml:3\)\)/ },
];

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

describe('WinRM hosts are one per-host UNSUPPORTED_PLATFORM', () => {
  for (const form of FORMS) {
    it(`${form.what}: reported on the host, in the inventory's words, without connecting`, async () => {
      const { code, hosts } = await facts(form.file, form.text);
      assert.equal(hosts.length, 1);
      const host = hosts[0]!;
      assert.equal(host.error?.code, 'UNSUPPORTED_PLATFORM', host.error?.message);
      assert.match(host.error.message, /^win-1: Windows hosts are not supported by this version of gofleet yet /);
      assert.match(host.error.message, form.says);
      // facts exits 3 for any host it could not read (the same for every form; see the report's note)
      assert.equal(code, EXIT.unreachable);
    });
  }

  it('a Linux host beside a Windows one is still worked on (refused per host, not at load)', async () => {
    const { hosts } = await facts('mixed.ini', '[win]\nwin-1 ansible_connection=winrm\n[linux]\nlin-1 ansible_host=127.0.0.1 ansible_port=1\n');
    assert.deepEqual(hosts.map((h) => [h.name, h.error?.code]), [['win-1', 'UNSUPPORTED_PLATFORM'], ['lin-1', 'HOST_UNREACHABLE']]);
  });
});
