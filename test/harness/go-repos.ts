// Fixture Go repositories for `gofleet repos` tests: real git repos in a temp dir, a file:// GOPROXY with
// the modules they need, and an offline go environment.
//
// Repos (each a git repo with one commit):
//   single      one module (go 1.24.0), a main, a package and a passing test                 -> pass
//   multi       go.work (go 1.22.0) using api (1.22.0) and svc (1.23.0, replace ../api);
//               svc/Dockerfile pins golang:1.23-alpine, a workflow pins go-version '1.23'   -> warn (go.work below svc, pins)
//   knownbad    requires github.com/bytedance/sonic v1.11.0 (from the proxy: a stub whose ast package
//               //go:linkname-s runtime.stopTheWorld, which Go 1.23+ linkers refuse)         -> fail, build (link)
//   testfail    go 1.20; a test that relies on recover() returning nil after panic(nil) — true for
//               go lines before 1.21, false after the bump (GODEBUG panicnil)                  -> fail, test
//   vetfail     go 1.23.0; fmt.Printf(msg) with a non-constant format, which go vet reports
//               once the go line is 1.24 or later                                              -> fail, vet
//   compilefail a type error                                                                    -> fail, build
//   twopart     go 1.22 (bare, no toolchain line); .go-version 1.22.5; Dockerfile golang:1.22   -> warn
//
// Extra repos (not in ALL_FIXTURES; ask for them by name):
//   vendored    go 1.16, requires example.com/greeter v1.0.0 (which requires example.com/words), both
//               vendored in vendor/ as `go mod vendor` writes it for go 1.16 (no go versions in
//               modules.txt, words not explicit). Bumping the go line past 1.17 makes tidy require words
//               explicitly, so without a fresh `go mod vendor` the build fails: inconsistent vendoring.
//   graphonly   go 1.21.0, requires example.com/tooluser v1.0.0 and (indirect) golang.org/x/tools v0.1.0, a
//               version KNOWN_BAD from go1.25 on; only tooluser/plain is imported, which needs no x/tools:
//               x/tools is in `go list -m all` but never built (zap's benchmarks module)     -> pass (info)
//   testbroken  go 1.24.0; package broken has a test that fails on every toolchain, package fine passes:
//               the failure is there before the bump (preexisting), not a regression        -> warn
//
// Environment (goEnv): GOPROXY=file://<proxy>, GOSUMDB=off, GOFLAGS=-mod=mod -modcacherw, a temp
// GOMODCACHE, GOTOOLCHAIN=local, and a GOCACHE kept under the fixtures dir (builds of std are slow cold).
// git runs without system/global config.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fixturesDir } from './toolchains.ts';

const run = promisify(execFile);

export type FixtureName = 'single' | 'multi' | 'knownbad' | 'testfail' | 'vetfail' | 'compilefail' | 'twopart';
export const ALL_FIXTURES: readonly FixtureName[] = ['single', 'multi', 'knownbad', 'testfail', 'vetfail', 'compilefail', 'twopart'];
/** Fixtures made only when named (makeGoRepos(['vendored'])). */
export type ExtraFixtureName = 'vendored' | 'graphonly' | 'testbroken';
export type AnyFixtureName = FixtureName | ExtraFixtureName;

type Files = Record<string, string>;

const MAIN_OK = 'package main\n\nfunc main() {}\n';

/** Modules in the proxy that `vendored` depends on: greeter v1.0.0 imports words v1.0.0. */
const WORDS: Files = {
  'go.mod': 'module example.com/words\n\ngo 1.16\n',
  'words.go': 'package words\n\n// Hello is a word.\nconst Hello = "hello"\n',
};
const GREETER: Files = {
  'go.mod': 'module example.com/greeter\n\ngo 1.16\n\nrequire example.com/words v1.0.0\n',
  'greeter.go': 'package greeter\n\nimport "example.com/words"\n\n// Greet greets name.\nfunc Greet(name string) string { return words.Hello + ", " + name }\n',
};

/** A stub of golang.org/x/tools v0.1.0 (below the known-bad fix) and a module that requires it but
 * whose package `plain` does not import it. */
