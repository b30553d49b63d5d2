// The confirmation of a command that changes hosts, answered on a real terminal: the CLI runs as a child on a
// pseudo-terminal (python3's pty module), so isInteractive() is true and the question is really asked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../io.ts';
import { runCli } from '../program.ts';

const BIN = fileURLToPath(new URL('../../../bin/gofleet.js', import.meta.url));

// Runs argv on a pty, answers `answer` at the first "[y/N]", prints {"code": N, "output": "..."}.
const PTY_DRIVER = `
import json, os, pty, sys
answer, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out, answered = b'', False
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
    if not answered and b'[y/N]' in out:
        os.write(fd, answer.encode() + b'\\r')
        answered = True
_, status = os.waitpid(pid, 0)
print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'output': out.decode('utf8', 'replace')}))
`;

function onTerminal(answer: string, args: string[], env: NodeJS.ProcessEnv): { code: number; output: string } {
  const r = spawnSync('python3', ['-c', PTY_DRIVER, answer, process.execPath, BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `pty driver: ${r.stderr}`);
  return JSON.parse(r.stdout) as { code: number; output: string };
}

test('"n" at the confirmation: exit 0, nothing done, and no run in the journal', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-decline-'));
  const inventory = join(dir, 'inventory.yml');
  // addresses nobody listens on: `use` asks before contacting any host, and a "no" must contact none
  writeFileSync(inventory, 'hosts:\n  a: { address: 127.0.0.1, port: 9 }\n  b: { address: 127.0.0.1, port: 10 }\n');
  const env = { ...process.env, GOFLEET_STATE: join(dir, 'gofleet.db'), NO_COLOR: '1' };
  const declined = onTerminal('n', ['use', '-i', inventory, 'go1.27.3'], env);
  assert.match(declined.output, /Switch 2 host\(s\) to the installed go1\.27\.3\? \[y\/N\]/);
  assert.equal(declined.code, 0, declined.output);
  assert.match(declined.output, /declined: nothing changed/);
  assert.doesNotMatch(declined.output, /interrupted/i);
  const history = spawnSync(process.execPath, [BIN, 'history', '--json'], { env, encoding: 'utf8' });
  assert.equal(history.status, 0, history.stderr);
  assert.deepEqual(JSON.parse(history.stdout).runs, [], 'a declined command journals no run');
});

test('`use 1.27` is refused with a hint that names what use takes (an exact installed version), never 1.27 itself', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-use-line-'));
  const inventory = join(dir, 'inventory.yml');
  writeFileSync(inventory, 'hosts:\n  a: { address: 127.0.0.1, port: 9 }\n');
  let stderr = '';
  const io: CliIo = { out: () => {}, err: (s) => void (stderr += s), stdoutTty: false, stderrTty: false };
  const code = await runCli(['use', '-i', inventory, '1.27', '--yes', '--state', join(dir, 'gofleet.db')], io);
  assert.equal(code, 5, stderr);
  assert.match(stderr, /error BAD_VERSION_SPEC: "1\.27": use needs an exact installed version/);
  const hint = /hint: (.*)/.exec(stderr)?.[1] ?? '';
  assert.match(hint, /exact one \(go1\.27\.3 or 1\.27\.3\)/);
  assert.match(hint, /`gofleet facts -i INV` lists the installed versions/);
  assert.match(hint, /`gofleet upgrade --to 1\.27`/, 'a version line is what upgrade takes');
  assert.doesNotMatch(hint, /^Use .*1\.27 or latest/, 'the generic spec hint recommends what use refuses');
});
