// The `go/bin/go` of a fake toolchain: a POSIX sh script (dash, busybox, macOS sh) that answers
//   go version                -> "go version <reported> <os>/<arch>"
//   go env [-json] [NAME...]  -> GOROOT = the parent of the script's own resolved directory
//                                (as the real go reports the path behind a goroot symlink), unless $GOROOT is set
//   go build [-o OUT] [PKG]   -> OUT is a small sh program printing the first Println("...") or println("...") of PKG's .go files
//   go run [PKG]              -> prints that message
//   go mod init PATH          -> writes go.mod; other `go mod` commands, vet, test: exit 0
// `buildFails` makes build/run/vet/test exit 1 with a compiler-like message.

export interface FakeGoOptions {
  /** what `go version` and GOVERSION report */
  reported: string;
  os: string;
  arch: string;
  buildFails: boolean;
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function fakeGoScript(o: FakeGoOptions): string {
  return `#!/bin/sh
# A fake go command for gofleet tests (test/harness/fake-go-script.ts). Not a Go toolchain.
GOFAKE_VERSION=${q(o.reported)}
GOFAKE_OS=${q(o.os)}
GOFAKE_ARCH=${q(o.arch)}
GOFAKE_BUILD_FAILS=${o.buildFails ? 1 : 0}

self=$0
case $self in */*) ;; *) self=$(command -v "$self") || exit 127 ;; esac
while [ -L "$self" ]; do
  link=$(readlink "$self")
  case $link in /*) self=$link ;; *) self=$(dirname "$self")/$link ;; esac
done
FAKE_GOROOT=$(cd -P "$(dirname "$self")/.." && pwd -P)
[ -n "\${GOROOT:-}" ] && FAKE_GOROOT=$GOROOT

env_value() {
  case $1 in
    GOROOT) printf '%s' "$FAKE_GOROOT" ;;
    GOVERSION) printf '%s' "$GOFAKE_VERSION" ;;
    GOOS|GOHOSTOS) printf '%s' "$GOFAKE_OS" ;;
    GOARCH|GOHOSTARCH) printf '%s' "$GOFAKE_ARCH" ;;
    GOPATH) printf '%s' "\${GOPATH:-$HOME/go}" ;;
    GOMODCACHE) printf '%s' "\${GOMODCACHE:-\${GOPATH:-$HOME/go}/pkg/mod}" ;;
    GOCACHE) printf '%s' "\${GOCACHE:-$HOME/.cache/go-build}" ;;
    GOTOOLCHAIN) printf '%s' "\${GOTOOLCHAIN:-auto}" ;;
    GOFLAGS) printf '%s' "\${GOFLAGS:-}" ;;
    GOPROXY) printf '%s' "\${GOPROXY:-https://proxy.golang.org,direct}" ;;
    GOSUMDB) printf '%s' "\${GOSUMDB:-sum.golang.org}" ;;
    GOTOOLDIR) printf '%s' "$FAKE_GOROOT/pkg/tool/\${GOFAKE_OS}_\${GOFAKE_ARCH}" ;;
  esac
}
ALL_VARS='GOARCH GOCACHE GOFLAGS GOHOSTARCH GOHOSTOS GOMODCACHE GOOS GOPATH GOPROXY GOROOT GOSUMDB GOTOOLCHAIN GOTOOLDIR GOVERSION'

json_string() { printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\\\/\\\\\\\\/g' -e 's/"/\\\\"/g')"; }

cmd_env() {
  json=0; names=''
  for a in "$@"; do
    case $a in -json) json=1 ;; -*) ;; *) names="$names $a" ;; esac
  done
  listed=1
  [ -n "$names" ] || { names=$ALL_VARS; listed=0; }
  if [ $json = 1 ]; then
    printf '{'; sep=''
    for n in $names; do printf '%s\\n\\t"%s": %s' "$sep" "$n" "$(json_string "$(env_value "$n")")"; sep=','; done
    printf '\\n}\\n'
  elif [ $listed = 1 ]; then
    for n in $names; do printf '%s\\n' "$(env_value "$n")"; done
  else
    for n in $names; do printf "%s='%s'\\n" "$n" "$(env_value "$n")"; done
  fi
}

fail_build() {
  echo '# command-line-arguments' >&2
  echo './main.go:1:1: fake compile error (gofleet fixture: build-fails)' >&2
  exit 1
}

# parse build/run arguments: sets out (may be empty) and target (dir or .go file)
parse_build_args() {
  out=''; target=''
  while [ $# -gt 0 ]; do
    case $1 in
      -o) out=$2; shift ;;
      -o=*) out=\${1#-o=} ;;
      -ldflags|-gcflags|-asmflags|-tags|-mod|-modfile|-p|-buildmode|-compiler|-installsuffix|-pkgdir|-toolexec|-overlay|-pgo) shift ;;
      --) ;;
      -*) ;;
      *) [ -z "$target" ] && target=$1 ;;
    esac
    shift
  done
  [ -n "$target" ] || target=.
}

hello_message() {
  case $target in *.go) dir=$(dirname "$target") ;; *) dir=$target ;; esac
  msg=$(cat "$dir"/*.go 2>/dev/null | sed -n 's/.*[Pp]rintln("\\([^"]*\\)").*/\\1/p' | head -n 1)
  [ -n "$msg" ] || msg='hello, world'
  printf '%s' "$msg"
}

default_output() {
  case $target in
    *.go) basename "$target" .go ;;
    *) mod=$(sed -n 's/^module[[:space:]]*//p' "$target/go.mod" 2>/dev/null | head -n 1)
       if [ -n "$mod" ]; then basename "$mod"; else basename "$(cd "$target" && pwd -P)"; fi ;;
  esac
}

cmd_build() {
  parse_build_args "$@"
  [ $GOFAKE_BUILD_FAILS = 1 ] && fail_build
  [ -n "$out" ] || out=$(default_output)
  [ -d "$out" ] && out=$out/$(default_output)
  msg=$(hello_message)
  { echo '#!/bin/sh'; echo "cat <<'GOFAKE_EOF'"; printf '%s\\n' "$msg"; echo 'GOFAKE_EOF'; } > "$out" || exit 1
  chmod 755 "$out"
}

cmd_run() {
  parse_build_args "$@"
  [ $GOFAKE_BUILD_FAILS = 1 ] && fail_build
  printf '%s\\n' "$(hello_message)"
}

cmd_mod() {
  case \${1:-} in
    init)
      [ -n "\${2:-}" ] || { echo 'go: cannot determine module path for source directory' >&2; exit 1; }
      [ -e go.mod ] && { echo 'go: go.mod already exists' >&2; exit 1; }
      printf 'module %s\\n\\ngo %s\\n' "$2" "\${GOFAKE_VERSION#go}" > go.mod
      echo "go: creating new go.mod: module $2" >&2 ;;
    *) ;;
  esac
}

cmd=\${1:-}
[ $# -gt 0 ] && shift
case $cmd in
  version) echo "go version $GOFAKE_VERSION $GOFAKE_OS/$GOFAKE_ARCH" ;;
  env) cmd_env "$@" ;;
  build|install) cmd_build "$@" ;;
  run) cmd_run "$@" ;;
  mod) cmd_mod "$@" ;;
  vet|test) [ $GOFAKE_BUILD_FAILS = 1 ] && fail_build; exit 0 ;;
  '') echo 'Go is a tool for managing Go source code.' >&2; exit 2 ;;
  *) echo "go $cmd: unknown command" >&2; echo "Run 'go help' for usage." >&2; exit 2 ;;
esac
`;
}
