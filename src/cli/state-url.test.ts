// --state postgres://… through the real command line, without a server: a password in the URL is refused before
// anything is contacted (and never echoed), serve refuses the journal on PostgreSQL, and the help says what
// --state takes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/harness/sshd.ts';
import { runCli } from './program.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), stdoutTty: false, stderrTty: false, text: () => out.join('') + err.join('') };
}

test('a password in --state is refused with STATE_URL_PASSWORD, before any host or server, and never shown', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-state-url-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const inventory = join(dir, 'inv.yml');
  writeFileSync(inventory, `hosts:\n  web-1: { address: 127.0.0.1, port: ${port} }\n`);
  const url = `postgres://ops:hunter2@127.0.0.1:${port}/fleet`;
  for (const argv of [['history', '--state', url], ['upgrade', '-i', inventory, '--to', 'go1.27.3', '--source', dir, '--yes', '--state', url], ['resume', 'r1', '--state', url]]) {
    const io = capture();
    assert.equal(await runCli(argv, io), 5, io.text());
    assert.match(io.text(), /error STATE_URL_PASSWORD: --state ops@127\.0\.0\.1:\d+\/fleet/);
    assert.match(io.text(), /PGPASSWORD/);
    assert.doesNotMatch(io.text(), /hunter2/);
  }
});

test('serve, serve token and repos refuse a journal on PostgreSQL (their tokens and audit live in the file) and create no file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-state-url-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const inventory = join(dir, 'inv.yml');
  writeFileSync(inventory, `hosts:\n  web-1: { address: 127.0.0.1, port: 1 }\n`);
  const url = 'postgres://ops@127.0.0.1:1/fleet';
  const here = process.cwd();
  process.chdir(dir);
  try {
    // repos keeps its campaigns in the file too: a URL must not become a directory named "postgres:"
    for (const argv of [['serve', '-i', inventory, '--policy', join(dir, 'policy.yml'), '--state', url], ['serve', 'token', 'list', '--state', url], ['repos', 'status', 'gofleet/go1.27.3', '--no-refresh', '--state', url]]) {
      const io = capture();
      assert.equal(await runCli(argv, io), 5, io.text());
      assert.match(io.text(), /error BAD_OPTION: .*PostgreSQL \(ops@127\.0\.0\.1:1\/fleet\)/);
    }
    assert.deepEqual(readdirSync(dir), ['inv.yml']);
  } finally {
    process.chdir(here);
  }
});

test('--state help names both kinds of journal', async () => {
  for (const command of ['history', 'upgrade', 'resume']) {
    const io = capture();
    await runCli([command, '--help'], io);
    assert.match(io.text(), /--state <file\|url>\s+run journal: SQLite file or postgres:\/\/ URL/);
  }
});
