#!/usr/bin/env bash
# Generate the aep SDKs from the plugin's schema with the CLI's own code generators (main.go beside this file):
#
#   scripts/codegen/generate.sh [LANGUAGE...]    # default: nodejs go python; prints the output root
#
# Writes build/sdk/schema.json (from `python -m pulumi_aep.plugin --schema`) and build/sdk/<language>/
# ($PULUMI_AEP_SDK_OUT instead of build/sdk when set). The codegen program is built once per content of
# main.go/go.mod/go.sum into the shared cache, under the same lock as the CLI build (with the CLI's module
# and build caches warm: about a minute the first time).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${PULUMI_AEP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aep}"
PY="${PULUMI_AEP_PYTHON:-$REPO/.venv/bin/python}"
OUT="${PULUMI_AEP_SDK_OUT:-$REPO/build/sdk}"
# shellcheck source=../go-build-lock.sh
. "$REPO/scripts/go-build-lock.sh"

die() { echo "codegen: error: $*" >&2; exit 1; }

build_codegen() { # prints the path of the codegen binary, building it when its sources changed
  local key bin
  key="$(cd "$HERE" && cat main.go go.mod go.sum | sha256sum | cut -c1-12)"
  bin="$CACHE/codegen-$key/codegen"
  if [ ! -x "$bin" ]; then
    command -v go >/dev/null 2>&1 || die "no Go toolchain (https://go.dev/dl/) to build scripts/codegen"
    go_build_lock
    if [ ! -x "$bin" ]; then
      echo "codegen: building scripts/codegen into $(dirname "$bin") (once)" >&2
      mkdir -p "$(dirname "$bin")"
      (cd "$HERE" && go build -buildvcs=false -o "$bin.tmp.$$" .) || die "building scripts/codegen failed"
      mv -f "$bin.tmp.$$" "$bin"
    fi
    exec 9>&-
  fi
  echo "$bin"
}

[ "$#" -gt 0 ] || set -- nodejs go python
[ -x "$PY" ] || die "$PY does not exist: run \`make venv\` first"
codegen="$(build_codegen)"
mkdir -p "$OUT"
"$PY" -m pulumi_aep.plugin --schema >"$OUT/schema.json.tmp"
mv -f "$OUT/schema.json.tmp" "$OUT/schema.json"
"$codegen" -schema "$OUT/schema.json" -out "$OUT" "$@"
echo "$OUT"
