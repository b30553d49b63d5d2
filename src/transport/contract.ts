// The one contract every Transport must pass (like Ansible's targets/connection/test_connection.yml).
// Run it from a transport's test file: `runTransportContract('local', async () => ({ transport }))`.
// It uses only the Transport interface (remote checks go through exec), so it runs unchanged against
// local, ssh and later winrm-with-posix-tools hosts. The remote side needs GNU-ish coreutils
// (sha256sum, stat -c) and mktemp; the test hosts have them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GofleetError } from '../errors.ts';
import type { Transport } from './types.ts';

export interface ContractSubject {
  transport: Transport;
  /** connections the far side has accepted from this transport so far, when it can tell (sshd's log) */
  connections?: () => number;
}

export interface ContractOptions {
  skip?: false | string;
}

/** POSIX single-quoting for the test commands (the platform layer has its own, tested, quote). */
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const WEIRD_DIR = 'dïr';
const WEIRD_FILE = `fïlé 'q' "x".txt`;

function assertCode(err: unknown, codes: string[]): true {
  assert.ok(err instanceof GofleetError, `expected a GofleetError, got ${String(err)}`);
  assert.ok(codes.includes(err.code), `expected ${codes.join('|')}, got ${err.code}: ${err.message}`);
  return true;
}

export function runTransportContract(name: string, open: () => Promise<ContractSubject>, o: ContractOptions = {}): void {
  describe(`transport contract: ${name}`, { skip: o.skip ?? false }, () => {
    let s: ContractSubject;
    let t: Transport;
    let remote: string; // scratch dir on the far side
    let local: string; // scratch dir here
    const run = async (cmd: string): Promise<string> => {
      const r = await t.exec(cmd);
      assert.equal(r.exitCode, 0, `${cmd} failed: ${r.stderr}`);
      return r.stdout;
    };

    before(async () => {
      s = await open();
      t = s.transport;
      remote = (await run('mktemp -d')).trim();
      local = mkdtempSync(join(tmpdir(), 'gofleet-contract-'));
    });
    after(async () => {
      if (t) {
        await t.exec(`rm -rf ${q(remote)}`).catch(() => undefined);
        await t.close();
      }
      if (local) rmSync(local, { recursive: true, force: true });
    });

    test('exec resolves success with stdout and exit code 0', async () => {
      const r = await t.exec('echo hello; printf "fïlé ✓\\n"');
      assert.deepEqual({ ...r, durationMs: 0 }, { exitCode: 0, signal: null, stdout: 'hello\nfïlé ✓\n', stderr: '',
        durationMs: 0, timedOut: false });
    });

    test('a failing command resolves with its exit code and stderr (data, not an exception)', async () => {
      const r = await t.exec('echo out; echo "err ✗" >&2; exit 3');
      assert.equal(r.exitCode, 3);
      assert.equal(r.stdout, 'out\n');
      assert.equal(r.stderr, 'err ✗\n');
      assert.equal(r.timedOut, false);
    });

    test('a command killed by a signal reports the signal', async () => {
      const r = await t.exec('kill -KILL $$');
      assert.equal(r.exitCode, null);
      assert.equal(r.signal, 'SIGKILL');
    });

    test('10 MB of stdin arrive intact; a script runs from stdin', async () => {
      const data = randomBytes(10 * 1024 * 1024);
      const count = await t.exec('wc -c', { stdin: data });
      const hash = await t.exec('sha256sum', { stdin: data });
      assert.equal(count.stdout.trim(), String(data.length));
      assert.equal(hash.stdout.split(' ')[0], sha256(data));
      const script = `x='it''s "quoted"'\necho "$x"\nexit 4\n`;
      const sr = await t.exec('sh -s', { stdin: script });
      assert.deepEqual([sr.exitCode, sr.stdout], [4, 'its "quoted"\n']);
    });

    test('large stdout is collected completely', async () => {
      const r = await t.exec('i=0; while [ $i -lt 2000 ]; do printf "%01000d\\n" $i; i=$((i+1)); done');
      assert.equal(r.exitCode, 0);
      assert.equal(r.stdout.length, 2000 * 1001);
      assert.ok(r.stdout.endsWith(`${'1999'.padStart(1000, '0')}\n`));
    });

    test('onStdout streams output while the command runs', async () => {
      const flag = `${remote}/stream-flag`;
      const chunks: string[] = [];
      let released: Promise<unknown> | undefined;
      // the command waits (up to 10 s) for a file that the callback creates on seeing "ready":
      // it can only finish in time if stdout reaches us before the command ends
      const cmd = `echo ready; i=0; while [ ! -e ${q(flag)} ]; do i=$((i+1)); [ $i -gt 200 ] && exit 9; ` +
        'sleep 0.05; done; echo done';
      const r = await t.exec(cmd, {
        onStdout: (c) => {
          chunks.push(c);
          if (!released && chunks.join('').includes('ready')) released = t.exec(`touch ${q(flag)}`);
        },
      });
      await released;
      assert.equal(r.exitCode, 0, 'the callback did not see "ready" before the command ended');
      assert.equal(r.stdout, 'ready\ndone\n');
      assert.equal(chunks.join(''), r.stdout);
    });

    test('timeout kills the command and reports timedOut', async () => {
      const pidFile = `${remote}/timeout.pid`;
      const r = await t.exec(`echo $$ > ${q(pidFile)}; exec sleep 30`, { timeoutMs: 500 });
      assert.equal(r.timedOut, true);
      assert.equal(r.exitCode, null);
      const alive = await run(`if kill -0 "$(cat ${q(pidFile)})" 2>/dev/null; then echo alive; else echo gone; fi`);
      assert.equal(alive.trim(), 'gone');
    });

    test('an abort signal rejects with INTERRUPTED and kills the command', async () => {
      const pidFile = `${remote}/abort.pid`;
      const ac = new AbortController();
      const p = t.exec(`echo $$ > ${q(pidFile)}; echo started; exec sleep 30`, {
        signal: ac.signal,
        onStdout: (c) => c.includes('started') && ac.abort(),
      });
      await assert.rejects(p, (e) => assertCode(e, ['INTERRUPTED']));
      const alive = await run(`if kill -0 "$(cat ${q(pidFile)})" 2>/dev/null; then echo alive; else echo gone; fi`);
      assert.equal(alive.trim(), 'gone');
      await assert.rejects(t.exec('true', { signal: AbortSignal.abort() }), (e) => assertCode(e, ['INTERRUPTED']));
    });

    test('interrupt sends one SIGTERM to the command and its children, no KILL; the command ends as it chooses', async () => {
      const ac = new AbortController();
      // the trap outlives the 1 s after which a kill would follow its TERM: "after" proves none came
      const r = await t.exec(`trap 'echo got-term' TERM; echo started; sleep 30 & wait $!; echo "child $?"; sleep 2; echo after; exit 7`, {
        interrupt: ac.signal,
        onStdout: (c) => c.includes('started') && ac.abort(),
      });
      assert.equal(r.exitCode, 7, r.stderr);
      assert.equal(r.timedOut, false);
      assert.match(r.stdout, /^started\ngot-term\nchild \d+\nafter\n$/);
      const quick = await t.exec('echo done', { interrupt: new AbortController().signal });
      assert.equal(quick.stdout, 'done\n', 'an interrupt that never fires changes nothing');
    });

    test('put/get round trip a file whose name has spaces, quotes and non-ASCII; mode bits; no temp files', async () => {
      const content = Buffer.concat([Buffer.from('fïlé ✓\n'), randomBytes(1024 * 1024 + 3)]);
      mkdirSync(join(local, WEIRD_DIR), { recursive: true });
      const src = join(local, WEIRD_DIR, WEIRD_FILE);
      writeFileSync(src, content);
      const dst = `${remote}/${WEIRD_DIR}/${WEIRD_FILE}`;
      await run(`mkdir ${q(`${remote}/${WEIRD_DIR}`)}`);
      const progress: Array<[number, number]> = [];
      const sentBefore = t.stats.bytesSent;
      await t.put(src, dst, { mode: 0o640, onProgress: (a, b) => progress.push([a, b]) });
      assert.deepEqual(progress.at(-1), [content.length, content.length]);
      assert.ok(t.stats.bytesSent - sentBefore >= content.length);
      assert.equal((await run(`sha256sum < ${q(dst)}`)).split(' ')[0], sha256(content));
      assert.equal((await run(`stat -c %a ${q(dst)}`)).trim(), '640');
      assert.equal(await run(`ls -A ${q(`${remote}/${WEIRD_DIR}`)}`), `${WEIRD_FILE}\n`);
      const back = join(local, 'back', WEIRD_FILE);
      mkdirSync(join(local, 'back'));
      await t.get(dst, back);
      assert.ok(readFileSync(back).equals(content));
    });

    test('put replaces an existing file and applies the mode (default 0644)', async () => {
      const src = join(local, 'v2');
      writeFileSync(src, 'second\n');
      const dst = `${remote}/replace me`;
      await run(`printf first > ${q(dst)}; chmod 0600 ${q(dst)}`);
      await t.put(src, dst);
      assert.equal(await run(`cat ${q(dst)}`), 'second\n');
      assert.equal((await run(`stat -c %a ${q(dst)}`)).trim(), '644');
      await t.put(src, dst, { mode: 0o755 });
      assert.equal((await run(`stat -c %a ${q(dst)}`)).trim(), '755');
    });

    test('transfer failures reject with TRANSFER_FAILED', async () => {
      const missing = join(local, 'no such file');
      await assert.rejects(t.put(missing, `${remote}/x`), (e) => assertCode(e, ['TRANSFER_FAILED']));
      const src = join(local, 'small');
      writeFileSync(src, 'x');
      await assert.rejects(t.put(src, `${remote}/no such dir/x`), (e) => assertCode(e, ['TRANSFER_FAILED']));
      await assert.rejects(t.get(`${remote}/no such file`, join(local, 'got')), (e) => assertCode(e, ['TRANSFER_FAILED']));
      await assert.rejects(t.put(src, `${remote}/y`, { signal: AbortSignal.abort() }), (e) => assertCode(e, ['INTERRUPTED']));
      assert.equal(await run(`ls -A ${q(remote)} | grep -c gofleet-part || true`), '0\n');
    });

    test('a put aborted mid-transfer rejects with INTERRUPTED and leaves no file under the final name', async () => {
      const src = join(local, 'big');
      writeFileSync(src, randomBytes(8 * 1024 * 1024));
      const dst = `${remote}/aborted`;
      const ac = new AbortController();
      const p = t.put(src, dst, { signal: ac.signal, onProgress: () => ac.abort() });
      await assert.rejects(p, (e) => assertCode(e, ['INTERRUPTED']));
      assert.equal(await run(`ls -A ${q(remote)} | grep -c aborted || true`), '0\n'); // nor a temp file
      assert.equal((await t.exec('echo still usable')).stdout, 'still usable\n');
    });

    test('many sequential execs and some concurrent ones share one connection', async () => {
      const before = t.stats.execCount;
      for (let i = 0; i < 40; i++) assert.equal((await t.exec(`echo ${i}`)).stdout, `${i}\n`);
      const parallel = await Promise.all(Array.from({ length: 8 }, (_, i) => t.exec(`echo p${i}`)));
      assert.deepEqual(parallel.map((r) => r.stdout), Array.from({ length: 8 }, (_, i) => `p${i}\n`));
      assert.equal(t.stats.execCount - before, 48);
      if (s.connections) assert.equal(s.connections(), 1, 'the transport opened more than one connection');
    });

    test('close is idempotent and later calls reject with a coded error', async () => {
      const other = await open();
      assert.equal((await other.transport.exec('echo x')).stdout, 'x\n');
      await other.transport.close();
      await other.transport.close();
      await assert.rejects(other.transport.exec('true'), (e) => assertCode(e, ['CONNECTION_LOST']));
    });
  });
}
