// A secret in host output that straddles the host's 2000-byte cut (issue 8): the host keeps only the tail of a
// long message, so the controller sees the secret's last characters without its head. No piece of the secret
// longer than 5 characters may reach the journal, the run log or the console.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { fakeToolchainArchive, writeSourceDir } from '../harness/toolchains.ts';
import { fleetInventory, gofleet, installByHand } from './helpers.ts';

const skip = sshdSkip();
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SECRET = Array.from({ length: 42 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
const ENV = 'GOFLEET_E2E_CUT_SECRET';

/** Every file under `dir`, as latin1 text (the journal is SQLite: scan its bytes, WAL included). */
function filesUnder(dir: string): Array<[string, string]> {
  return readdirSync(dir).flatMap((name): Array<[string, string]> => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [[path, readFileSync(path).toString('latin1')]];
  });
}

/** The pieces of the secret longer than 5 characters found in `text`. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 6 <= SECRET.length; i++) if (text.includes(SECRET.slice(i, i + 6))) found.push(SECRET.slice(i, i + 6));
  return found;
}

describe('a secret cut in two by the host\'s output limit', { skip, timeout: 300_000 }, () => {
  let fleet: Fleet;
  let host: SshdHost;
  let work: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-redact-cut-'));
    const [from, to] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
    writeSourceDir(join(work, 'src'), [to]);
    fleet = await startHosts(1);
    host = fleet.hosts[0] as SshdHost;
    await installByHand(host, from);
    // the health command prints this: the message "the health command exited 1: <output>" is longer than 2000
    // bytes and the host keeps its last 2000, which begin 15 characters before the secret's end
    writeFileSync(join(host.dir, 'health-out'), `${'x'.repeat(10)}${SECRET}${'y'.repeat(1985)}`);
  });
  after(async () => {
    await fleet?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('no piece of the secret longer than 5 characters in the journal, the run log or the console', async () => {
    process.env[ENV] = SECRET;
    const inventory = fleetInventory(fleet, [{ host }], `password: \${env:${ENV}}`);
    const state = join(work, 'state', 'gofleet.db');
    let r;
    try {
      r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--source', join(work, 'src'),
        '--cache-dir', join(work, 'cache'), '--state', state, '--health-cmd', 'cat /usr/local/health-out; exit 1');
    } finally {
      delete process.env[ENV];
      rmSync(join(inventory, '..'), { recursive: true, force: true });
    }
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /VERIFY_FAILED/);
    assert.match(r.stdout + r.stderr, /yyyyyyyyyy/, 'the cut output is shown');
    const files = filesUnder(join(work, 'state'));
    assert.ok(files.some(([p]) => p.endsWith('.log')), 'a run log was written');
    const found: Record<string, string[]> = { console: leaks(r.stdout + r.stderr) };
    for (const [path, text] of files) found[path.slice(work.length)] = leaks(text);
    assert.deepEqual(Object.entries(found).filter(([, l]) => l.length > 0), [], 'pieces of the secret');
  });
});
