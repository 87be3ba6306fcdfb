#!/usr/bin/env bash
# Make the pinned Pulumi CLI usable, reproducibly, and print the directory to put first on PATH.
#
#   PULUMI_BIN_DIR=$(scripts/ensure-pulumi.sh)     # last stdout line; everything else goes to stderr
#
# 1. Find a CLI: a `pulumi` on PATH at least PULUMI_VERSION (not one of ours), else build it from the Go module
#    proxy into a cache outside the repo (first build: ~5-10 min on 2 cores; later runs: about a second).
#    Without `pulumi` and without `go`, say how to install the CLI and fail.
# 2. Install a shims dir, keyed by CLI version and a content hash of our language host + this script, holding:
#      pulumi                          the CLI (a hard link/copy, so it finds its bundled plugins beside it)
#      pulumi-language-python          launcher for our own language host (scripts/langhost, copied here)
#      pulumi-resource-pulumi-python   launcher for dynamic providers: python -u -m pulumi.dynamic
#    A CLI from a full Pulumi install already has those plugins beside it; then the shims dir only links it.
#
# Environment:
#   PULUMI_AEP_CACHE          cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aep)
#   PULUMI_AEP_QUIET=1        say nothing when everything is already cached (a build still shows progress)
#   PULUMI_AEP_BUILD=1        ignore any pulumi on PATH and use the CLI built from source
set -euo pipefail

PULUMI_VERSION=3.274.1
# The Pulumi CLI's go.mod pins this fork of atotto/clipboard with a replace directive; a module that builds
# the CLI must repeat it, since replace directives of dependencies are ignored.
CLIPBOARD_REPLACE="github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${PULUMI_AEP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aep}"
BUILD_DIR="$CACHE/pulumi-v$PULUMI_VERSION"
BUILT_BIN="$BUILD_DIR/bin/pulumi"
QUIET="${PULUMI_AEP_QUIET:-0}"

say() { [ "$QUIET" = 1 ] || echo "ensure-pulumi: $*" >&2; }
shout() { echo "ensure-pulumi: $*" >&2; }
die() { echo "ensure-pulumi: error: $*" >&2; exit 1; }

