import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { sha256File } from '../../src/releases/hash-file.ts';
import { parseReleaseIndex } from '../../src/releases/release-index.ts';
import { corruptCopy, extractArchive, fakeToolchainArchive, toolchainArchive, writeSourceDir } from './toolchains.ts';

const run = promisify(execFile);

/** env for running an extracted toolchain offline, isolated from this machine's go settings */
function goEnv(work: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: '/usr/bin:/bin', HOME: work, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off',
    GOCACHE: join(work, 'gocache'), GOPATH: join(work, 'gopath'), GOENV: 'off', CGO_ENABLED: '0' };
  return env;
}

function helloModule(dir: string, message: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'go.mod'), 'module example.com/hello\n\ngo 1.19\n');
  writeFileSync(join(dir, 'main.go'), `package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("${message}")\n}\n`);
  return dir;
}

describe('toolchainArchive (real toolchains)', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-toolchains-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('go1.27.3: a working toolchain in the official layout', async (t) => {
    const a = await toolchainArchive('go1.27.3', { os: 'linux', arch: 'amd64' });
    assert.equal(a.filename, 'go1.27.3.linux-amd64.tar.gz');
    assert.equal(a.size, statSync(a.path).size);
    assert.equal(a.sha256, await sha256File(a.path));
    t.diagnostic(`${a.filename}: ${(a.size / 1e6).toFixed(1)} MB`);

    const listing = (await run('tar', ['-tvzf', a.path], { maxBuffer: 1 << 26 })).stdout.trim().split('\n');
    const names = listing.map((l) => l.split(/\s+/)[5] ?? '');
    assert.ok(names.every((n) => n === 'go/' || n.startsWith('go/')), 'everything under go/');
    for (const must of ['go/VERSION', 'go/go.env', 'go/bin/go', 'go/bin/gofmt', 'go/pkg/tool/linux_amd64/compile', 'go/src/cmd/go/main.go']) assert.ok(names.includes(must), must);
    for (const dropped of ['go/test/', 'go/api/', 'go/doc/']) assert.ok(!names.some((n) => n.startsWith(dropped)), dropped);
    assert.ok(!names.some((n) => n.endsWith('/_go.mod')), 'no _go.mod');
    const modes = new Set(listing.map((l) => l.split(/\s+/)[0]));
    assert.deepEqual([...modes].sort(), ['-rw-r--r--', '-rwxr-xr-x', 'drwxr-xr-x']);
    assert.match(listing.find((l) => l.endsWith(' go/bin/go')) ?? '', /^-rwxr-xr-x 0\/0 /);

    const goroot = await extractArchive(a, join(work, '1.27.3'));
    const env = goEnv(join(work, 'home-1.27.3'));
    const go = join(goroot, 'bin', 'go');
    assert.equal((await run(go, ['version'], { env })).stdout.trim(), 'go version go1.27.3 linux/amd64');
    assert.equal((await run(go, ['env', 'GOROOT'], { env })).stdout.trim(), realpathSync(goroot));
    const mod = helloModule(join(work, 'hello-1.27.3'), 'hello from go1.27.3');
    await run(go, ['build', '-o', 'hello', '.'], { cwd: mod, env });
    assert.equal((await run(join(mod, 'hello'), [])).stdout, 'hello from go1.27.3\n');
  });

  it('go1.19.8: symlinked Debian tree is dereferenced and runs', async () => {
    const a = await toolchainArchive('go1.19.8');
    const goroot = await extractArchive(a, join(work, '1.19.8'), ['go/VERSION', 'go/bin/go', 'go/src/runtime/extern.go', 'go/pkg/include']);
    // src and pkg/include are symlinks in /usr/lib/go-1.19: the archive holds real files
    assert.ok(lstatSync(join(goroot, 'src', 'runtime', 'extern.go')).isFile());
    assert.ok(lstatSync(join(goroot, 'pkg', 'include', 'textflag.h')).isFile());
    assert.equal(readFileSync(join(goroot, 'VERSION'), 'utf8').split('\n')[0], 'go1.19.8');
    const env = goEnv(join(work, 'home-1.19.8'));
    assert.equal((await run(join(goroot, 'bin', 'go'), ['version'], { env })).stdout.trim(), 'go version go1.19.8 linux/amd64');
  });

  it('go1.26.8: packed from /usr/local/go; cached between calls', async () => {
    const a = await toolchainArchive('go1.26.8');
    const mtime = statSync(a.path).mtimeMs;
    const version = (await run('tar', ['-xzOf', a.path, 'go/VERSION'])).stdout.split('\n')[0];
    assert.equal(version, 'go1.26.8');
    const again = await toolchainArchive('go1.26.8');
    assert.deepEqual(again, a);
    assert.equal(statSync(a.path).mtimeMs, mtime, 'not rebuilt');
  });

  it('rejects other platforms', async () => {
    await assert.rejects(toolchainArchive('go1.27.3', { os: 'darwin', arch: 'arm64' }), /only for linux\/amd64/);
  });

  it('parallel processes building the same archive do not corrupt it (one builds, the other waits)', async () => {
    const fixtures = join(work, 'fixtures-parallel');
    const script = `import { toolchainArchive } from ${JSON.stringify(new URL('./toolchains.ts', import.meta.url).pathname)};
const a = await toolchainArchive('go1.26.8'); console.log(JSON.stringify(a));`;
    const file = join(work, 'build.mts');
    writeFileSync(file, script);
    const spawnOne = () => run(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, GOFLEET_FIXTURES_DIR: fixtures }, cwd: new URL('../..', import.meta.url).pathname });
    const [x, y] = await Promise.all([spawnOne(), spawnOne()]);
    const ax = JSON.parse(x.stdout) as { sha256: string; path: string };
    const ay = JSON.parse(y.stdout) as { sha256: string; path: string };
    assert.equal(ax.sha256, ay.sha256);
    assert.equal(await sha256File(ax.path), ax.sha256);
    const packed = (x.stderr + y.stderr).match(/\[fixtures\] packed/g) ?? [];
    assert.equal(packed.length, 1, 'built once');
    const reference = await toolchainArchive('go1.26.8');
    assert.equal(ax.sha256, reference.sha256, 'the packing is deterministic');
  });
});

