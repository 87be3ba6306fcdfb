#!/usr/bin/env bash
# Install or locate the Azurite blob storage emulator (npm package `azurite`), outside the repository.
#   scripts/azurite.sh install   install (idempotent) into the cache dir and print the binary path
#   scripts/azurite.sh path      print the binary path, exit 1 when it is not installed
set -euo pipefail

AZURITE_VERSION="${AZURITE_VERSION:-3.37.0}"
CACHE_DIR="${AZURITE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aep/azurite}"
BIN="$CACHE_DIR/node_modules/.bin/azurite-blob"

case "${1:-install}" in
  install)
    if [[ ! -x "$BIN" ]]; then
      command -v npm >/dev/null || { echo "npm not found: install Node.js first" >&2; exit 1; }
      mkdir -p "$CACHE_DIR"
      npm install --prefix "$CACHE_DIR" --no-audit --no-fund --silent "azurite@${AZURITE_VERSION}" >&2
    fi
    echo "$BIN"
    ;;
  path)
    [[ -x "$BIN" ]] || { echo "azurite not installed; run scripts/azurite.sh install" >&2; exit 1; }
    echo "$BIN"
    ;;
  *)
    echo "usage: $0 [install|path]" >&2
    exit 2
    ;;
esac