const XTOOLS_STUB: Files = {
  'go.mod': 'module golang.org/x/tools\n\ngo 1.16\n',
  'go/ast/astutil/util.go': 'package astutil\n\n// Unparen is a stub.\nfunc Unparen(x interface{}) interface{} { return x }\n',
};
const TOOLUSER: Files = {
  'go.mod': 'module example.com/tooluser\n\ngo 1.17\n\nrequire golang.org/x/tools v0.1.0\n',
  'plain/plain.go': 'package plain\n\n// Name is plain.\nconst Name = "plain"\n',
  'gen/gen.go': 'package gen\n\nimport "golang.org/x/tools/go/ast/astutil"\n\n// Gen uses x/tools.\nvar Gen = astutil.Unparen\n',
};

export const FIXTURES: Record<AnyFixtureName, Files> = {
  single: {
    'go.mod': 'module example.com/single\n\ngo 1.24.0\n',
    'main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/single/greet"\n)\n\nfunc main() { fmt.Println(greet.Hello("fleet")) }\n',
    'greet/greet.go': 'package greet\n\n// Hello greets name.\nfunc Hello(name string) string { return "hello, " + name }\n',
    'greet/greet_test.go': 'package greet\n\nimport "testing"\n\nfunc TestHello(t *testing.T) {\n\tif got := Hello("x"); got != "hello, x" {\n\t\tt.Fatalf("Hello = %q", got)\n\t}\n}\n',
  },
  multi: {
    'go.work': 'go 1.22.0\n\nuse (\n\t./api\n\t./svc\n)\n',
    'api/go.mod': 'module example.com/multi/api\n\ngo 1.22.0\n',
    'api/api.go': 'package api\n\n// Version is the API version.\nfunc Version() string { return "v1" }\n',
    'svc/go.mod': 'module example.com/multi/svc\n\ngo 1.23.0\n\nrequire example.com/multi/api v0.0.0\n\nreplace example.com/multi/api => ../api\n',
    'svc/main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/multi/api"\n)\n\nfunc main() { fmt.Println(api.Version()) }\n',
    'svc/main_test.go': 'package main\n\nimport (\n\t"testing"\n\n\t"example.com/multi/api"\n)\n\nfunc TestVersion(t *testing.T) {\n\tif api.Version() != "v1" {\n\t\tt.Fatal("version")\n\t}\n}\n',
    'svc/Dockerfile': 'FROM golang:1.23-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /svc .\n',
    '.github/workflows/ci.yml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-go@v5\n        with:\n          go-version: \'1.23\'\n',
  },
  knownbad: {
    'go.mod': 'module example.com/knownbad\n\ngo 1.21.0\n\nrequire github.com/bytedance/sonic v1.11.0\n',
    'main.go': 'package main\n\nimport "github.com/bytedance/sonic"\n\nfunc main() { _, _ = sonic.Marshal(1) }\n',
  },
  testfail: {
    'go.mod': 'module example.com/testfail\n\ngo 1.20\n',
    'guard/guard.go': 'package guard\n\n// Run calls f and reports the value it panicked with (nil when it did not panic).\nfunc Run(f func()) (v any) {\n\tdefer func() { v = recover() }()\n\tf()\n\treturn nil\n}\n',
    'guard/guard_test.go': 'package guard\n\nimport "testing"\n\nfunc TestPanicNilLooksLikeNoPanic(t *testing.T) {\n\tif v := Run(func() { panic(nil) }); v != nil {\n\t\tt.Fatalf("recover() = %v, want nil", v)\n\t}\n}\n',
  },
  vetfail: {
    'go.mod': 'module example.com/vetfail\n\ngo 1.23.0\n',
    'main.go': 'package main\n\nimport "fmt"\n\nfunc main() {\n\tmsg := "done\\n"\n\tfmt.Printf(msg)\n}\n',
  },
  compilefail: {
    'go.mod': 'module example.com/compilefail\n\ngo 1.25.0\n',
    'main.go': MAIN_OK,
    'calc/calc.go': 'package calc\n\n// Twice doubles n.\nfunc Twice(n int) int { return "twice" }\n',
  },
  twopart: {
    'go.mod': 'module example.com/twopart\n\ngo 1.22\n',
    'main.go': MAIN_OK,
    '.go-version': '1.22.5\n',
    'Dockerfile': 'FROM golang:1.22\nCOPY . /src\n',
  },
  graphonly: {
    'go.mod': 'module example.com/graphonly\n\ngo 1.21.0\n\nrequire example.com/tooluser v1.0.0\n\nrequire golang.org/x/tools v0.1.0 // indirect\n',
    'main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/tooluser/plain"\n)\n\nfunc main() { fmt.Println(plain.Name) }\n',
  },
  testbroken: {
    'go.mod': 'module example.com/testbroken\n\ngo 1.24.0\n',
    'broken/broken.go': 'package broken\n\n// Answer is wrong on purpose.\nfunc Answer() int { return 41 }\n',
    'broken/broken_test.go': 'package broken\n\nimport "testing"\n\nfunc TestAnswer(t *testing.T) {\n\tif Answer() != 42 {\n\t\tt.Fatalf("Answer() = %d, want 42", Answer())\n\t}\n}\n',
    'fine/fine.go': 'package fine\n\n// One is one.\nfunc One() int { return 1 }\n',
    'fine/fine_test.go': 'package fine\n\nimport "testing"\n\nfunc TestOne(t *testing.T) {\n\tif One() != 1 {\n\t\tt.Fatal("one")\n\t}\n}\n',
  },
  vendored: {
    'go.mod': 'module example.com/vendored\n\ngo 1.16\n\nrequire example.com/greeter v1.0.0\n',
    'main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/greeter"\n)\n\nfunc main() { fmt.Println(greeter.Greet("fleet")) }\n',
    'main_test.go': 'package main\n\nimport (\n\t"testing"\n\n\t"example.com/greeter"\n)\n\nfunc TestGreet(t *testing.T) {\n\tif got := greeter.Greet("x"); got != "hello, x" {\n\t\tt.Fatalf("Greet = %q", got)\n\t}\n}\n',
    'vendor/modules.txt': '# example.com/greeter v1.0.0\n## explicit\nexample.com/greeter\n# example.com/words v1.0.0\nexample.com/words\n',
    'vendor/example.com/greeter/greeter.go': GREETER['greeter.go'] as string,
    'vendor/example.com/words/words.go': WORDS['words.go'] as string,
  },
};

