// The one contract every Transport must pass (like Ansible's targets/connection/test_connection.yml).
// Run it from a transport's test file: `runTransportContract('local', async () => ({ transport }))`.
// It uses only the Transport interface (remote checks go through exec), so it runs unchanged against local,
// ssh and later winrm. The commands it sends come from a per-dialect table (ContractDialect): POSIX_CONTRACT
// (sh, GNU-ish coreutils: sha256sum, stat -c, mktemp) by default; a Windows host (a real one, or the fake
// Windows OpenSSH host of test/harness/fake-windows-sshd.ts) runs it with a PowerShell table of the same shape,
// passed as `{ dialect }`. An entry a dialect cannot offer is null and its check is skipped with the reason.
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

/** A command and what it prints. */
export interface Expect {
  command: string;
  stdout: string;
}

/**
 * The commands the contract sends, in one dialect. Paths given to these functions are the far side's own
 * (exec) paths; `transferPath` turns one into what put/get take (SFTP on Windows: `/C:/...`).
 */
export interface ContractDialect {
  name: string;
  /** how the far side writes a line end in command output ('\n', or '\r\n' on Windows) */
  eol: string;
  /** quote a value for this dialect's commands (the tests' own, not the platform's quote) */
  quote(value: string): string;
  /** a fresh scratch directory: prints its path on one line */
  makeScratchDir: string;
  removeTree(path: string): string;
  /** `dir` joined with `name`, as the far side writes paths */
  join(dir: string, name: string): string;
  /** the path put/get take for a far-side path */
  transferPath(path: string): string;
  /** prints `text` and a line end */
  echo(text: string): string;
  /** does nothing, exit 0 */
  succeed: string;
  /** prints `hello` and `fïlé ✓`, one line each (non-ASCII output is UTF-8) */
  hello: Expect;
  /** prints `out` on stdout and `err ✗` on stderr, one line each, then exits 3 */
  failWith3: string;
  /** kills itself with SIGKILL; null where there are no signals */
  killSelf: string | null;
  /** prints the number of bytes read from stdin */
  countStdin: string;
  /** prints the lowercase hex SHA-256 of stdin first on its line */
  sha256Stdin: string;
  /** runs the script given on stdin; `script` prints `its "quoted"` and exits 4 */
  stdinScript: { command: string; script: string; stdout: string };
  /** prints 2000 lines: line i is i zero-padded to 1000 characters */
  largeOutput: string;
  /** prints `ready`, then waits up to 10 s for `flag` to exist (exit 9 if it never does), then prints `done` */
  readyThenWaitFor(flag: string): string;
  /** creates the file `flag` */
  touch(flag: string): string;
  /** writes its own pid (the one a terminate must stop) to `pidFile`, then sleeps 30 s; with `started`, prints `started` first */
  sleepWritingPid(pidFile: string, started: boolean): string;
  /** prints `alive` or `gone` for the process whose pid is in `pidFile` */
  aliveOrGone(pidFile: string): string;
  /**
   * waits to be interrupted: prints `started`; on the interrupt prints `got-term`, and after 2 s (longer than a
   * terminate takes to follow its first request) `after`, then exits 7. `stdout` must match the whole output.
   */
  interruptible: { command: string; stdout: RegExp };
  mkdir(path: string): string;
  /** prints the file's content */
  cat(path: string): string;
  /** replaces the file's content with `first` and makes it owner-only (POSIX 0600) */
  writeFirst(path: string): string;
  /** prints the file's permission bits in octal (640); null where files have no POSIX modes */
  mode: ((path: string) => string) | null;
  /** prints the lowercase hex SHA-256 of the file first on its line */
  sha256File(path: string): string;
  /** prints the names in `dir` (hidden ones too), one a line */
  list(dir: string): string;
  /** prints how many names in `dir` contain `part` */
  countNames(dir: string, part: string): string;
  /** a file name with spaces, quotes and non-ASCII that this far side accepts (Windows refuses `"`) */
  weirdFile: string;
}

