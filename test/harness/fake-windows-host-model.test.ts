// The fake Windows host model answers the real scripts (sent through the production bootstrap, over stdin)
// with what those scripts would put on the wire: LF-terminated facts and protocol lines (they print with
// [Console]::Out.Write(<line> + [char]10)), the bootstrap's `gofleet-pid:` line CRLF-terminated (it prints with
// [Console]::Error.WriteLine), and prune's versions in go/version order, not string order.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2, { type Client } from 'ssh2';
import { readFactLines } from '../../src/platform/protocol/fact-lines.ts';
import { parseRun } from '../../src/platform/protocol/parse-run.ts';
import { bootstrapCommandLine } from '../../src/platform/windows/bootstrap.ts';
import { windowsFactsScript } from '../../src/platform/windows/facts-script.ts';
import { pruneScript } from '../../src/platform/windows/prune-script.ts';
import { switchScript } from '../../src/platform/windows/switch-script.ts';
import { installVersion, newWindowsMachine, windowsHostModel, type WindowsMachine } from './fake-windows-host-model.ts';
import { startFakeWindowsHost, type FakeWindowsHost } from './fake-windows-sshd.ts';

const VDIR = 'C:\\ProgramData\\gofleet\\versions';
const GOROOT = 'C:\\Program Files\\Go';
const paths = { goroot: GOROOT, versionsDir: VDIR };

interface Raw { code: number | null; stdout: string; stderr: string }

function rawExec(c: Client, command: string, stdin: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    c.exec(command, (err, ch) => {
      if (err) return reject(err);
      const r: Raw = { code: null, stdout: '', stderr: '' };
      ch.on('data', (d: Buffer) => (r.stdout += d.toString()));
      ch.stderr.on('data', (d: Buffer) => (r.stderr += d.toString()));
      ch.on('exit', (code: number | null) => (r.code = code));
      ch.on('close', () => resolve(r));
      ch.end(stdin);
    });
  });
}

describe('the fake Windows host model answers the real scripts as they print', { timeout: 60_000 }, () => {
  let h: FakeWindowsHost;
  let c: Client;
  let machine: WindowsMachine;
  const run = (script: string): Promise<Raw> => rawExec(c, bootstrapCommandLine(), script);

  before(async () => {
    machine = newWindowsMachine({ active: 'go1.26.8' });
    h = await startFakeWindowsHost({ respond: (script, ctx) => windowsHostModel(machine)(script, ctx) });
    installVersion(h, VDIR, 'go1.26.8');
    installVersion(h, VDIR, 'go1.27.3');
    c = new ssh2.Client();
    await new Promise<void>((resolve, reject) => {
      c.on('ready', resolve).on('error', reject);
      c.connect({ host: h.address, port: h.port, username: h.user, privateKey: readFileSync(h.clientKey) });
    });
  });
  after(async () => {
    c?.end();
    await h?.stop();
  });

  test('facts: key=value lines end in LF alone ([Console]::Out.Write + [char]10); the pid line on stderr in CRLF', async () => {
    const r = await run(windowsFactsScript(paths));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('\r'), JSON.stringify(r.stdout.slice(0, 200)));
    assert.match(r.stdout, /^os_caption=.*\n/);
    assert.match(r.stderr, /^gofleet-pid:\d+\r\n$/);
    const f = readFactLines(r.stdout);
    assert.equal(f.get('managed_active'), 'go1.26.8');
    assert.equal(f.raw.get('lock'), undefined, 'gf_facts_managed prints no lock keys without a lock directory');
  });

  test('switch: step and outcome lines end in LF alone; unlock before the outcome, as gf_release prints it', async () => {
    const r = await run(switchScript({ paths, target: 'go1.27.3', run: 'r-lf-1', verify: { build: true, requirePath: true } }));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(!r.stdout.includes('\r'), JSON.stringify(r.stdout));
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    assert.deepEqual(lines.slice(-2).map((l) => l.split(' ').slice(0, 3).join(' ')), ['@@gofleet step unlock', '@@gofleet outcome result=switched']);
    assert.equal(parseRun(r.stdout).outcome?.result, 'switched');
  });

  test('a verification failure of a version this run did not stage: rolled back, marked failed with a warning, listed in the facts', async () => {
    await run(switchScript({ paths, target: 'go1.26.8', run: 'r-back-1', verify: { build: true, requirePath: true } }));
    machine.inject.verifyFails = 'go1.27.3';
    const r = await run(switchScript({ paths, target: 'go1.27.3', run: 'r-vf-1', verify: { build: true, requirePath: true } }));
    machine.inject.verifyFails = undefined;
    const o = parseRun(r.stdout).outcome;
    assert.deepEqual([o?.result, o?.code], ['rolled_back', 'VERIFY_FAILED'], r.stdout);
    assert.ok(o?.warnings.some((w) => /^marked .*\\go1\.27\.3 as failed/.test(w)), JSON.stringify(o?.warnings));
    assert.deepEqual(readFactLines((await run(windowsFactsScript(paths))).stdout).list('failed_versions'), ['go1.27.3']);
    // verified later: the mark goes
    const ok = await run(switchScript({ paths, target: 'go1.27.3', run: 'r-vf-2', verify: { build: true, requirePath: true } }));
    assert.equal(parseRun(ok.stdout).outcome?.result, 'switched', ok.stdout);
    assert.deepEqual(readFactLines((await run(windowsFactsScript(paths))).stdout).list('failed_versions'), []);
  });

  test('prune sorts by version, not as strings: go1.10.8 is newer than go1.9.7, go1.27.3 than go1.9.7', async () => {
    for (const x of ['go1.9.7', 'go1.10.8']) installVersion(h, VDIR, x);
    const cache = h.drives.toLocal(`${VDIR}\\.gofleet\\cache`);
    mkdirSync(cache, { recursive: true });
    for (const x of ['go1.9.7', 'go1.10.8', 'go1.26.8']) writeFileSync(join(cache, `${x}.windows-amd64.zip`), 'PK');
    machine.active = 'go1.27.3';
    machine.previous = 'go1.26.8';
    // newest first: go1.27.3 go1.26.8 | go1.10.8 go1.9.7 (a string sort: go1.9.7 go1.27.3 | go1.26.8 go1.10.8)
    const r = await run(pruneScript({ paths, keep: 2, run: 'r-prune-1' }));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(!r.stdout.includes('\r'), JSON.stringify(r.stdout));
    const o = parseRun(r.stdout).outcome;
    assert.equal(o?.result, 'pruned', r.stdout);
    assert.deepEqual(o?.removed, ['go1.10.8', 'go1.9.7']);
    assert.ok(!existsSync(h.drives.toLocal(`${VDIR}\\go1.9.7`)));
    assert.ok(existsSync(h.drives.toLocal(`${VDIR}\\go1.26.8`)));
    assert.ok(existsSync(h.drives.toLocal(`${VDIR}\\go1.27.3`)));
    // gf_prune_leftovers: the cached archives of the removed versions go with them
    assert.deepEqual(readdirSync(cache), ['go1.26.8.windows-amd64.zip']);
  });
});
