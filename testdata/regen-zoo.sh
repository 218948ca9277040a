#!/usr/bin/env bash
# Regenerates the heap-doctor zoo: real Go programs, each with one planted
# memory problem (testdata/programs/zoo/*), run as services on 127.0.0.1 and
# sampled over loopback at intervals, as a user would with curl.
#
#   bash testdata/regen-zoo.sh              # every program (about 2 minutes)
#   ONLY=cache bash testdata/regen-zoo.sh   # only the named programs (a regex)
#
# Per program, testdata/zoo/<name>/: heap.<i>.pb.gz (/debug/pprof/heap, proto,
# with alloc_* and inuse_*), and at the last snapshot heap.txt (?debug=1, with
# the MemStats footer) and vars.json (/debug/vars, expvar memstats); for the TRACED programs a
# one-second execution trace, trace.out.gz; for the CONTENDED ones the mutex profile, mutex.pb.gz.
# testdata/zoo/manifest.json (hand-written) says what each program plants.
# Environment: GO (default `go`), SNAPSHOTS (6), INTERVAL seconds (1.5), WARMUP seconds (2).
set -euo pipefail

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO="${GO:-$(command -v go)}"
SNAPSHOTS="${SNAPSHOTS:-6}"
INTERVAL="${INTERVAL:-1.5}"
WARMUP="${WARMUP:-2}"
# A neutral folder: profiles record the binary's path in their mappings, and expvar its command line.
BIN="${FIXTURE_ROOT:-/opt/footprint-fixtures}/zoo"
mkdir -p "$BIN"
PROGRAMS=(cache subslice tempbuf boxing queue tinyleak spike sparse steady sessions jsonchurn fmtchurn goleak gcpressure poolchurn hotmutex)
# Programs that also get a one-second execution trace (trace.out.gz).
TRACED=(goleak gcpressure)
# Programs whose mutex profile is captured too (mutex.pb.gz).
CONTENDED=(poolchurn hotmutex)

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOWORK=off GOMAXPROCS=2
unset GOGC GOMEMLIMIT GODEBUG || true

log() { printf '[regen-zoo] %s\n' "$*" >&2; }
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; }
trap cleanup EXIT

fetch() { # url out
  curl --silent --show-error --fail --max-time 20 -o "$2" "$1"
}

capture() { # name
  local name="$1" out="$TD/zoo/$1" addr i
  rm -rf "$out"; mkdir -p "$out"
  (cd "$TD/programs" && "$GO" build -trimpath -o "$BIN/$name" "./zoo/$name")
  # The program prints its loopback address first; a FIFO-free way to read it is a log file.
  # argv[0] is the bare name, so /debug/vars shows no machine path.
  (cd "$BIN" && exec -a "$name" "./$name") >"$BIN/$name.out" 2>&1 &
  pid=$!
  for _ in $(seq 50); do addr="$(head -n1 "$BIN/$name.out" 2>/dev/null || true)"; [ -n "$addr" ] && break; sleep 0.1; done
  [ -n "$addr" ] || { log "ERROR: $name printed no address"; exit 1; }
  case "$addr" in 127.0.0.1:*) ;; *) log "ERROR: $name listens on $addr, not loopback"; exit 1 ;; esac
  log "$name on $addr: warm-up ${WARMUP}s, then $SNAPSHOTS snapshots ${INTERVAL}s apart"
  sleep "$WARMUP"
  for i in $(seq 1 "$SNAPSHOTS"); do
    fetch "http://$addr/debug/pprof/heap" "$out/heap.$i.pb.gz"
    [ "$i" = "$SNAPSHOTS" ] || sleep "$INTERVAL"
  done
  fetch "http://$addr/debug/pprof/heap?debug=1" "$out/heap.txt"
  fetch "http://$addr/debug/vars" "$out/vars.json"
  # A one-second execution trace of a service that has been running a while (thousands of goroutines alive
  # at its start for goleak, assists for gcpressure), gzipped.
  if [[ " ${CONTENDED[*]} " == *" $name "* ]]; then
    fetch "http://$addr/debug/pprof/mutex" "$out/mutex.pb.gz"
  fi
  if [[ " ${TRACED[*]} " == *" $name "* ]]; then
    fetch "http://$addr/debug/pprof/trace?seconds=1" "$out/trace.out"
    gzip -9 -n -f "$out/trace.out"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

log "$("$GO" env GOVERSION)"
for name in "${PROGRAMS[@]}"; do
  [[ "$name" =~ ^(${ONLY:-.*})$ ]] || continue
  capture "$name"
done
log done
