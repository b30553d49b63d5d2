// Cross-check of the fake WinRM host with an independent client: Debian's python3-winrm (pywinrm) opens a
// shell (codepage 65001), runs the production bootstrap command line, sends the script on stdin, reads the
// output through an OperationTimeout fault (which pywinrm must take as "retry"), cleans up and closes the shell.
// pywinrm must get the exit code and the bytes right: in clear (auth none, pywinrm's 'plaintext'), and with NTLM
// and message encryption over http through the auth layer of fake-winrm-auth.ts (as a stock host wants).
// Needs /usr/bin/python3 with the winrm module (apt-get install python3-winrm); without it the tests fail,
// unless GOFLEET_SKIP_PYWINRM=1 says to skip them. Debian's requests-ntlm hashes with hashlib's md4, which
// OpenSSL 3 keeps in its legacy provider: the Python child (only it) gets an OPENSSL_CONF loading that provider.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { bootstrapCommandLine } from '../../src/platform/windows/bootstrap.ts';
import { ENCRYPTED_CONTENT_TYPE } from '../../src/transport/winrm/encryption.ts';
import { createWinrmServerAuth } from './fake-winrm-auth.ts';
import { startFakeWinrmHost, type FakeWinrmHost, type FakeWinrmOptions } from './fake-winrm-server.ts';

const PYTHON = '/usr/bin/python3';
const hasPywinrm = spawnSync(PYTHON, ['-c', 'import winrm, xmltodict'], { stdio: 'ignore' }).status === 0;
const skip = !hasPywinrm && process.env.GOFLEET_SKIP_PYWINRM === '1' ? 'GOFLEET_SKIP_PYWINRM=1 and no python3-winrm' : false;

const hosts: FakeWinrmHost[] = [];
const dir = mkdtempSync(join(tmpdir(), 'gofleet-pywinrm-'));
after(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  rmSync(dir, { recursive: true, force: true });
});
const LEGACY_OPENSSL = ['openssl_conf = openssl_init', '[openssl_init]', 'providers = provider_sect', '[provider_sect]',
  'default = default_sect', 'legacy = legacy_sect', '[default_sect]', 'activate = 1', '[legacy_sect]', 'activate = 1', ''].join('\n');

interface Client { transport: 'plaintext' | 'ntlm'; username: string; password: string }

function pywinrm(endpoint: string, command: string, stdin: Buffer, client: Client): Promise<{ shell: string; stdout: Buffer; stderr: Buffer; code: number }> {
  const conf = join(dir, 'openssl-legacy.cnf');
  writeFileSync(conf, LEGACY_OPENSSL);
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, [join(import.meta.dirname, 'pywinrm', 'run-command.py')], {
      timeout: 60_000, env: { ...process.env, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1', OPENSSL_CONF: conf },
    }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`pywinrm failed: ${err.message}\n${stderr}`));
      const r = JSON.parse(stdout) as { shell: string; stdout: string; stderr: string; code: number };
      resolve({ shell: r.shell, stdout: Buffer.from(r.stdout, 'base64'), stderr: Buffer.from(r.stderr, 'base64'), code: r.code });
    });
    child.stdin!.end(JSON.stringify({ endpoint, command, stdin: stdin.toString('base64'), ...client }));
  });
}

async function crossCheck(o: FakeWinrmOptions, client: Client): Promise<FakeWinrmHost> {
  assert.ok(hasPywinrm, `${PYTHON} cannot import winrm: apt-get install python3-winrm (or GOFLEET_SKIP_PYWINRM=1 to skip this test)`);
  const h = await startFakeWinrmHost({
    ...o,
    operationTimeoutMs: 100,
    respond: async (script, ctx) => {
      // answer only after pywinrm has met (and retried past) an OperationTimeout fault
      while (!h.requests.some((r) => r.action === 'Receive' && r.status === 500)) await ctx.sleep(20);
      return { stdout: `got ${script.trim()}\nhéllo ✓\n`, stderr: 'a warning\n', exitCode: 7 };
    },
  });
  hosts.push(h);
  const line = bootstrapCommandLine();
  const r = await pywinrm(h.url, line, Buffer.from("Write-Output 'héllo'\n"), client);
  assert.equal(r.code, 7);
  assert.equal(r.stdout.toString('utf8'), "got Write-Output 'héllo'\r\nhéllo ✓\r\n");
  assert.match(r.stderr.toString('utf8'), /^gofleet-pid:\d+\r\na warning\r\n$/);
  assert.deepEqual(h.commands, [line]);
  assert.deepEqual(h.scripts, ["Write-Output 'héllo'\n"]);
  const ops = h.requests.map((q) => `${q.action}:${q.status}`);
  assert.deepEqual([ops[0], ops[1], ops[2]], ['Create:200', 'Command:200', 'Send:200']);
  assert.ok(ops.includes('Receive:500'), ops.join(' '));
  assert.deepEqual(ops.slice(-2), ['Signal:200', 'Delete:200']);
  assert.equal(h.shells(), 0);
  assert.ok(h.requests.every((q) => q.action === 'Create' || q.shellId === r.shell), 'one shell throughout');
  return h;
}

test('pywinrm (plaintext, auth none) runs the bootstrap against the fake WinRM host: bytes and exit code through an OperationTimeout',
  { skip, timeout: 90_000 }, async () => {
    await crossCheck({}, { transport: 'plaintext', username: 'deploy', password: 'unchecked' });
  });

test('pywinrm with NTLM and message encryption over http: the same run, every request and reply sealed', { skip, timeout: 90_000 }, async () => {
  const auth = createWinrmServerAuth({ users: { 'CORP\\deploy': 'Py-winrm-pa55!' } });
  const h = await crossCheck({ auth }, { transport: 'ntlm', username: 'CORP\\deploy', password: 'Py-winrm-pa55!' });
  assert.deepEqual(auth.logons, [{ method: 'ntlm', user: 'CORP\\deploy', ok: true }], 'one logon for the whole run');
  // requests: the layer refuses clear SOAP after NTLM (AllowUnencrypted=false); replies: sealed too
  assert.deepEqual([...new Set(h.requests.map((q) => q.contentType))], [ENCRYPTED_CONTENT_TYPE]);
  assert.ok(h.connectionCount() >= 1);
});
