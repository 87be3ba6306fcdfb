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
#   PULUMI_AEP_CACHE   holds the pex tool and built archives keyed by a hash of what goes into them
#                      (default ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aep): an unchanged tree is not rebuilt
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

# The versions of the dependencies: exactly those of the checkout's virtualenv (what `make test` ran with),
# as pex constraints. Left to itself pex takes the newest of each, which can be a set no release fits together
# (e.g. opentelemetry-api 1.45.3 published while opentelemetry-sdk 1.45.2, which pulumi needs, pins api==1.45.2)
# and fails to resolve. Without a virtualenv (a bare checkout), pex resolves from pyproject.toml alone.
CONSTRAINTS="$(mktemp)"
trap 'rm -f "$CONSTRAINTS"' EXIT
if [ -x "$REPO/.venv/bin/python" ]; then
  "$REPO/.venv/bin/python" -m pip freeze --exclude-editable 2>/dev/null | grep -E '^[A-Za-z0-9._-]+==' >"$CONSTRAINTS" || true
fi

# What goes into the archive: the package sources, pyproject.toml (version, dependencies) and LICENSE, plus
# the pinned versions, this script and the interpreter it targets. Same inputs, same archive: reuse it.
source_hash() {
  (
    cd "$REPO"
    git ls-files -s -- provider pyproject.toml LICENSE scripts/plugin-archive.sh 2>/dev/null ||
      find provider pyproject.toml LICENSE scripts/plugin-archive.sh -type f -exec sha256sum {} +
    # Uncommitted edits count too: hash the working-tree contents of tracked files.
    git ls-files -z -- provider pyproject.toml LICENSE 2>/dev/null | xargs -0 -r sha256sum
    cat "$CONSTRAINTS"
    "$PYTHON" -c 'import sys; print(sys.version)'
    echo "pex $PEX_VERSION"
  ) | sha256sum | cut -c1-16
}
BUILT="$CACHE/plugin-archives/$version-$(source_hash).tar.gz"

build() { # the pex zipapp and LICENSE, tarred as the engine expects; kept in the cache by source hash
  [ -f "$PEX_TOOL/.complete" ] || install_pex
  stage="$(mktemp -d)" # global: the EXIT trap runs after this function has returned
  trap 'rm -rf "${stage:-}" "$CONSTRAINTS"' EXIT
  say "building pulumi-resource-aep v$version (pex: pulumi-aep and its dependencies)"
  # --venv: on first run pex lays the zipapp out as a virtualenv in PEX_ROOT, so later starts skip the
  # unzip and `-m`-style imports behave as in a normal install.
  "$PEX_TOOL/bin/pex" "$REPO" \
    --entry-point pulumi_aep.plugin \
    --venv \
    --constraints "$CONSTRAINTS" \
    --python "$PYTHON" \
    --output-file "$stage/pulumi-resource-aep" >&2
  cp "$REPO/LICENSE" "$stage/LICENSE"
  tar -C "$stage" -czf "$archive.tmp" pulumi-resource-aep LICENSE
  mv -f "$archive.tmp" "$archive"
  mkdir -p "$CACHE/plugin-archives"
  rm -f "$CACHE/plugin-archives/$version-"*.tar.gz # keep one: the newest build
  cp -f "$archive" "$BUILT.tmp" && mv -f "$BUILT.tmp" "$BUILT"
  say "built $archive"
}

mkdir -p "$DIST"
if [ -f "$BUILT" ]; then
  say "reusing $BUILT (same sources)"
  cp -f "$BUILT" "$archive"
else
  build
fi
if [ "${1:-}" = --install ]; then
  "$REPO/scripts/pulumi" plugin install resource aep "$version" -f "$archive" --reinstall >&2
fi
echo "$archive"