/** The stub of github.com/bytedance/sonic v1.11.0 published in the proxy. */
const SONIC_STUB: Files = {
  'go.mod': 'module github.com/bytedance/sonic\n\ngo 1.16\n',
  'sonic.go': 'package sonic\n\nimport "github.com/bytedance/sonic/ast"\n\nvar hook = ast.Stop\n\n// Marshal is a stub.\nfunc Marshal(v interface{}) ([]byte, error) { return nil, nil }\n',
  'ast/ast.go': 'package ast\n\nimport _ "unsafe"\n\n//go:linkname stopTheWorld runtime.stopTheWorld\nfunc stopTheWorld(reason uint8) uint64\n\n// Stop is never called; referencing it is enough for the linker to refuse it.\nfunc Stop() uint64 { return stopTheWorld(0) }\n',
  'ast/empty.s': '',
};

async function writeFiles(dir: string, files: Files): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
}

/** Publish a module version into a GOPROXY directory (list, .info, .mod, .zip). */
export async function publishModule(proxyDir: string, path: string, version: string, files: Files): Promise<void> {
  const vdir = join(proxyDir, path, '@v');
  await mkdir(vdir, { recursive: true });
  const stage = await mkdtemp(join(tmpdir(), 'gofleet-modzip-'));
  try {
    await writeFiles(join(stage, `${path}@${version}`), files);
    await run('zip', ['-q', '-X', '-r', join(vdir, `${version}.zip`), `${path}@${version}`], { cwd: stage });
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
  await writeFile(join(vdir, `${version}.mod`), files['go.mod'] ?? `module ${path}\n`);
  await writeFile(join(vdir, `${version}.info`), JSON.stringify({ Version: version, Time: '2024-01-01T00:00:00Z' }));
  await writeFile(join(vdir, 'list'), `${version}\n`);
}

export function gitEnv(base: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  return { ...base, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: join(home, 'gitconfig'), GIT_TERMINAL_PROMPT: '0' };
}

/** `git ARGS` in `cwd` with the fixture identity; returns stdout. */
export async function gitIn(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.com', ...args], { cwd, env });
  return stdout.trim();
}

/** A git repo with `files` in one commit on branch main. */
export async function makeRepo(dir: string, files: Files, env: NodeJS.ProcessEnv): Promise<string> {
  await writeFiles(dir, files);
  await gitIn(dir, env, 'init', '-q', '-b', 'main');
  await gitIn(dir, env, 'add', '-A');
  await gitIn(dir, env, 'commit', '-q', '-m', 'initial');
  return dir;
}

/** The real toolchain trees on this machine (read only). */
export async function toolchainDir(version: 'go1.26.8' | 'go1.27.3' | 'go1.19.8'): Promise<string> {
  if (version === 'go1.26.8') return '/usr/local/go';
  if (version === 'go1.19.8') return '/usr/lib/go-1.19';
  const env: NodeJS.ProcessEnv = { ...process.env, GOTOOLCHAIN: 'local' };
  for (const k of ['GOMODCACHE', 'GOPATH', 'GOPROXY', 'GOFLAGS', 'GOSUMDB']) delete env[k];
  const { stdout } = await run('/usr/local/go/bin/go', ['env', 'GOMODCACHE'], { env });
  const dir = join(stdout.trim(), `golang.org/toolchain@v0.0.1-${version}.linux-amd64`);
  if (!existsSync(join(dir, 'bin', 'go'))) {
    const cwd = await mkdtemp(join(tmpdir(), 'gofleet-fetch-'));
    try {
      await run('/usr/local/go/bin/go', ['version'], { cwd, env: { ...env, GOTOOLCHAIN: version } });
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  }
  return dir;
}

export interface GoRepos {
  root: string;
  proxyDir: string;
  /** environment for go and git in tests (merge into process.env for in-process CLI runs) */
  env: NodeJS.ProcessEnv;
  repos: Record<AnyFixtureName, string>;
  dispose(): Promise<void>;
}

/** Build the fixture repos (all by default) under a new temp dir. */
export async function makeGoRepos(names: readonly AnyFixtureName[] = ALL_FIXTURES): Promise<GoRepos> {
  const root = await mkdtemp(join(tmpdir(), 'gofleet-gorepos-'));
  const proxyDir = join(root, 'proxy');
  await publishModule(proxyDir, 'github.com/bytedance/sonic', 'v1.11.0', SONIC_STUB);
  await publishModule(proxyDir, 'example.com/words', 'v1.0.0', WORDS);
  await publishModule(proxyDir, 'example.com/greeter', 'v1.0.0', GREETER);
  await publishModule(proxyDir, 'golang.org/x/tools', 'v0.1.0', XTOOLS_STUB);
  await publishModule(proxyDir, 'example.com/tooluser', 'v1.0.0', TOOLUSER);
  await writeFile(join(root, 'gitconfig'), '');
  const gocache = join(fixturesDir(), 'go-build-cache');
  await mkdir(gocache, { recursive: true });
  const env = gitEnv({
    ...process.env,
    GOPROXY: `file://${proxyDir}`,
    GOSUMDB: 'off',
    GOFLAGS: '-mod=mod -modcacherw',
    GOMODCACHE: join(root, 'modcache'),
    GOCACHE: gocache,
    GOTOOLCHAIN: 'local',
    GOPATH: join(root, 'gopath'),
  }, root);
  const repos = {} as Record<AnyFixtureName, string>;
  for (const name of names) repos[name] = await makeRepo(join(root, 'repos', name), FIXTURES[name], env);
  return { root, proxyDir, env, repos, dispose: () => rm(root, { recursive: true, force: true }) };
}
