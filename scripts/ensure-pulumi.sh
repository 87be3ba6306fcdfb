#!/usr/bin/env bash
# Make the pinned Pulumi CLI usable, reproducibly, and print the directory to put first on PATH.
#
#   PULUMI_BIN_DIR=$(scripts/ensure-pulumi.sh)     # last stdout line; everything else goes to stderr
#
# 1. Find a CLI: a `pulumi` on PATH at least PULUMI_VERSION (not one of ours), else build it from the Go module
#    proxy into a cache outside the repo (first build: ~5-10 min on 2 cores; later runs: about a second).
#    Without `pulumi` and without `go`, say how to install the CLI and fail.
# 2. Build the pinned YAML language host (pulumi-yaml's cmd/pulumi-language-yaml) the same way, cached beside
#    the CLI (first build: about a minute with the CLI's module cache warm). Only one Go build runs at a time
#    on this cache, whichever checkout asks (a flock on the cache).
# 3. Install a shims dir, keyed by CLI version and a content hash of our language host + this script, holding:
#      pulumi                          the CLI (a hard link/copy, so it finds its bundled plugins beside it)
#      pulumi-language-python          launcher for our own language host (scripts/langhost, copied here)
#      pulumi-language-yaml            the YAML language host built in step 2
#      pulumi-resource-pulumi-python   launcher for dynamic providers: python -u -m pulumi.dynamic
#      pulumi-resource-aep             launcher for the plugin of the checkout named by $PULUMI_AEP_REPO
#                                      (scripts/pulumi sets it): $PULUMI_AEP_REPO/.venv/bin/python -m pulumi_aep.plugin
#    A CLI from a full Pulumi install already has the language hosts beside it; then the shims dir links it and
#    adds only pulumi-resource-aep.
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
# shellcheck source=go-build-lock.sh
. "$REPO/scripts/go-build-lock.sh"
CACHE="${PULUMI_AEP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aep}"
BUILD_DIR="$CACHE/pulumi-v$PULUMI_VERSION"
BUILT_BIN="$BUILD_DIR/bin/pulumi"
YAML_VERSION=1.25.0
YAML_BUILD_DIR="$CACHE/pulumi-language-yaml-v$YAML_VERSION"
YAML_BIN="$YAML_BUILD_DIR/bin/pulumi-language-yaml"
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