/** POSIX single-quoting for the test commands (the platform layer has its own, tested, quote). */
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export const POSIX_CONTRACT: ContractDialect = {
  name: 'posix',
  eol: '\n',
  quote: q,
  makeScratchDir: 'mktemp -d',
  removeTree: (p) => `rm -rf ${q(p)}`,
  join: (dir, name) => `${dir}/${name}`,
  transferPath: (p) => p,
  echo: (text) => `echo ${q(text)}`,
  succeed: 'true',
  hello: { command: 'echo hello; printf "fïlé ✓\\n"', stdout: 'hello\nfïlé ✓\n' },
  failWith3: 'echo out; echo "err ✗" >&2; exit 3',
  killSelf: 'kill -KILL $$',
  countStdin: 'wc -c',
  sha256Stdin: 'sha256sum',
  stdinScript: { command: 'sh -s', script: `x='it''s "quoted"'\necho "$x"\nexit 4\n`, stdout: 'its "quoted"\n' },
  largeOutput: 'i=0; while [ $i -lt 2000 ]; do printf "%01000d\\n" $i; i=$((i+1)); done',
  readyThenWaitFor: (flag) => `echo ready; i=0; while [ ! -e ${q(flag)} ]; do i=$((i+1)); [ $i -gt 200 ] && exit 9; sleep 0.05; done; echo done`,
  touch: (flag) => `touch ${q(flag)}`,
  sleepWritingPid: (pidFile, started) => `echo $$ > ${q(pidFile)}; ${started ? 'echo started; ' : ''}exec sleep 30`,
  aliveOrGone: (pidFile) => `if kill -0 "$(cat ${q(pidFile)})" 2>/dev/null; then echo alive; else echo gone; fi`,
  // the trap outlives the 1 s after which a kill would follow its TERM: "after" proves none came
  interruptible: {
    command: `trap 'echo got-term' TERM; echo started; sleep 30 & wait $!; echo "child $?"; sleep 2; echo after; exit 7`,
    stdout: /^started\ngot-term\nchild \d+\nafter\n$/,
  },
  mkdir: (p) => `mkdir ${q(p)}`,
  cat: (p) => `cat ${q(p)}`,
  writeFirst: (p) => `printf first > ${q(p)}; chmod 0600 ${q(p)}`,
  mode: (p) => `stat -c %a ${q(p)}`,
  sha256File: (p) => `sha256sum < ${q(p)}`,
  list: (dir) => `ls -A ${q(dir)}`,
  countNames: (dir, part) => `ls -A ${q(dir)} | grep -c ${q(part)} || true`,
  weirdFile: `fïlé 'q' "x".txt`,
};