describe('fakeToolchainArchive', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-fake-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('answers version, env (GOROOT resolved behind a symlink), -json, builds and runs hello world', async () => {
    const a = await fakeToolchainArchive('go1.27.3');
    assert.equal(a.filename, 'go1.27.3.linux-amd64.tar.gz');
    const goroot = await extractArchive(a, join(work, 'ok'));
    const link = join(work, 'current');
    symlinkSync(goroot, link);
    const go = join(link, 'bin', 'go');
    const env = { PATH: '/usr/bin:/bin', HOME: work };
    assert.equal((await run(go, ['version'], { env })).stdout, 'go version go1.27.3 linux/amd64\n');
    assert.equal((await run('dash', [go, 'version'], { env })).stdout, 'go version go1.27.3 linux/amd64\n');
    if (spawnSync('busybox', ['true']).status === 0) {
      assert.equal((await run('busybox', ['sh', go, 'env', 'GOROOT'], { env })).stdout, `${realpathSync(goroot)}\n`);
    }
    assert.equal((await run(go, ['env', 'GOROOT'], { env })).stdout, `${realpathSync(goroot)}\n`);
    assert.equal((await run(go, ['env', 'GOROOT', 'GOVERSION'], { env })).stdout, `${realpathSync(goroot)}\ngo1.27.3\n`);
    const json = JSON.parse((await run(go, ['env', '-json'], { env: { ...env, GOPATH: '/tmp/a "quoted" \\path' } })).stdout) as Record<string, string>;
    assert.equal(json.GOROOT, realpathSync(goroot));
    assert.equal(json.GOVERSION, 'go1.27.3');
    assert.equal(json.GOPATH, '/tmp/a "quoted" \\path');
    assert.equal(json.GOOS, 'linux');

    const mod = join(work, 'hello');
    mkdirSync(mod);
    await run(go, ['mod', 'init', 'example.com/hello'], { cwd: mod, env });
    assert.match(readFileSync(join(mod, 'go.mod'), 'utf8'), /^module example.com\/hello\n\ngo 1.27.3\n$/);
    writeFileSync(join(mod, 'main.go'), 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("it\'s alive") }\n');
    await run(go, ['build', '-o', 'hello', '.'], { cwd: mod, env });
    assert.equal((await run(join(mod, 'hello'), [])).stdout, "it's alive\n");
    await run(go, ['build'], { cwd: mod, env });
    assert.equal((await run(join(mod, 'hello'), [])).stdout, "it's alive\n", 'default output named after the module');
    assert.equal((await run(go, ['run', '.'], { cwd: mod, env })).stdout, "it's alive\n");
    const r = spawnSync(go, ['frobnicate'], { env });
    assert.equal(r.status, 2);
  });

  it("broken 'no-exec': bin/go cannot be executed", async () => {
    const goroot = await extractArchive(await fakeToolchainArchive('go1.27.3', { broken: 'no-exec' }), join(work, 'no-exec'));
    const r = spawnSync(join(goroot, 'bin', 'go'), ['version']);
    assert.equal((r.error as NodeJS.ErrnoException | undefined)?.code, 'EACCES');
    assert.equal(readFileSync(join(goroot, 'VERSION'), 'utf8').split('\n')[0], 'go1.27.3');
  });

  it("broken 'wrong-version': reports another version", async () => {
    const goroot = await extractArchive(await fakeToolchainArchive('go1.27.3', { broken: 'wrong-version' }), join(work, 'wrong'));
    const out = (await run(join(goroot, 'bin', 'go'), ['version'])).stdout;
    assert.match(out, /^go version go1\.\d+\.\d+ linux\/amd64\n$/);
    assert.doesNotMatch(out, /go1\.27\.3/);
  });

  it("broken 'build-fails': version is right, build and run exit 1", async () => {
    const goroot = await extractArchive(await fakeToolchainArchive('go1.27.3', { broken: 'build-fails' }), join(work, 'fails'));
    const go = join(goroot, 'bin', 'go');
    assert.equal((await run(go, ['version'])).stdout, 'go version go1.27.3 linux/amd64\n');
    const mod = helloModule(join(work, 'hello-fails'), 'x');
    const build = spawnSync(go, ['build', '-o', 'hello', '.'], { cwd: mod, encoding: 'utf8' });
    assert.equal(build.status, 1);
    assert.match(build.stderr, /fake compile error/);
    assert.equal(spawnSync(go, ['run', '.'], { cwd: mod }).status, 1);
  });

  it('other platforms get their official names (windows: zip)', async () => {
    const win = await fakeToolchainArchive('go1.27.3', { os: 'windows', arch: 'amd64' });
    assert.equal(win.filename, 'go1.27.3.windows-amd64.zip');
    const goroot = await extractArchive(win, join(work, 'win'));
    assert.ok(statSync(join(goroot, 'bin', 'go.exe')).isFile());
    assert.equal((await fakeToolchainArchive('go1.27.3', { os: 'darwin', arch: 'arm64' })).filename, 'go1.27.3.darwin-arm64.tar.gz');
  });
});

