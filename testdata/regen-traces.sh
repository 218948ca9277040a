#!/usr/bin/env bash
# Regenerates the execution-trace fixtures and their goldens, per Go version:
#
#   testdata/<go1.NN>/trace/tracewriter.trace.gz  testdata/programs/tracewriter: GC, mark assists,
#                                                 goroutine churn, blocking, syscalls; several generations
#   testdata/<go1.NN>/trace/stdtest.trace.gz      `go test -trace -cpuprofile` of encoding/json (code
#                                                 nobody here wrote, with CPU samples)
#   <name>.counts.txt   "Name count" for every record kind, counted from `go tool trace -d=2`
#                       (Go 1.23; Go 1.26 calls the same dump -d=wire)
#   <name>.gc.txt       "Begin|End|Active TIME_NS NAME" for every GC and stop-the-world range in
#                       `go tool trace -d=1` (Go 1.26: -d=parsed)
#   <name>.mmu.json     the MMU curve go tool trace's web view plots (/mmu?mode=plot with its default
#                       flags: STW, background workers, mark assist, sweep), fetched from a local
#                       `go tool trace -http` (needs curl)
#
#   testdata/trace-gotests/<name>.trace          the small traces of Go's own trace-reader tests
#                                                 ($GOROOT/src/internal/trace/testdata/tests, Go's BSD
#                                                 licence): Go 1.22, 1.23 and 1.25 traces, flight-recorder-like
#                                                 ones starting at a later generation, syscall and steal
#                                                 corner cases. Their text form is turned into bytes by a
#                                                 copy of Go 1.26's internal/trace/raw, with -d=wire counts.
#                                                 (go122-fail-first-gen-first is left out: its batch
#                                                 lengths lie on purpose.)
#
#   bash testdata/regen-traces.sh              # everything
#   bash testdata/regen-traces.sh --gotests    # only Go's own test traces (seconds, no tracing)
#
# Environment overrides: GO123 (default /usr/lib/go-1.23/bin/go), GO126 (default `go`).
set -euo pipefail

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO123="${GO123:-/usr/lib/go-1.23/bin/go}"
GO126="${GO126:-$(command -v go)}"
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOWORK=off
unset GOEXPERIMENT GODEBUG GOGC GOMEMLIMIT || true
# Two Ps on every machine, so traces do not depend on where they were taken.
export GOMAXPROCS=2
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

log() { printf '[regen-traces] %s\n' "$*" >&2; }

# Counts the top-level records of a wire dump (frame and data lines start with a tab).
wire_counts() { awk '!/^\t/ { n[$1]++ } END { for (k in n) print k, n[k] }' | LC_ALL=C sort; }

# GC ("GC concurrent mark phase") and stop-the-world ranges of a parsed dump, with their times.
gc_ranges() {
  sed -n -E 's/^.* (RangeBegin|RangeEnd|RangeActive) Time=([0-9]+) Name="((GC concurrent mark phase)|(stop-the-world[^"]*))".*$/\1 \2 \3/p' |
    sed -E 's/^Range//'
}

goldens() { # go trace.gz name out
  local go="$1" trace="$2" out="$3" wire=-d=2 parsed=-d=1
  [ "$("$go" env GOVERSION | cut -d. -f2)" -ge 26 ] && { wire=-d=wire; parsed=-d=parsed; }
  gunzip -c "$trace" >"$WORK/t.trace"
  "$go" tool trace "$wire" "$WORK/t.trace" | wire_counts >"$out.counts.txt"
  "$go" tool trace "$parsed" "$WORK/t.trace" | gc_ranges >"$out.gc.txt"
  mmu_plot "$go" "$WORK/t.trace" >"$out.mmu.json"
}

mmu_plot() { # go trace
  local port=$((20000 + RANDOM % 20000)) pid ok=0
  "$1" tool trace -http="127.0.0.1:$port" "$2" >"$WORK/http.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/" && { ok=1; break; }
    sleep 0.5
  done
  [ "$ok" = 1 ] && curl -sf "http://127.0.0.1:$port/mmu?mode=plot&flags=stw|background|assist|sweep"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  [ "$ok" = 1 ] || { log "ERROR: go tool trace -http did not come up"; return 1; }
}