export interface ContractOptions {
  skip?: false | string;
  /** the commands' dialect (default POSIX_CONTRACT) */
  dialect?: ContractDialect;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const WEIRD_DIR = 'dïr';

function assertCode(err: unknown, codes: string[]): true {
  assert.ok(err instanceof GofleetError, `expected a GofleetError, got ${String(err)}`);
  assert.ok(codes.includes(err.code), `expected ${codes.join('|')}, got ${err.code}: ${err.message}`);
  return true;
}

export function runTransportContract(name: string, open: () => Promise<ContractSubject>, o: ContractOptions = {}): void {
  const d = o.dialect ?? POSIX_CONTRACT;
  const WEIRD_FILE = d.weirdFile;
  const nl = (...lines: string[]): string => lines.map((l) => `${l}${d.eol}`).join('');
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
    const firstWord = (text: string): string => text.trim().split(/\s+/)[0] ?? '';

    before(async () => {
      s = await open();
      t = s.transport;
      remote = (await run(d.makeScratchDir)).trim();
      local = mkdtempSync(join(tmpdir(), 'gofleet-contract-'));
    });
    after(async () => {
      if (t) {
        await t.exec(d.removeTree(remote)).catch(() => undefined);
        await t.close();
      }
      if (local) rmSync(local, { recursive: true, force: true });
    });

    test('exec resolves success with stdout and exit code 0', async () => {
      const r = await t.exec(d.hello.command);
      assert.deepEqual({ ...r, durationMs: 0 }, { exitCode: 0, signal: null, stdout: d.hello.stdout, stderr: '',
        durationMs: 0, timedOut: false });
    });

    test('a failing command resolves with its exit code and stderr (data, not an exception)', async () => {
      const r = await t.exec(d.failWith3);
      assert.equal(r.exitCode, 3);
      assert.equal(r.stdout, nl('out'));
      assert.equal(r.stderr, nl('err ✗'));
      assert.equal(r.timedOut, false);
    });

    test('a command killed by a signal reports the signal', { skip: d.killSelf === null ? `${d.name}: no signals` : false }, async () => {
      const r = await t.exec(d.killSelf ?? '');
      assert.equal(r.exitCode, null);
      assert.equal(r.signal, 'SIGKILL');
    });

    test('10 MB of stdin arrive intact; a script runs from stdin', async () => {
      const data = randomBytes(10 * 1024 * 1024);
      const count = await t.exec(d.countStdin, { stdin: data });
      const hash = await t.exec(d.sha256Stdin, { stdin: data });
      assert.equal(count.stdout.trim(), String(data.length));
      assert.equal(firstWord(hash.stdout), sha256(data));
      const sr = await t.exec(d.stdinScript.command, { stdin: d.stdinScript.script });
      assert.deepEqual([sr.exitCode, sr.stdout], [4, d.stdinScript.stdout]);
    });

    test('large stdout is collected completely', async () => {
      const r = await t.exec(d.largeOutput);
      assert.equal(r.exitCode, 0);
      assert.equal(r.stdout.length, 2000 * (1000 + d.eol.length));
      assert.ok(r.stdout.endsWith(nl('1999'.padStart(1000, '0'))));
    });

    test('onStdout streams output while the command runs', async () => {
      const flag = d.join(remote, 'stream-flag');
      const chunks: string[] = [];
      let released: Promise<unknown> | undefined;
      // the command waits (up to 10 s) for a file that the callback creates on seeing "ready":
      // it can only finish in time if stdout reaches us before the command ends
      const r = await t.exec(d.readyThenWaitFor(flag), {
        onStdout: (c) => {
          chunks.push(c);
          if (!released && chunks.join('').includes('ready')) released = t.exec(d.touch(flag));
        },
      });
      await released;
      assert.equal(r.exitCode, 0, 'the callback did not see "ready" before the command ended');
      assert.equal(r.stdout, nl('ready', 'done'));
      assert.equal(chunks.join(''), r.stdout);
    });

    test('timeout kills the command and reports timedOut', async () => {
      const pidFile = d.join(remote, 'timeout.pid');
      const r = await t.exec(d.sleepWritingPid(pidFile, false), { timeoutMs: 500 });
      assert.equal(r.timedOut, true);
      assert.equal(r.exitCode, null);
      assert.equal((await run(d.aliveOrGone(pidFile))).trim(), 'gone');
    });

    test('an abort signal rejects with INTERRUPTED and kills the command', async () => {
      const pidFile = d.join(remote, 'abort.pid');
      const ac = new AbortController();
      const p = t.exec(d.sleepWritingPid(pidFile, true), {
        signal: ac.signal,
        onStdout: (c) => c.includes('started') && ac.abort(),
      });
      await assert.rejects(p, (e) => assertCode(e, ['INTERRUPTED']));
      assert.equal((await run(d.aliveOrGone(pidFile))).trim(), 'gone');
      await assert.rejects(t.exec(d.succeed, { signal: AbortSignal.abort() }), (e) => assertCode(e, ['INTERRUPTED']));
    });

    test('interrupt asks the command to stop once (no kill); the command ends as it chooses', async () => {
      const ac = new AbortController();
      const r = await t.exec(d.interruptible.command, {
        interrupt: ac.signal,
        onStdout: (c) => c.includes('started') && ac.abort(),
      });
      assert.equal(r.exitCode, 7, r.stderr);
      assert.equal(r.timedOut, false);
      assert.match(r.stdout, d.interruptible.stdout);
      const quick = await t.exec(d.echo('done'), { interrupt: new AbortController().signal });
      assert.equal(quick.stdout, nl('done'), 'an interrupt that never fires changes nothing');
    });

    test('put/get round trip a file whose name has spaces, quotes and non-ASCII; mode bits; no temp files', async () => {
      const content = Buffer.concat([Buffer.from('fïlé ✓\n'), randomBytes(1024 * 1024 + 3)]);
      mkdirSync(join(local, WEIRD_DIR), { recursive: true });
      const src = join(local, WEIRD_DIR, WEIRD_FILE);
      writeFileSync(src, content);
      const dir = d.join(remote, WEIRD_DIR);
      const dst = d.join(dir, WEIRD_FILE);
      await run(d.mkdir(dir));
      const progress: Array<[number, number]> = [];
      const sentBefore = t.stats.bytesSent;
      await t.put(src, d.transferPath(dst), { mode: 0o640, onProgress: (a, b) => progress.push([a, b]) });
      assert.deepEqual(progress.at(-1), [content.length, content.length]);
      assert.ok(t.stats.bytesSent - sentBefore >= content.length);
      assert.equal(firstWord(await run(d.sha256File(dst))), sha256(content));
      if (d.mode) assert.equal((await run(d.mode(dst))).trim(), '640');
      assert.equal(await run(d.list(dir)), nl(WEIRD_FILE));
      const back = join(local, 'back', WEIRD_FILE);
      mkdirSync(join(local, 'back'));
      await t.get(d.transferPath(dst), back);
      assert.ok(readFileSync(back).equals(content));
    });

    test('put replaces an existing file and applies the mode (default 0644)', async () => {
      const src = join(local, 'v2');
      writeFileSync(src, 'second\n');
      const dst = d.join(remote, 'replace me');
      await run(d.writeFirst(dst));
      await t.put(src, d.transferPath(dst));
      assert.equal(await run(d.cat(dst)), 'second\n');
      if (!d.mode) return;
      assert.equal((await run(d.mode(dst))).trim(), '644');
      await t.put(src, d.transferPath(dst), { mode: 0o755 });
      assert.equal((await run(d.mode(dst))).trim(), '755');
    });

    test('transfer failures reject with TRANSFER_FAILED', async () => {
      const missing = join(local, 'no such file');
      await assert.rejects(t.put(missing, d.transferPath(d.join(remote, 'x'))), (e) => assertCode(e, ['TRANSFER_FAILED']));
      const src = join(local, 'small');
      writeFileSync(src, 'x');
      await assert.rejects(t.put(src, d.transferPath(d.join(d.join(remote, 'no such dir'), 'x'))), (e) => assertCode(e, ['TRANSFER_FAILED']));
      await assert.rejects(t.get(d.transferPath(d.join(remote, 'no such file')), join(local, 'got')), (e) => assertCode(e, ['TRANSFER_FAILED']));
      await assert.rejects(t.put(src, d.transferPath(d.join(remote, 'y')), { signal: AbortSignal.abort() }), (e) => assertCode(e, ['INTERRUPTED']));
      assert.equal((await run(d.countNames(remote, 'gofleet-part'))).trim(), '0');
    });

    test('a put aborted mid-transfer rejects with INTERRUPTED and leaves no file under the final name', async () => {
      const src = join(local, 'big');
      writeFileSync(src, randomBytes(8 * 1024 * 1024));
      const dst = d.join(remote, 'aborted');
      const ac = new AbortController();
      const p = t.put(src, d.transferPath(dst), { signal: ac.signal, onProgress: () => ac.abort() });
      await assert.rejects(p, (e) => assertCode(e, ['INTERRUPTED']));
      assert.equal((await run(d.countNames(remote, 'aborted'))).trim(), '0'); // nor a temp file
      assert.equal((await t.exec(d.echo('still usable'))).stdout, nl('still usable'));
    });

    test('many sequential execs and some concurrent ones share one connection', async () => {
      const before = t.stats.execCount;
      for (let i = 0; i < 40; i++) assert.equal((await t.exec(d.echo(String(i)))).stdout, nl(String(i)));
      const parallel = await Promise.all(Array.from({ length: 8 }, (_, i) => t.exec(d.echo(`p${i}`))));
      assert.deepEqual(parallel.map((r) => r.stdout), Array.from({ length: 8 }, (_, i) => nl(`p${i}`)));
      assert.equal(t.stats.execCount - before, 48);
      if (s.connections) assert.equal(s.connections(), 1, 'the transport opened more than one connection');
    });

    test('close is idempotent and later calls reject with a coded error', async () => {
      const other = await open();
      assert.equal((await other.transport.exec(d.echo('x'))).stdout, nl('x'));
      await other.transport.close();
      await other.transport.close();
      await assert.rejects(other.transport.exec(d.succeed), (e) => assertCode(e, ['CONNECTION_LOST']));
    });
  });
}
