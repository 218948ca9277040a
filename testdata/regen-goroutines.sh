#!/usr/bin/env bash
# Regenerates the goroutine-dump and contention fixtures under testdata/go1.2x/{stuck,stuckmany,deadlock}.
#
#   bash testdata/regen-goroutines.sh      # both Go versions, in parallel (~95 s: dumps wait for "1 minutes")
#
# What it captures, per Go version (Go 1.23.5 at /usr/lib/go-1.23/bin/go, Go 1.26 = `go`):
#   stuck/      `stuck serve` (programs/stuck): one moment captured as goroutine?debug=2, ?debug=1,
#               the proto profile and a SIGQUIT dump (stderr, GOTRACEBACK=all); an earlier moment
#               (before GET /leak?n=30 parked 30 more receivers) as debug=2 + proto, for diffs;
#               mutex and block profiles (proto + debug=1); heap?debug=1 for its MemStats footer;
#               truth.json / truth.before.json (the program's own count of what it parked); a panic traceback with
#               GODEBUG=tracebackancestors; goldens from Go 1.23.5's `go tool pprof -top` / `-peek`
#               on the mutex and block profiles (golden/).
#   stuckmany/  (Go 1.26 only) `stuck many 12000`: >10,000 goroutines; debug=2 gzipped.
#   deadlock/   programs/deadlock's "fatal error: all goroutines are asleep - deadlock!" output.
#   crashlog/   programs/crashlog, a service logging ~130 KiB of requests to stderr before its dump:
#               panic.log.gz (a handler panics), signals.log.gz (a SIGUSR1 handler writes every
#               goroutine's stack, more logging, then SIGQUIT: two dumps in one log);
#               *.truth.jsonl is what the program printed on stdout (what it parked, bytes logged).
#   rlockpile/  programs/rlockpile: 235 readers queued in RLock behind a reload holding the write
#               lock, written at one moment as goroutine?debug=2 (gzipped), ?debug=1 and proto.
#   leakprofile/ (Go 1.26 only, GOEXPERIMENT=goroutineleakprofile) programs/leakprofile's
#               goroutineleak profile as debug=1, proto and debug=2, and truth.json.
#
#   ONLY='crashlog|rlockpile' bash testdata/regen-goroutines.sh   # only these captures (~10 s)
# Servers bind 127.0.0.1:0 and the programs exit by themselves after 10 minutes.
set -euo pipefail

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO123="${GO123:-/usr/lib/go-1.23/bin/go}"
GO126="${GO126:-$(command -v go)}"
# A neutral folder: the proto profiles record the binary's path in their mappings.
BINROOT="${BINROOT:-/opt/footprint-fixtures/goroutines}"
PPROF="$GO123 tool pprof"

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOWORK=off
unset GOOS GOARCH GOEXPERIMENT GODEBUG GOTRACEBACK || true

log() { printf '[regen-goroutines] %s\n' "$*" >&2; }
gobin() { if [ "$1" = go1.23 ]; then echo "$GO123"; else echo "$GO126"; fi; }

build() {
  local tc=$1 name
  mkdir -p "$BINROOT/$tc"
  for name in stuck deadlock crashlog rlockpile; do
    (cd "$TD/programs" && "$(gobin "$tc")" build -trimpath -o "$BINROOT/$tc/$name" "./$name")
  done
  if [ "$tc" = go1.26 ]; then
    (cd "$TD/programs" && GOEXPERIMENT=goroutineleakprofile "$GO126" build -trimpath -o "$BINROOT/$tc/leakprofile" ./leakprofile)
  fi
}

wanted() { [[ "$1" =~ ^(${ONLY:-.*})$ ]]; }

# start_server OUT ARGS...: runs stuck in the background (stderr -> OUT/sigquit.txt), sets PID and ADDR.
start_server() {
  local out=$1; shift
  local stdout="$out/.stdout"
  (cd / && exec env GOTRACEBACK=all "$BIN/stuck" "$@" >"$stdout" 2>"$out/sigquit.txt") &
  PID=$!
  for _ in $(seq 1 600); do
    [ "$(wc -l <"$stdout")" -ge 2 ] && break
    sleep 0.1
  done
  ADDR="http://$(sed -n 1p "$stdout")"
  sed -n 2p "$stdout" >"$out/truth.json"
  rm -f "$stdout"
}

get() { curl -sS --fail "$ADDR$1" -o "$2"; }

stop_with_sigquit() {
  kill -QUIT "$PID"
  wait "$PID" || true # a SIGQUIT dump exits 2
}

capture_stuck() {
  local tc=$1 out="$TD/$1/stuck"
  rm -rf "$out"; mkdir -p "$out/golden"
  start_server "$out" serve
  get /gc /dev/null
  get '/debug/pprof/goroutine?debug=2' "$out/goroutine.before.debug2.txt"
  get '/debug/pprof/goroutine' "$out/goroutine.before.pb.gz"
  get /truth "$out/truth.before.json"
  get '/leak?n=30' /dev/null
  # The wait start is stamped by a GC's stack scan; minutes count from that GC's start.
  log "$tc: waiting 80 s so blocked goroutines show '1 minutes'"
  sleep 40
  get /gc /dev/null
  sleep 40
  get '/debug/pprof/goroutine?debug=2' "$out/goroutine.debug2.txt"
  get '/debug/pprof/goroutine?debug=1' "$out/goroutine.txt"
  get '/debug/pprof/goroutine' "$out/goroutine.pb.gz"
  get '/debug/pprof/mutex' "$out/mutex.pb.gz"
  get '/debug/pprof/mutex?debug=1' "$out/mutex.txt"
  get '/debug/pprof/block' "$out/block.pb.gz"
  get '/debug/pprof/block?debug=1' "$out/block.txt"
  get '/debug/pprof/heap?debug=1' "$out/heap.txt"
  get /truth "$out/truth.json"
  stop_with_sigquit
  (cd / && env GOTRACEBACK=all GODEBUG=tracebackancestors=5 "$BIN/stuck" panic 2>"$out/panic.txt" || true)
  goldens "$out"
}