describe('writeSourceDir / corruptCopy', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-srcdir-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('writes archives, bare-hex .sha256 files and a go.dev index.json', async () => {
    const archives = [await fakeToolchainArchive('go1.27.3'), await fakeToolchainArchive('go1.26.8'), await fakeToolchainArchive('go1.27.3', { os: 'windows', arch: 'amd64' })];
    const dir = join(work, 'both');
    writeSourceDir(dir, archives, { index: true });
    for (const a of archives) {
      assert.equal(await sha256File(join(dir, a.filename)), a.sha256);
      assert.equal(readFileSync(join(dir, `${a.filename}.sha256`), 'utf8'), a.sha256);
    }
    const releases = parseReleaseIndex(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')));
    assert.deepEqual(releases?.map((r) => [r.version, r.files.map((f) => [f.filename, f.os, f.arch, f.kind, f.sha256 === archives.find((a) => a.filename === f.filename)?.sha256])]), [
      ['go1.27.3', [['go1.27.3.linux-amd64.tar.gz', 'linux', 'amd64', 'archive', true], ['go1.27.3.windows-amd64.zip', 'windows', 'amd64', 'archive', true]]],
      ['go1.26.8', [['go1.26.8.linux-amd64.tar.gz', 'linux', 'amd64', 'archive', true]]],
    ]);
    const bare = join(work, 'bare');
    writeSourceDir(bare, archives.slice(0, 1), { index: false, sha256Files: false });
    assert.throws(() => statSync(join(bare, 'index.json')));
    assert.throws(() => statSync(join(bare, `${archives[0]?.filename}.sha256`)));
  });

  it('corruptCopy keeps name, size and the published checksum, but not the bytes', async () => {
    const a = await fakeToolchainArchive('go1.27.3');
    const bad = corruptCopy(a, { dir: join(work, 'bad') });
    assert.equal(bad.filename, a.filename);
    assert.equal(bad.sha256, a.sha256);
    assert.equal(statSync(bad.path).size, a.size);
    assert.notEqual(await sha256File(bad.path), a.sha256);
    assert.equal(await sha256File(a.path), a.sha256, 'the original is untouched');
  });
});