version_at_least() { # version_at_least HAVE WANT
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

resolve() { readlink -f -- "$1"; }

is_ours() { # a pulumi that is one of our shims, our build, or the scripts/pulumi wrapper
  local real
  real="$(resolve "$1")"
  case "$real" in "$(resolve "$CACHE" 2>/dev/null || echo "$CACHE")"/*) return 0 ;; esac
  head -c 4096 -- "$real" 2>/dev/null | grep -q "pulumi-aep wrapper" && return 0
  return 1
}

find_path_pulumi() { # prints the first usable pulumi on PATH, if any
  [ "${PULUMI_AEP_BUILD:-0}" = 1 ] && return 0
  local candidate have
  while IFS= read -r candidate; do
    [ -n "$candidate" ] || continue
    is_ours "$candidate" && continue
    have="$("$candidate" version 2>/dev/null | head -n1 | sed 's/^v//')" || continue
    if [ -n "$have" ] && version_at_least "$have" "$PULUMI_VERSION"; then
      echo "$candidate"
      return 0
    fi
    say "ignoring $candidate (version '${have:-unknown}' < $PULUMI_VERSION)"
  done < <(type -ap pulumi 2>/dev/null || true)
}

write_module() { # the throwaway Go module that builds the CLI
  mkdir -p "$BUILD_DIR/src"
  cat >"$BUILD_DIR/src/go.mod" <<EOF
module pulumiaep/engine

go 1.26.6

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)

replace $CLIPBOARD_REPLACE
EOF
  cat >"$BUILD_DIR/src/tools.go" <<'EOF'
//go:build tools

// Package tools pins the Pulumi CLI's main package so `go mod tidy` keeps its dependencies.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
EOF
}

progress() { # progress LABEL UNIT TOTAL LOG: count lines of a go command's output, with a heartbeat
  local label="$1" unit="$2" total="$3" log="$4" n=0 line last=$SECONDS start=$SECONDS
  : >"$log"
  while true; do
    if IFS= read -r -t 30 line; then
      echo "$line" >>"$log"
      n=$((n + 1))
      if [ $((n % 100)) -eq 0 ] || [ $((SECONDS - last)) -ge 30 ]; then
        shout "$label: $n${total:+/$total} $unit, $((SECONDS - start))s elapsed (last: ${line##* })"
        last=$SECONDS
      fi
    elif [ $? -gt 128 ]; then
      shout "$label: still working ($n${total:+/$total} $unit, $((SECONDS - start))s elapsed)"
      last=$SECONDS
    else
      break
    fi
  done
  shout "$label: done ($n $unit, $((SECONDS - start))s)"
}

build_cli() {
  command -v go >/dev/null 2>&1 || die "no Pulumi CLI >= $PULUMI_VERSION on PATH and no Go toolchain to build one.
  Install the Pulumi CLI the usual way (https://www.pulumi.com/docs/install/):
      curl -fsSL https://get.pulumi.com | sh
  or install Go (https://go.dev/dl/) and re-run this script to build v$PULUMI_VERSION from source."
  mkdir -p "$CACHE"
  local lock="$CACHE/.build-v$PULUMI_VERSION.lock"
  exec 9>"$lock"
  if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
    shout "another build of pulumi v$PULUMI_VERSION is running; waiting for it"
    flock 9
  fi
  if [ -x "$BUILT_BIN" ]; then exec 9>&-; return 0; fi

  shout "building the Pulumi CLI v$PULUMI_VERSION from Go modules into $BUILD_DIR"
  shout "(first time only: expect 5-10 minutes on 2 cores; logs in $BUILD_DIR/*.log)"
  write_module
  local tmp="$BUILD_DIR/bin/.pulumi.tmp.$$"
  mkdir -p "$BUILD_DIR/bin"
  (
    cd "$BUILD_DIR/src"
    export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
    set +e
    go mod tidy 2>&1 | progress "resolving modules" "lines of output" "" "$BUILD_DIR/tidy.log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || { tail -n 30 "$BUILD_DIR/tidy.log" >&2; exit 1; }
    # -v names each package as it is compiled (all of them cached: none); the total is for the display only.
    total="$(go list -deps github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>/dev/null | wc -l)" || total=""
    go build -v -buildvcs=false \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
      -o "$tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>&1 | progress "compiling" "packages" "$total" "$BUILD_DIR/build.log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || { tail -n 30 "$BUILD_DIR/build.log" >&2; rm -f "$tmp"; exit 1; }
  ) || die "building the Pulumi CLI failed (see above and $BUILD_DIR/*.log)"
  "$tmp" version >/dev/null 2>&1 || { rm -f "$tmp"; die "the freshly built CLI does not run"; }
  mv -f "$tmp" "$BUILT_BIN"
  exec 9>&-
  shout "built $BUILT_BIN ($("$BUILT_BIN" version))"
}

langhost_hash() { # content hash of what ends up in the shims dir: our language host and this script
  (
    cd "$REPO/scripts"
    find langhost -type f -name '*.py' -not -path '*/__pycache__/*' | LC_ALL=C sort | xargs sha256sum
    sha256sum ensure-pulumi.sh
    echo "cli=$1"
  ) | sha256sum | cut -c1-8
}

write_langhost_launcher() {
  cat >"$1/pulumi-language-python" <<'EOF'
#!/usr/bin/env bash
# pulumi-aep: starts our Python language host (a copy of scripts/langhost beside this file).
# Its interpreter needs grpcio and pulumi: $PULUMI_AEP_LANGHOST_PYTHON, else $PULUMI_PYTHON_CMD, else python3.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "${PULUMI_AEP_LANGHOST_PYTHON:-${PULUMI_PYTHON_CMD:-python3}}" -u "$here/langhost" "$@"
EOF
  chmod +x "$1/pulumi-language-python"
}

write_dynamic_launcher() {
  cat >"$1/pulumi-resource-pulumi-python" <<'EOF'
#!/usr/bin/env bash
# pulumi-aep: serves Python dynamic providers (python -u -m pulumi.dynamic), in the interpreter Pulumi would
# use: the project's virtualenv (runtime option, passed as PULUMI_RUNTIME_VIRTUALENV; relative paths are
# taken from the project root, the nearest directory up from ours with a Pulumi.yaml), else
# $PULUMI_PYTHON_CMD, else python3.
set -eu
venv="${PULUMI_RUNTIME_VIRTUALENV:-}"
if [ -z "$venv" ] && [ "${PULUMI_RUNTIME_TOOLCHAIN:-}" = uv ]; then venv=.venv; fi
if [ -n "$venv" ]; then
  venv="${venv%/}"
  case "$venv" in
    /*) ;;
    *)
      # Relative to the project root: the nearest directory up from ours (the program's, which `main:`
      # may put below the root) that holds this virtualenv; else the nearest with a Pulumi.yaml.
      root="$PWD"
      while [ "$root" != / ] && [ ! -x "$root/$venv/bin/python" ]; do root="$(dirname "$root")"; done
      if [ ! -x "$root/$venv/bin/python" ]; then
        root="$PWD"
        while [ "$root" != / ] && [ ! -f "$root/Pulumi.yaml" ] && [ ! -f "$root/Pulumi.yml" ]; do
          root="$(dirname "$root")"
        done
        [ -f "$root/Pulumi.yaml" ] || [ -f "$root/Pulumi.yml" ] || root="$PWD"
      fi
      venv="$root/$venv"
      ;;
  esac
  if [ ! -x "$venv/bin/python" ]; then
    echo "pulumi-resource-pulumi-python: the virtualenv '$venv' has no bin/python; create it first" >&2
    exit 1
  fi
  export VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH"
  python="$venv/bin/python"
else
  python="${PULUMI_PYTHON_CMD:-python3}"
fi
# run_module.py = `python -m pulumi.dynamic`, plus exiting when the CLI dies instead of serving forever.
exec "$python" -u "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/langhost/run_module.py" pulumi.dynamic "$@"
EOF
  chmod +x "$1/pulumi-resource-pulumi-python"
}

install_shims() { # install_shims CLI MODE -> prints the shims dir
  local cli="$1" mode="$2" key dir tmp
  key="$(langhost_hash "$mode:$(resolve "$cli")")"
  dir="$CACHE/shims-v$PULUMI_VERSION-$key"
  if [ -f "$dir/.complete" ]; then echo "$dir"; return 0; fi
  mkdir -p "$CACHE"
  tmp="$(mktemp -d "$CACHE/.shims-tmp.XXXXXX")"
  chmod 755 "$tmp"
  if [ "$mode" = bundled ]; then
    # A full Pulumi install: its own plugins sit beside the real binary, which a symlink resolves to.
    ln -s "$(resolve "$cli")" "$tmp/pulumi"
  else
    ln "$(resolve "$cli")" "$tmp/pulumi" 2>/dev/null || cp "$(resolve "$cli")" "$tmp/pulumi"
    mkdir -p "$tmp/langhost"
    (cd "$REPO/scripts/langhost" && find . -type f -name '*.py' -not -path '*/__pycache__/*' \
      -exec cp --parents {} "$tmp/langhost/" \;)
    write_langhost_launcher "$tmp"
    write_dynamic_launcher "$tmp"
  fi
  echo "cli=$(resolve "$cli") mode=$mode version=$PULUMI_VERSION" >"$tmp/.complete"
  if ! mv -T "$tmp" "$dir" 2>/dev/null; then
    rm -rf "$tmp" # another run installed the same shims first
  fi
  [ -f "$dir/.complete" ] || die "could not install shims into $dir"
  say "installed shims in $dir ($mode)"
  echo "$dir"
}

main() {
  local cli mode
  cli="$(find_path_pulumi)"
  if [ -n "$cli" ]; then
    mode=external
    if [ -x "$(dirname "$(resolve "$cli")")/pulumi-language-python" ]; then mode=bundled; fi
    say "using $cli ($("$cli" version 2>/dev/null), $mode)"
  else
    [ -x "$BUILT_BIN" ] || build_cli
    cli="$BUILT_BIN"
    mode=built
    say "using $cli ($("$cli" version 2>/dev/null), built from source)"
  fi
  install_shims "$cli" "$mode"
}

# On one line so that editing this file while it runs cannot make bash read on into changed text.
main "$@"; exit
