// The command line refuses option values that would silently widen or distort a run, with exit 5 (usage)
// and a BAD_OPTION message, before any host is contacted.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CliIo } from './io.ts';
import { runCli } from './program.ts';

const dir = mkdtempSync(join(tmpdir(), 'gofleet-opts-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// hosts on ports nothing listens on: a command that got past option checks would report them unreachable (3)
const inventory = join(dir, 'fleet.yml');
writeFileSync(inventory, 'hosts:\n  a: { address: 127.0.0.1, port: 1 }\n  b: { address: 127.0.0.1, port: 2 }\n');
const sshConfig = join(dir, 'no-ssh-config');

async function run(...args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const io: CliIo = { out: () => {}, err: (t) => void (stderr += t), stdoutTty: false, stderrTty: false };
  const code = await runCli(args, io);
  return { code, stderr };
}

describe('--limit with no pattern', () => {
  for (const limit of ['', '   ', ',', ' , ,', ':', '::']) {
    it(`--limit ${JSON.stringify(limit)} is a usage error, never every host`, async () => {
      const r = await run('facts', '-i', inventory, '--ssh-config', sshConfig, '--limit', limit);
      assert.equal(r.code, 5, r.stderr);
      assert.match(r.stderr, /BAD_OPTION: --limit .* holds no host pattern/);
    });
  }
});

describe('integer options', () => {
  const cases: [string, string[]][] = [
    ['--parallel', ['facts', '-i', inventory]],
    ['--connect-timeout', ['facts', '-i', inventory]],
    ['--step-timeout', ['upgrade', '-i', inventory, '--to', '1.27.0']],
    ['--canary', ['plan', '-i', inventory, '--to', '1.27.0']],
    ['--keep', ['prune', '-i', inventory]],
    ['--limit', ['history']],
  ];
  for (const [option, base] of cases) {
    for (const value of ['1e3', '2.5', '0x10']) {
      it(`${option} ${value} is refused with BAD_OPTION (exit 5)`, async () => {
        const r = await run(...base, option, value);
        assert.equal(r.code, 5, r.stderr);
        assert.match(r.stderr, new RegExp(`${option} must be a whole number`));
      });
    }
  }
});

describe('--sha256', () => {
  const hex = 'a'.repeat(64);
  const cases: [string, string[]][] = [
    ['plan', ['plan', '-i', inventory, '--to', '1.27.0']],
    ['upgrade', ['upgrade', '-i', inventory, '--to', '1.27.0']],
    ['script', ['script', '--os', 'linux', '--to', '1.27.0']],
    ['mirror sync', ['mirror', 'sync', '--versions', '1.27.0', '--os', 'linux', '--arch', 'amd64', '--to', join(dir, 'mirror')]],
  ];
  for (const [name, base] of cases) {
    it(`${name}: a value that is not a SHA-256 is refused with BAD_OPTION (exit 5) before anything is fetched`, async () => {
      const r = await run(...base, '--sha256', 'go1.27.0.linux-amd64.tar.gz=abc');
      assert.equal(r.code, 5, r.stderr);
      assert.match(r.stderr, /BAD_OPTION: --sha256 .*is not a SHA-256/);
    });
    it(`${name}: two different values for one file are refused`, async () => {
      const r = await run(...base, '--sha256', `go1.27.0.linux-amd64.tar.gz=${hex}`, '--sha256', `go1.27.0.linux-amd64.tar.gz=${'b'.repeat(64)}`);
      assert.equal(r.code, 5, r.stderr);
      assert.match(r.stderr, /BAD_OPTION: --sha256 gives two different values/);
    });
  }
});
