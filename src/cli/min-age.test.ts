// --min-age through the real CLI (in-process) against the loopback release server, whose Last-Modified is each
// file's mtime: go1.26.8 dated 30 days back, go1.27.3 one hour back (relative to the real clock, so a 3d policy
// is days away from either edge). plan (text and --json), script, the journal's policy, and a refused value.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fakeToolchainArchive, writeSourceDir } from '../../test/harness/toolchains.ts';
import { startHttpSource, type HttpSource } from '../../test/harness/http-source.ts';
import { openStore } from '../store/index.ts';
import type { CliIo } from './io.ts';
import { runCli } from './program.ts';

const DAY = 86_400_000;
let root: string;
let inventory: string;
let http: HttpSource;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gofleet-min-age-'));
  const sourceDir = join(root, 'source');
  const archives = [await fakeToolchainArchive('go1.26.8'), await fakeToolchainArchive('go1.27.3')];
  writeSourceDir(sourceDir, archives);
  // the source dir holds hard links into the fixture cache: give each its own copy before dating it
  for (const [a, daysOld] of [[archives[0], 30], [archives[1], 1 / 24]] as const) {
    const path = join(sourceDir, a!.filename);
    rmSync(path);
    copyFileSync(a!.path, path);
    const when = new Date(Date.now() - daysOld * DAY);
    utimesSync(path, when, when);
  }
  http = await startHttpSource(sourceDir);
  // a host nobody listens for: plan and upgrade resolve the target first, then find it unreachable
  inventory = join(root, 'inventory.yml');
  writeFileSync(inventory, 'hosts:\n  a: { address: 127.0.0.1, port: 1 }\n');
});
after(async () => {
  await http?.close();
  rmSync(root, { recursive: true, force: true });
});

async function gofleet(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), stdoutTty: false, stderrTty: false };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

test('plan --json: latest resolves to the release old enough, and the younger one is held back with its date and reason', { timeout: 60_000 }, async () => {
  const r = await gofleet('plan', '-i', inventory, '--to', 'latest', '--min-age', '3d', '--source', http.url, '--json', '--connect-timeout', '5');
  const doc = JSON.parse(r.stdout) as { target: string; min_age: string; held_back: { version: string; released: string | null; reason: string }[] };
  assert.equal(doc.target, 'go1.26.8', r.stderr);
  assert.equal(doc.min_age, '3d');
  assert.equal(doc.held_back.length, 1);
  assert.equal(doc.held_back[0]?.version, 'go1.27.3');
  assert.ok(doc.held_back[0]?.released && Date.now() - Date.parse(doc.held_back[0].released) < DAY, doc.held_back[0]?.released ?? 'null');
  assert.match(doc.held_back[0]?.reason ?? '', /younger than 3d/);
});

test('plan (text) names the held-back release; without --min-age latest is the newest', { timeout: 60_000 }, async () => {
  const held = await gofleet('plan', '-i', inventory, '--to', 'latest', '--min-age', '2w', '--source', http.url, '--connect-timeout', '5');
  assert.match(held.stdout, /^plan: upgrade to go1\.26\.8\nrelease age: --min-age 2w\nheld back: go1\.27\.3: released .*younger than 2w\n/, held.stderr);
  const plain = await gofleet('plan', '-i', inventory, '--to', 'latest', '--source', http.url, '--connect-timeout', '5');
  assert.match(plain.stdout, /^plan: upgrade to go1\.27\.3\n\n/, plain.stderr);
  assert.doesNotMatch(plain.stdout, /held back/);
});

test('script: 1.27 under --min-age has nothing old enough; an exact go1.27.3 is taken with a warning', { timeout: 60_000 }, async () => {
  const none = await gofleet('script', '--os', 'linux', '--to', '1.27', '--min-age', '3d', '--source', http.url, '--detect');
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /VERSION_UNKNOWN.*no go1\.27\.x release is at least 3d old: go1\.27\.3/);
  const exact = await gofleet('script', '--os', 'linux', '--to', 'go1.27.3', '--min-age', '3d', '--source', http.url, '--detect');
  assert.equal(exact.code, 0, exact.stderr);
  assert.match(exact.stderr, /warning: go1\.27\.3 is named exactly, so it is used although released .*\(--min-age 3d\)/);
  assert.match(exact.stderr, /detection script for go1\.27\.3/);
});

test('upgrade records --min-age in the run policy of the journal', { timeout: 60_000 }, async () => {
  const state = join(root, 'state.db');
  const r = await gofleet('upgrade', '-i', inventory, '--to', 'latest', '--min-age', '3d', '--source', http.url, '--yes', '--state', state, '--connect-timeout', '5', '--log-level', 'silent');
  assert.notEqual(r.code, 5, r.stderr);
  const store = openStore(state);
  try {
    const [run] = (await store.listRuns());
    assert.equal(run?.target, 'go1.26.8');
    assert.equal(run?.policy.min_age, '3d');
  } finally {
    store.close();
  }
});

for (const bad of ['3', '3x', '0d', '-2d']) {
  test(`--min-age ${bad} is refused with BAD_OPTION, exit 5`, { timeout: 60_000 }, async () => {
    for (const cmd of [['plan', '-i', inventory], ['script', '--os', 'linux']]) {
      const r = await gofleet(...cmd, '--to', 'latest', `--min-age=${bad}`, '--source', http.url);
      assert.equal(r.code, 5, `${cmd[0]}: ${r.stderr}`);
      assert.match(r.stderr, /BAD_OPTION.*--min-age/);
    }
  });
}