# Go 1.23.5's pprof on the contention profiles: -top, and -peek of its first three rows; -top of the mutex text.
goldens() {
  local out=$1 kind names
  for kind in mutex block; do
    $PPROF -top "$out/$kind.pb.gz" >"$out/golden/$kind.top" 2>/dev/null
    names="$(awk 'f && NF>=6 {print $6} /flat%/ {f=1}' "$out/golden/$kind.top" | head -3 |
      sed -e 's/[][().*+?^$|\\{}]/\\&/g' | paste -sd'|')"
    printf '%s\n' "^($names)\$" >"$out/golden/$kind.peek.regex"
    $PPROF -peek "^($names)\$" "$out/$kind.pb.gz" >"$out/golden/$kind.peek" 2>/dev/null
  done
  # pprof on the mutex ?debug=1 text scales its values by the sampling period a second time.
  $PPROF -top "$out/mutex.txt" >"$out/golden/mutex.txt.top" 2>/dev/null
}

capture_many() {
  local tc=$1 out="$TD/$1/stuckmany"
  rm -rf "$out"; mkdir -p "$out"
  start_server "$out" many 12000
  get '/debug/pprof/goroutine?debug=2' "$out/goroutine.debug2.txt"
  get '/debug/pprof/goroutine?debug=1' "$out/goroutine.txt"
  get '/debug/pprof/goroutine' "$out/goroutine.pb.gz"
  gzip -9 -n -f "$out/goroutine.debug2.txt"
  kill "$PID"; wait "$PID" || true
  rm -f "$out/sigquit.txt"
}

capture_deadlock() {
  local tc=$1 out="$TD/$1/deadlock"
  rm -rf "$out"; mkdir -p "$out"
  (cd / && "$BIN/deadlock" 2>"$out/deadlock.txt" || true)
}

# A service's stderr: a long log, then a panic; and a log with a dump on SIGUSR1, more log, and SIGQUIT's.
capture_crashlog() {
  local tc=$1 out="$TD/$1/crashlog" pid
  rm -rf "$out"; mkdir -p "$out"
  (cd / && "$BIN/crashlog" panic >"$out/panic.truth.jsonl" 2>"$out/panic.log" || true)
  (cd / && exec "$BIN/crashlog" signals >"$out/signals.truth.jsonl" 2>"$out/signals.log") &
  pid=$!
  waitfor '"ready"' "$out/signals.truth.jsonl"
  kill -USR1 "$pid"
  waitfor '"logged"' "$out/signals.truth.jsonl"
  kill -QUIT "$pid"
  wait "$pid" || true # a SIGQUIT dump exits 2
  gzip -9 -n -f "$out/panic.log" "$out/signals.log"
}

# waitfor TEXT FILE: until FILE holds TEXT (at most 30 s).
waitfor() {
  for _ in $(seq 1 300); do
    grep -q "$1" "$2" 2>/dev/null && return 0
    sleep 0.1
  done
  log "ERROR: $2 never showed $1"
  return 1
}

capture_rlockpile() {
  local tc=$1 out="$TD/$1/rlockpile"
  rm -rf "$out"; mkdir -p "$out"
  (cd / && "$BIN/rlockpile" "$out" >"$out/truth.json")
  gzip -9 -n -f "$out/goroutine.debug2.txt"
}

capture_leakprofile() {
  local tc=$1 out="$TD/$1/leakprofile"
  rm -rf "$out"; mkdir -p "$out"
  (cd / && "$BIN/leakprofile" "$out" >"$out/truth.json")
}

run_version() {
  local tc=$1
  BIN="$BINROOT/$tc"
  log "$tc: build"
  build "$tc"
  if wanted deadlock; then capture_deadlock "$tc"; fi
  if wanted crashlog; then capture_crashlog "$tc"; fi
  if wanted rlockpile; then capture_rlockpile "$tc"; fi
  if [ "$tc" = go1.26 ] && wanted leakprofile; then capture_leakprofile "$tc"; fi
  if wanted stuck; then capture_stuck "$tc"; fi
  if [ "$tc" = go1.26 ] && wanted stuckmany; then capture_many "$tc"; fi
  log "$tc: done"
}

run_version go1.23 &
P23=$!
run_version go1.26 &
P26=$!
wait "$P23"
wait "$P26"
if grep -rlE '/(tmp|root|home)/' "$TD"/go1.2?/{stuck,stuckmany,deadlock,crashlog,rlockpile,leakprofile} 2>/dev/null ||
  zgrep -lE '/(tmp|root|home)/' "$TD"/go1.2?/{crashlog,rlockpile}/*.gz 2>/dev/null; then
  log "WARNING: a local path leaked into the fixtures above"
fi
