// Test support (not shipped logic): a fake Go toolchain tree whose bin/go is a small sh script.
//   go version            -> "go version <version> linux/amd64"       (behaviour 'dead': exit 1)
//   go env GOROOT|GOPATH  -> the physical parent of its own bin dir, like the real go (unless $GOROOT)
//   go env -json          -> {"GOROOT": ...}
//   go build -o OUT .     -> OUT is a sh program printing the println("...") marker of main.go on stderr
//                            (where the runtime's builtin println writes)
//   go env GOVERSION      -> <version>
// Behaviours break one thing each, to reach every verify failure. With FAKE_GO_LOG set, `go build`
// appends its Go environment to that file (to check the offline build settings). The *-hangs
// behaviours block (a sleeping child, like a wrapper script would have) until killed; with
// FAKE_GO_PIDS set they append "<own pid> <child pid>" to that file first, so a test can check that
// both were stopped. 'crashes' answers every command with exit 139 (SIGSEGV). 'run-fails' builds a
// program that prints the marker and then exits 2 (a runtime that dies on the way out).

import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shQuote } from '../quote.ts';

export type FakeBehaviour =
  | 'ok'
  | 'dead'
  | 'crashes'
  | 'wrong-version'
  | 'wrong-goroot'
  | 'build-fails'
  | 'wrong-output'
  | 'run-fails'
  | 'version-hangs'
  | 'build-hangs'
  | 'run-hangs';

export function fakeGoScript(version: string, behaviour: FakeBehaviour = 'ok'): string {
  return `#!/bin/sh
# fake go for gofleet tests
V=${shQuote(version)}
B=${shQuote(behaviour)}
self=$0
while [ -L "$self" ]; do
  t=$(readlink "$self")
  case $t in /*) self=$t ;; *) self=$(dirname "$self")/$t ;; esac
done
root=$(cd -P "$(dirname "$self")/.." && pwd -P)
[ -n "\${GOROOT:-}" ] && root=$GOROOT
[ "$B" = crashes ] && { echo 'fake go: segmentation fault' >&2; exit 139; }
hang() {
  sleep 3600 &
  echo "$$ $!" >>"\${FAKE_GO_PIDS:-/dev/null}"
  wait
  exit 1
}
case $1 in
  version)
    [ "$B" = dead ] && { echo 'fake go: cannot execute' >&2; exit 1; }
    [ "$B" = version-hangs ] && hang
    [ "$B" = wrong-version ] && V=go0.0.1
    echo "go version $V linux/amd64"
    ;;
  env)
    shift
    if [ "\${1:-}" = -json ]; then printf '{\\n\\t"GOROOT": "%s"\\n}\\n' "$root"; exit 0; fi
    for k in "$@"; do
      case $k in
        GOROOT) if [ "$B" = wrong-goroot ]; then echo /opt/elsewhere/go; else echo "$root"; fi ;;
        GOPATH) echo "\${GOPATH:-$HOME/go}" ;;
        GOVERSION) echo "$V" ;;
        *) echo ;;
      esac
    done
    ;;
  build)
    if [ -n "\${FAKE_GO_LOG:-}" ]; then
      env | grep -E '^(GO[A-Z0-9_]*|CGO_ENABLED)=' | sort >>"$FAKE_GO_LOG"
      echo "PWD=$(pwd -P)" >>"$FAKE_GO_LOG"
    fi
    [ "$B" = build-fails ] && { echo './main.go:1:1: fake compile error' >&2; exit 1; }
    [ "$B" = build-hangs ] && hang
    out=a.out
    shift
    while [ $# -gt 0 ]; do
      case $1 in -o) out=$2; shift ;; esac
      shift
    done
    marker=$(sed -n 's/.*println("\\(.*\\)").*/\\1/p' main.go)
    [ "$B" = wrong-output ] && marker=something-else
    if [ "$B" = run-hangs ]; then
      printf '#!/bin/sh\\nsleep 3600\\n' >"$out"
    elif [ "$B" = run-fails ]; then
      printf '#!/bin/sh\\necho %s >&2\\nexit 2\\n' "$marker" >"$out"
    else
      printf '#!/bin/sh\\necho %s >&2\\n' "$marker" >"$out"
    fi
    chmod +x "$out"
    ;;
  *)
    echo "fake go: unknown command $1" >&2
    exit 2
    ;;
esac
`;
}

/** Write a fake toolchain tree at `dir` (dir/bin/go, dir/VERSION, a little of src/ and pkg/). */
export function writeFakeToolchain(dir: string, version: string, behaviour: FakeBehaviour = 'ok'): void {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'src', 'fmt'), { recursive: true });
  mkdirSync(join(dir, 'pkg', 'tool', 'linux_amd64'), { recursive: true });
  writeFileSync(join(dir, 'VERSION'), `${version}\ntime 2026-01-01T00:00:00Z\n`);
  writeFileSync(join(dir, 'src', 'fmt', 'print.go'), 'package fmt\n');
  writeFileSync(join(dir, 'pkg', 'tool', 'linux_amd64', 'compile'), '#!/bin/sh\nexit 0\n');
  writeFileSync(join(dir, 'bin', 'go'), fakeGoScript(version, behaviour));
  chmodSync(join(dir, 'bin', 'go'), 0o755);
  chmodSync(join(dir, 'pkg', 'tool', 'linux_amd64', 'compile'), 0o755);
}
