// Cross-check of the fake WinRM host with an independent client: Debian's python3-winrm (pywinrm) opens a
// shell (codepage 65001), runs the production bootstrap command line, sends the script on stdin, reads the
// output through an OperationTimeout fault (which pywinrm must take as "retry"), cleans up and closes the shell.
// pywinrm must get the exit code and the bytes right. Needs /usr/bin/python3 with the winrm module
// (apt-get install python3-winrm); without it the test fails, unless GOFLEET_SKIP_PYWINRM=1 says to skip it.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { bootstrapCommandLine } from '../../src/platform/windows/bootstrap.ts';
import { startFakeWinrmHost, type FakeWinrmHost } from './fake-winrm-server.ts';

const PYTHON = '/usr/bin/python3';
const hasPywinrm = spawnSync(PYTHON, ['-c', 'import winrm, xmltodict'], { stdio: 'ignore' }).status === 0;
const skip = !hasPywinrm && process.env.GOFLEET_SKIP_PYWINRM === '1' ? 'GOFLEET_SKIP_PYWINRM=1 and no python3-winrm' : false;

const hosts: FakeWinrmHost[] = [];
after(() => Promise.all(hosts.map((h) => h.stop())));

function pywinrm(endpoint: string, command: string, stdin: Buffer): Promise<{ shell: string; stdout: Buffer; stderr: Buffer; code: number }> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, [join(import.meta.dirname, 'pywinrm', 'run-command.py'), endpoint, command], {
      timeout: 60_000, env: { ...process.env, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' },
    }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`pywinrm failed: ${err.message}\n${stderr}`));
      const r = JSON.parse(stdout) as { shell: string; stdout: string; stderr: string; code: number };
      resolve({ shell: r.shell, stdout: Buffer.from(r.stdout, 'base64'), stderr: Buffer.from(r.stderr, 'base64'), code: r.code });
    });
    child.stdin!.end(stdin);
  });
}

test('pywinrm runs the bootstrap against the fake WinRM host: stdout bytes and exit code through an OperationTimeout', { skip, timeout: 90_000 }, async () => {
  assert.ok(hasPywinrm, `${PYTHON} cannot import winrm: apt-get install python3-winrm (or GOFLEET_SKIP_PYWINRM=1 to skip this test)`);
  const h = await startFakeWinrmHost({
    operationTimeoutMs: 100,
    respond: async (script, ctx) => {
      // answer only after pywinrm has met (and retried past) an OperationTimeout fault
      while (!h.requests.some((r) => r.op === 'Receive' && r.status === 500)) await ctx.sleep(20);
      return { stdout: `got ${script.trim()}\nhéllo ✓\n`, stderr: 'a warning\n', exitCode: 7 };
    },
  });
  hosts.push(h);
  const line = bootstrapCommandLine();
  const r = await pywinrm(h.url, line, Buffer.from("Write-Output 'héllo'\n"));
  assert.equal(r.code, 7);
  assert.equal(r.stdout.toString('utf8'), "got Write-Output 'héllo'\r\nhéllo ✓\r\n");
  assert.match(r.stderr.toString('utf8'), /^gofleet-pid:\d+\r\na warning\r\n$/);
  assert.deepEqual(h.commands, [line]);
  assert.deepEqual(h.scripts, ["Write-Output 'héllo'\n"]);
  const ops = h.requests.map((q) => `${q.op}:${q.status}`);
  assert.deepEqual([ops[0], ops[1], ops[2]], ['Create:200', 'Command:200', 'Send:200']);
  assert.ok(ops.includes('Receive:500'), ops.join(' '));
  assert.deepEqual(ops.slice(-2), ['Signal:200', 'Delete:200']);
  assert.equal(h.shells(), 0);
  assert.ok(h.requests.every((q) => q.op === 'Create' || q.shellId === r.shell), 'one shell throughout');
});