PAIRS=("go1.23:$GO123" "go1.26:$GO126")
[ "${1:-}" = --gotests ] && PAIRS=()
for pair in "${PAIRS[@]}"; do
  tc="${pair%%:*}" go="${pair#*:}"
  out="$TD/$tc/trace"
  mkdir -p "$out" "$WORK/$tc"
  log "$tc: building tracewriter ($("$go" env GOVERSION))"
  (cd "$TD/programs" && "$go" build -trimpath -o "$WORK/$tc/tracewriter" ./tracewriter)
  log "$tc: tracing tracewriter"
  # A 60 ms generation period gives several generations in a small file.
  (cd "$WORK/$tc" && GODEBUG=traceadvanceperiod=60000000 timeout 60 ./tracewriter -out tw.trace -dur 250ms -churn 1000)
  gzip -9 -n -c "$WORK/$tc/tw.trace" >"$out/tracewriter.trace.gz"
  log "$tc: go test -trace encoding/json"
  (cd "$WORK/$tc" && timeout 300 "$go" test -count=1 -short -run 'Test' -trace std.trace -cpuprofile cpu.out encoding/json >/dev/null)
  gzip -9 -n -c "$WORK/$tc/std.trace" >"$out/stdtest.trace.gz"
  for name in tracewriter stdtest; do
    goldens "$go" "$out/$name.trace.gz" "$out/$name"
  done
  ls -l "$out" >&2
done

log "Go's own trace tests (Go 1.22/1.23/1.25 formats)"
TT="$("$GO126" env GOROOT)/src/internal/trace"
mkdir -p "$WORK/gtr/cmd" "$TD/trace-gotests"
cp -r "$TT/raw" "$TT/tracev2" "$TT/version" "$WORK/gtr/"
rm -f "$WORK"/gtr/*/*_test.go
grep -rl '"internal/trace/' "$WORK/gtr" | xargs sed -i 's#"internal/trace/#"gtr/#'
printf 'module gtr\n\ngo 1.23\n' >"$WORK/gtr/go.mod"
cat >"$WORK/gtr/cmd/main.go" <<'GO'
// text2bytes: a trace in internal/trace/raw's text form, on stdin, to wire bytes on stdout.
package main

import (
	"io"
	"log"
	"os"

	"gtr/raw"
)

func main() {
	r, err := raw.NewTextReader(os.Stdin)
	if err != nil {
		log.Fatal(err)
	}
	w, err := raw.NewWriter(os.Stdout, r.Version())
	if err != nil {
		log.Fatal(err)
	}
	for {
		ev, err := r.ReadEvent()
		if err == io.EOF {
			return
		}
		if err != nil {
			log.Fatal(err)
		}
		if err := w.WriteEvent(ev); err != nil {
			log.Fatal(err)
		}
	}
}
GO
(cd "$WORK/gtr" && "$GO126" build -o "$WORK/text2bytes" ./cmd)
rm -f "$TD"/trace-gotests/*
for t in "$TT"/testdata/tests/*.test; do
  name="$(basename "$t" .test)"
  [ "$name" = go122-fail-first-gen-first ] && continue
  # The tests were recorded on their authors' machines: the directory before src/ in their file
  # paths becomes /goroot-…-/ of the same length (batch sizes in the text are fixed, so lengths
  # must not change), and no personal path is committed. Record counts do not change.
  sed -n '/^-- trace --$/,$p' "$t" | tail -n +2 |
    perl -pe 's#data="(/[^"]{7,}/)(src/[^"]*)"#"data=\"/goroot" . ("-" x (length($1) - 8)) . "/$2\""#e' |
    "$WORK/text2bytes" >"$TD/trace-gotests/$name.trace"
  "$GO126" tool trace -d=wire "$TD/trace-gotests/$name.trace" | wire_counts >"$TD/trace-gotests/$name.counts.txt"
done
ls "$TD/trace-gotests" | wc -l >&2
