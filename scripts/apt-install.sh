#!/usr/bin/env bash
# Install Debian packages the benchmarks use (e.g. wrk), when possible; warn instead of failing otherwise.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if command -v apt-get >/dev/null; then
  $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq "$@" >/dev/null && exit 0
fi
echo "apt-install: could not install $*; install it with your package manager (the benchmark falls back where it can)" >&2
