# Sourced by the scripts that run `go build` on the shared cache (ensure-pulumi.sh, codegen/generate.sh):
# one Go build at a time on the cache, whichever checkout starts it (2 cores; two builds of the same module
# would also race on its output). Needs $CACHE; holds the lock on fd 9 until `exec 9>&-` or exit.
go_build_lock() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.build-go.lock"
  if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
    echo "${0##*/}: another Go build is running on $CACHE; waiting for it" >&2
    flock 9
  fi
}