write_module() { # write_module DIR MAIN_PACKAGE REQUIRE...: the throwaway Go module that builds one binary
  local dir="$1" main_pkg="$2" req
  shift 2
  mkdir -p "$dir/src"
  {
    printf 'module pulumiaep/build\n\ngo 1.26.6\n\nrequire (\n'
    for req in "$@"; do printf '\t%s\n' "$req"; done
    printf ')\n\nreplace %s\n' "$CLIPBOARD_REPLACE"
  } >"$dir/src/go.mod"
  cat >"$dir/src/tools.go" <<EOF
//go:build tools

// Package tools pins the main package so \`go mod tidy\` keeps its dependencies.
package tools

import _ "$main_pkg"
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

go_build() { # go_build LABEL DIR OUT MAIN_PACKAGE LDFLAGS REQUIRE...: build one binary into OUT, with progress
  local label="$1" dir="$2" out="$3" main_pkg="$4" ldflags="$5"
  shift 5
  shout "building $label from Go modules into $dir (first time only; logs in $dir/*.log)"
  write_module "$dir" "$main_pkg" "$@"
  local tmp="$out.tmp.$$"
  mkdir -p "$(dirname "$out")"
  (
    cd "$dir/src"
    export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
    set +e
    go mod tidy 2>&1 | progress "$label: resolving modules" "lines of output" "" "$dir/tidy.log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || { tail -n 30 "$dir/tidy.log" >&2; exit 1; }
    # -v names each package as it is compiled (all of them cached: none); the total is for the display only.
    total="$(go list -deps "$main_pkg" 2>/dev/null | wc -l)" || total=""
    go build -v -buildvcs=false -ldflags "$ldflags" -o "$tmp" "$main_pkg" 2>&1 \
      | progress "$label: compiling" "packages" "$total" "$dir/build.log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || { tail -n 30 "$dir/build.log" >&2; rm -f "$tmp"; exit 1; }
  ) || die "building $label failed (see above and $dir/*.log)"
  mv -f "$tmp" "$out"
  shout "built $out"
}

need_go() { # need_go WHAT: fail with install advice when there is no Go toolchain
  command -v go >/dev/null 2>&1 && return 0
  die "no Go toolchain to build $1.
  Install the Pulumi CLI the usual way (https://www.pulumi.com/docs/install/):
      curl -fsSL https://get.pulumi.com | sh
  or install Go (https://go.dev/dl/) and re-run this script to build it from source."
}

build_cli() {
  need_go "the Pulumi CLI v$PULUMI_VERSION (none >= $PULUMI_VERSION on PATH)"
  go_build_lock
  if [ -x "$BUILT_BIN" ]; then exec 9>&-; return 0; fi
  shout "(the CLI: expect 5-10 minutes on 2 cores)"
  go_build "the Pulumi CLI v$PULUMI_VERSION" "$BUILD_DIR" "$BUILT_BIN" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    "github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION"
  "$BUILT_BIN" version >/dev/null 2>&1 || { rm -f "$BUILT_BIN"; die "the freshly built CLI does not run"; }
  exec 9>&-
  shout "the CLI: $("$BUILT_BIN" version)"
}

build_yaml_host() {
  need_go "the YAML language host v$YAML_VERSION"
  go_build_lock
  if [ -x "$YAML_BIN" ]; then exec 9>&-; return 0; fi
  go_build "the YAML language host v$YAML_VERSION" "$YAML_BUILD_DIR" "$YAML_BIN" \
    github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml \
    "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$YAML_VERSION" \
    "github.com/pulumi/pulumi-yaml v$YAML_VERSION"
  exec 9>&-
}

langhost_hash() { # content hash of what ends up in the shims dir: our language host and this script
  (
    cd "$REPO/scripts"
    find langhost -type f -name '*.py' -not -path '*/__pycache__/*' | LC_ALL=C sort | xargs sha256sum
    sha256sum ensure-pulumi.sh
    echo "cli=$1 yaml=$2"
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

write_plugin_launcher() {
  cat >"$1/pulumi-resource-aep" <<'EOF'
#!/usr/bin/env bash
# pulumi-aep: serves the working tree's provider plugin (python -u -m pulumi_aep.plugin). This shims dir is
# shared by every checkout with the same CLI and language host, so the checkout comes from $PULUMI_AEP_REPO,
# which scripts/pulumi sets; its interpreter is $PULUMI_AEP_PLUGIN_PYTHON, else $PULUMI_AEP_REPO/.venv/bin/python.
set -eu
repo="${PULUMI_AEP_REPO:-}"
python="${PULUMI_AEP_PLUGIN_PYTHON:-${repo:+$repo/.venv/bin/python}}"
if [ -z "$python" ]; then
  echo "pulumi-resource-aep: PULUMI_AEP_REPO is not set: run the CLI through the checkout's scripts/pulumi," \
    "or install the released plugin (make plugin; pulumi plugin install resource aep VERSION -f ARCHIVE)" >&2
  exit 1
fi
if [ ! -x "$python" ]; then
  echo "pulumi-resource-aep: $python does not exist: run \`make venv\` in ${repo:-the checkout}" >&2
  exit 1
fi
# run_module.py = `python -m pulumi_aep.plugin`, plus exiting when the CLI dies instead of serving forever.
exec "$python" -u "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/langhost/run_module.py" pulumi_aep.plugin "$@"
EOF
  chmod +x "$1/pulumi-resource-aep"
}

install_shims() { # install_shims CLI MODE YAML_HOST -> prints the shims dir
  local cli="$1" mode="$2" yaml="$3" key dir tmp
  key="$(langhost_hash "$mode:$(resolve "$cli")" "$yaml")"
  dir="$CACHE/shims-v$PULUMI_VERSION-$key"
  if [ -f "$dir/.complete" ]; then echo "$dir"; return 0; fi
  mkdir -p "$CACHE"
  tmp="$(mktemp -d "$CACHE/.shims-tmp.XXXXXX")"
  chmod 755 "$tmp"
  mkdir -p "$tmp/langhost"
  (cd "$REPO/scripts/langhost" && find . -type f -name '*.py' -not -path '*/__pycache__/*' \
    -exec cp --parents {} "$tmp/langhost/" \;)
  write_plugin_launcher "$tmp"
  if [ "$mode" = bundled ]; then
    # A full Pulumi install: its own plugins sit beside the real binary, which a symlink resolves to.
    ln -s "$(resolve "$cli")" "$tmp/pulumi"
  else
    ln "$(resolve "$cli")" "$tmp/pulumi" 2>/dev/null || cp "$(resolve "$cli")" "$tmp/pulumi"
    ln "$yaml" "$tmp/pulumi-language-yaml" 2>/dev/null || cp "$yaml" "$tmp/pulumi-language-yaml"
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
  local yaml=""
  if [ "$mode" != bundled ]; then
    [ -x "$YAML_BIN" ] || build_yaml_host
    yaml="$YAML_BIN"
  fi
  install_shims "$cli" "$mode" "$yaml"
}

# On one line so that editing this file while it runs cannot make bash read on into changed text.
main "$@"; exit
