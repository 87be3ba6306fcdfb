#!/usr/bin/env bash
# Build the provider plugin as a released provider ships it, and print the archive's path:
#
#   scripts/plugin-archive.sh            ->  dist/pulumi-resource-aep-v<version>-linux-amd64.tar.gz
#   pulumi plugin install resource aep <version> -f dist/pulumi-resource-aep-v<version>-linux-amd64.tar.gz
#   scripts/plugin-archive.sh --install  builds it and runs that install through scripts/pulumi (this
#                                        checkout's PULUMI_HOME, unless PULUMI_HOME is set)
#
# The archive holds one executable, `pulumi-resource-aep`: a PEX zipapp (pex, the packaging tool Pants and
# others build on) of pulumi-aep and its runtime dependencies (pulumi, grpcio, requests, ...) for this
# machine's CPython, with `python -m pulumi_aep.plugin` as its entry point. It needs only a python3 of the same
# minor version on PATH, not this checkout or its virtualenv; on first start pex unpacks it once into
# $PEX_ROOT (default ~/.cache/pex). A launcher plus a bundled virtualenv would not survive being moved
# (virtualenvs hard-code their path), and a frozen binary (PyInstaller) is ten times larger to build.
#
# Environment:
#   PULUMI_AEP_DIST    where the archive goes (default: dist/ of this checkout)
#   PULUMI_AEP_CACHE   holds the pex tool (default ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aep)
set -euo pipefail

PEX_VERSION=2.105.2
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${PULUMI_AEP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aep}"
PEX_TOOL="$CACHE/tools/pex-$PEX_VERSION"
PYTHON="${PYTHON:-python3}"

say() { echo "plugin-archive: $*" >&2; }

version="$("$PYTHON" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' \
  "$REPO/pyproject.toml")"
DIST="${PULUMI_AEP_DIST:-$REPO/dist}"
archive="$DIST/pulumi-resource-aep-v$version-linux-amd64.tar.gz"

install_pex() { # into its own virtualenv in the cache, once; a lock keeps two checkouts from racing
  mkdir -p "$CACHE/tools"
  exec 8>"$CACHE/tools/.pex.lock"
  flock 8
  if [ ! -f "$PEX_TOOL/.complete" ]; then
    say "installing pex $PEX_VERSION into $PEX_TOOL (once)"
    rm -rf "$PEX_TOOL"
    "$PYTHON" -m venv "$PEX_TOOL"
    "$PEX_TOOL/bin/python" -m pip install --quiet "pex==$PEX_VERSION"
    touch "$PEX_TOOL/.complete"
  fi
  exec 8>&-
}

[ -f "$PEX_TOOL/.complete" ] || install_pex

mkdir -p "$DIST"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
say "building pulumi-resource-aep v$version (pex: pulumi-aep and its dependencies)"
# --venv: on first run pex lays the zipapp out as a virtualenv in PEX_ROOT, so later starts skip the unzip
# and `-m`-style imports behave as in a normal install.
"$PEX_TOOL/bin/pex" "$REPO" \
  --entry-point pulumi_aep.plugin \
  --venv \
  --python "$PYTHON" \
  --output-file "$stage/pulumi-resource-aep" >&2
cp "$REPO/LICENSE" "$stage/LICENSE"
tar -C "$stage" -czf "$archive.tmp" pulumi-resource-aep LICENSE
mv -f "$archive.tmp" "$archive"
say "built $archive"
if [ "${1:-}" = --install ]; then
  "$REPO/scripts/pulumi" plugin install resource aep "$version" -f "$archive" --reinstall >&2
fi
echo "$archive"
