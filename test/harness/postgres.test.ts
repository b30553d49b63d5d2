// The PostgreSQL harness itself, checked with the system's psql (independent of any driver gofleet will use).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPgBinDir, postgresSkip, startPostgres, type PostgresServer } from './postgres.ts';
import { portRefused as refused } from './sshd.ts';

const HARNESS = new URL('./postgres.ts', import.meta.url).pathname;


/** Running (not gone, not a zombie waiting for init to reap it). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function childPids(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`still not: ${what}`);
}

/** Start a server in a child node process, print its pid, dir and port, then end the way `ending` says. */
function serverInChild(ending: 'exit' | 'hang'): Promise<{ pid: number; dir: string; port: number; kill(): void }> {
  const code = `import { startPostgres } from ${JSON.stringify(HARNESS)};
const s = await startPostgres();
console.log(JSON.stringify({ pid: s.pid, dir: s.dir, port: s.port }));
${ending === 'exit' ? 'process.exit(0);' : 'setInterval(() => {}, 1000);'}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ ...JSON.parse(line), kill: () => child.kill('SIGKILL') });
    });
    child.on('exit', (c) => { if (!out.includes('{')) reject(new Error(`child exited ${c} before the server started: ${out}`)); });
  });
}

describe('findPgBinDir / postgresSkip', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'gofleet-pgbin-'));
    const fake = (major: string, bins: string[]): void => {
      mkdirSync(join(root, major, 'bin'), { recursive: true });
      for (const b of bins) writeFileSync(join(root, major, 'bin', b), '');
    };
    const all = ['initdb', 'postgres', 'pg_isready', 'psql'];
    fake('9.6', all);
    fake('15', all);
    fake('16', ['initdb', 'postgres']); // a server package without the client: not usable
    fake('common', all);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('the newest major (numerically) that has every binary', () => {
    assert.equal(findPgBinDir(root), join(root, '15', 'bin'));
    assert.equal(findPgBinDir(join(root, 'missing')), undefined);
  });

  test('missing: a reason outside CI, an error under CI=true', () => {
    const saved = process.env.CI;
    try {
      delete process.env.CI;
      assert.match(String(postgresSkip(join(root, 'missing'))), /postgres harness unavailable: .*apt-get install postgresql/);
      process.env.CI = 'true';
      assert.throws(() => postgresSkip(join(root, 'missing')), /unavailable in CI/);
    } finally {
      if (saved === undefined) delete process.env.CI;
      else process.env.CI = saved;
    }
  });
});

describe('postgres harness', { skip: postgresSkip() }, () => {
  let a: PostgresServer;
  let b: PostgresServer;
  before(async () => {
    [a, b] = await Promise.all([startPostgres(), startPostgres({ database: 'other', settings: { max_connections: '30' } })]);
  });
  after(() => Promise.all([a?.stop(), b?.stop()]));

  test('two servers at once: a table written over TCP is read over the socket, and only on its own server', async () => {
    assert.notEqual(a.port, b.port);
    assert.equal(a.url, `postgres://postgres@127.0.0.1:${a.port}/gofleet`);
    for (const [s, word] of [[a, 'alpha'], [b, 'beta']] as const) {
      const write = await s.psql(`CREATE TABLE t (id int PRIMARY KEY, word text); INSERT INTO t VALUES (1, '${word}');`);
      assert.equal(write.exitCode, 0, write.stderr);
    }
    assert.deepEqual(await a.psql('SELECT id, word FROM t', { via: 'socket' }), { exitCode: 0, stdout: '1|alpha\n', stderr: '' });
    assert.equal((await b.psql('SELECT word FROM t', { via: 'socket' })).stdout, 'beta\n');
    assert.equal((await b.psql('SELECT current_database()')).stdout, 'other\n');
    // the socket really is the socket: a Unix-socket session has no server address
    assert.equal((await a.psql('SELECT inet_server_addr()')).stdout, '127.0.0.1\n');
    assert.equal((await a.psql('SELECT inet_server_addr() IS NULL', { via: 'socket' })).stdout, 't\n');
    const viaSocketUrl = spawnSync(join(a.binDir, 'psql'), ['-X', '-A', '-t', '-d', a.socketUrl, '-c', 'SELECT inet_server_addr() IS NULL, count(*) FROM t'], { encoding: 'utf8' });
    assert.equal(viaSocketUrl.stdout, 't|1\n', viaSocketUrl.stderr);
    const bad = await a.psql('SELECT nope FROM t');
    assert.notEqual(bad.exitCode, 0);
    assert.match(bad.stderr, /column "nope" does not exist/);
  });

  test('loopback only, UTF8, the test settings; as root: run as another user in an IPC namespace of its own', async () => {
    const show = await a.psql(`SELECT current_setting('listen_addresses'), current_setting('server_encoding'),
      current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes')`);
    assert.equal(show.stdout, '127.0.0.1|UTF8|off|off|off\n');
    assert.equal((await b.psql(`SHOW max_connections`)).stdout, '30\n');
    assert.ok(existsSync(join(a.socketDir, `.s.PGSQL.${a.port}`)));
    if (process.getuid?.() === 0) {
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${a.pid}/status`, 'utf8'))?.[1];
      assert.notEqual(uid, '0');
      // its own IPC namespace: System V shared memory cannot outlive a killed server
      assert.notEqual(readlinkSync(`/proc/${a.pid}/ns/ipc`), readlinkSync('/proc/self/ns/ipc'));
    }
  });

  test('stop ends the server and its backends and removes the temp dir', async () => {
    const s = await startPostgres();
    const backends = childPids(s.pid);
    assert.ok(backends.length > 0);
    await s.stop();
    assert.equal(existsSync(s.dir), false);
    assert.equal(running(s.pid), false);
    assert.deepEqual(backends.filter(running), []);
    assert.equal(await refused(s.port), true);
  });

  test('the exit hook stops a server the test process left running, and removes its dir', async () => {
    const s = await serverInChild('exit');
    await until('the postmaster is gone', () => !running(s.pid));
    await until('the temp dir is gone', () => !existsSync(s.dir));
    assert.equal(await refused(s.port), true);
  });

  test('a test process killed with SIGKILL takes its server with it', async () => {
    const s = await serverInChild('hang');
    try {
      s.kill();
      await until('the postmaster is gone', () => !running(s.pid));
      await until('the port is free', () => refused(s.port));
    } finally {
      rmSync(s.dir, { recursive: true, force: true }); // no exit hook runs after SIGKILL
    }
  });
});
