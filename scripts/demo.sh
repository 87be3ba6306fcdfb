#!/usr/bin/env bash
# `make demo`: start the embedded Flow Service + IMS emulator in the background (state kept in
# .pulumi/emulator-state.json, so the stack survives a restart), configure the `demo` stack of the
# quickstart program for it, and run `pulumi up`. Run it again: the same connection, no changes.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PULUMI=scripts/pulumi
PORT="${AEP_EMULATOR_PORT:-8787}"
URL="http://127.0.0.1:${PORT}"
STACK="${DEMO_STACK:-demo}"
RUN_DIR=.pulumi
PIDFILE="$RUN_DIR/emulator.pid"

say() { printf '==> %s\n' "$*" >&2; }

emulator_healthy() {
  "$PY" - "$URL" <<'PYEOF' >/dev/null 2>&1
import sys, urllib.request
urllib.request.urlopen(sys.argv[1] + "/__emulator__/health", timeout=2).read()
PYEOF
}

start_emulator() {
  if emulator_healthy; then
    say "Emulator already running at $URL"
    return
  fi
  mkdir -p "$RUN_DIR"
  say "Starting the Flow Service + IMS emulator at $URL (log: $RUN_DIR/emulator.log)"
  nohup .venv/bin/aep-emulator serve --host 127.0.0.1 --port "$PORT" \
    --state-file "$RUN_DIR/emulator-state.json" >"$RUN_DIR/emulator.log" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 100); do
    emulator_healthy && return
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      cat "$RUN_DIR/emulator.log" >&2
      say "The emulator exited. Is port $PORT in use? Set AEP_EMULATOR_PORT to another port."
      exit 1
    fi
    sleep 0.2
  done
  say "The emulator did not answer at $URL within 20 s; see $RUN_DIR/emulator.log"
  exit 1
}

stop_emulator() {
  if [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    kill "$(cat "$PIDFILE")" && say "Emulator stopped"
  fi
  rm -f "$PIDFILE"
}

default() { "$PY" -c "from aep_emulator import defaults; print(defaults.$1)"; }

configure_stack() {
  "$PULUMI" stack select --create --non-interactive "$STACK" >/dev/null
  "$PULUMI" config set aep:platformUrl "$URL"
  "$PULUMI" config set aep:imsUrl "$URL"
  "$PULUMI" config set aep:clientId "$(default DEFAULT_CLIENT_ID)"
  "$PULUMI" config set aep:orgId "$(default DEFAULT_ORG_ID)"
  "$PULUMI" config set aep:sandboxName dev
  # Secrets are set once and stay encrypted in Pulumi.<stack>.yaml and in state.
  if ! "$PULUMI" config get aep:clientSecret >/dev/null 2>&1; then
    default DEFAULT_CLIENT_SECRET | "$PULUMI" config set --secret aep:clientSecret
  fi
  if ! "$PULUMI" config get connectionString >/dev/null 2>&1; then
    # A well-formed demo connection string with a random 64-byte account key.
    "$PY" -c 'import base64, os; print("DefaultEndpointsProtocol=https;AccountName=pulumiaepdemo;AccountKey=" + base64.b64encode(os.urandom(64)).decode() + ";EndpointSuffix=core.windows.net")' \
      | "$PULUMI" config set --secret connectionString
  fi
}

case "${1:-up}" in
  up)
    start_emulator
    configure_stack
    say "pulumi up (stack $STACK)"
    "$PULUMI" up --yes --stack "$STACK"
    echo
    echo "Connection id: $("$PULUMI" stack output connectionId --stack "$STACK")"
    echo "Etag:          $("$PULUMI" stack output etag --stack "$STACK")"
    echo
    say "Run 'make demo' again: no changes. 'make demo-down' destroys the stack and stops the emulator."
    ;;
  down)
    start_emulator
    "$PULUMI" destroy --yes --stack "$STACK" || true
    stop_emulator
    ;;
  stop-emulator)
    stop_emulator
    ;;
  *)
    echo "usage: $0 [up|down|stop-emulator]" >&2
    exit 2
    ;;
esac
