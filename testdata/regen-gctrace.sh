#!/usr/bin/env bash
# Regenerates the gctrace fixtures: real GODEBUG=gctrace=1 logs of
# testdata/programs/gcload under several GOGC / GOMEMLIMIT settings, per Go
# version, plus a noisy run (the program's own stderr splits gctrace lines)
# and an idle run that reaches the runtime's 2-minute periodic GC.
#
#   bash testdata/regen-gctrace.sh            # everything (about 3 minutes: the idle runs wait)
#   bash testdata/regen-gctrace.sh --no-idle  # skip the 2-minute idle runs (keeps the idle logs already there)
#   ONLY=leak bash testdata/regen-gctrace.sh --no-idle   # only the named runs (a regex on the names)
#   ONLY=gotest bash testdata/regen-gctrace.sh --no-idle # only the go test logs (about a minute per toolchain)
#
# Output per toolchain in testdata/<go1.NN>/gctrace/: <name>.log and runs.json,
# which records each log's settings so tests read them instead of assuming.
# Also gotest.cold.log and gotest.log: `GODEBUG=gctrace=1 go test -v` of
# programs/gotestlog with an empty build cache (the go command, a compiler per
# package, the linker, the test binary) and again with the cache filled (the go
# command, the linker, the test binary), as one log each, the way a user's
# terminal shows them; gotest*.truth.json lists, per process, the gc lines it
# printed, copied from its own stderr by -toolexec / -exec wrappers. With the
# cache filled, the go command replays the compile and vet steps' cached output,
# gctrace lines included, under their `# pkg` headings: those blocks in
# gotest.log are processes of the cold run, not of the second one.
# Environment overrides: GO123 (default /usr/lib/go-1.23/bin/go), GO126 (default `go`).
set -euo pipefail

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO123="${GO123:-/usr/lib/go-1.23/bin/go}"
GO126="${GO126:-$(command -v go)}"
IDLE=1
[ "${1:-}" = --no-idle ] && IDLE=0

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOWORK=off
unset GOEXPERIMENT GODEBUG GOGC GOMEMLIMIT || true
# Two Ps on every machine, so logs do not depend on where they were taken.
export GOMAXPROCS=2

log() { printf '[regen-gctrace] %s\n' "$*" >&2; }

# name|GOGC|GOMEMLIMIT|mode  (GOMEMLIMIT empty = none)
RUNS=(
  "gogc50|50||load"
  "gogc100|100||load"
  "gogc200|200||load"
  "gogc400|400||load"
  "gogcoff-limit160MiB|off|160MiB|load"
  "gogc100-limit120MiB|100|120MiB|load"
  "noisy|100||noisy"
  "leak|100||leak"
)

# scavtrace=1 only in the noisy run and only on Go 1.26: Go 1.23.5 with
# gctrace=1,scavtrace=1 under this load deadlocks (seen here: the process stops
# mid-"gc " print, all threads in futex waits), so its what-if runs and its
# noisy run use gctrace alone. Every run has a timeout so a hang fails loudly.
run_one() { # out name gogc limit mode bin tc
  local out="$1" name="$2" gogc="$3" limit="$4" mode="$5" bin="$6" tc="$7"
  local debug=gctrace=1 limit_s=60
  [ "$mode" = noisy ] && [ "$tc" = go1.26 ] && debug=gctrace=1,scavtrace=1
  [ "$mode" = idle ] && limit_s=200
  local envs=(GODEBUG="$debug" GOGC="$gogc")
  [ -n "$limit" ] && envs+=(GOMEMLIMIT="$limit")
  (cd /tmp && timeout "$limit_s" env "${envs[@]}" "$bin" -mode="$mode" >/dev/null 2>"$out/$name.log") ||
    { log "ERROR: $tc $name failed or hung"; return 1; }
}

manifest() { # out
  local out="$1" first=1 spec name gogc limit mode
  {
    echo '{'
    echo '  "program": "testdata/programs/gcload",'
    echo '  "gomaxprocs": 2,'
    echo '  "runs": {'
    for spec in "${RUNS[@]}" $([ -f "$out/idle.log" ] && echo "idle|100||idle"); do
      IFS='|' read -r name gogc limit mode <<<"$spec"
      [ $first = 1 ] || echo ','
      first=0
      printf '    "%s": { "gogc": "%s", "gomemlimit": "%s", "mode": "%s" }' "$name" "$gogc" "$limit" "$mode"
    done
    echo
    echo '  }'
    echo '}'
  } >"$out/runs.json"
}

pids=()
for tc in go1.23 go1.26; do
  gobin="$GO126"; [ "$tc" = go1.23 ] && gobin="$GO123"
  out="$TD/$tc/gctrace"
  bin="/tmp/footprint-gcload-$tc"
  mkdir -p "$out"
  log "build $tc gcload ($("$gobin" env GOVERSION))"
  (cd "$TD/programs" && "$gobin" build -trimpath -o "$bin" ./gcload)
  if [ "$IDLE" = 1 ]; then
    log "run $tc idle (125 s, in the background)"
    run_one "$out" idle 100 "" idle "$bin" "$tc" &
    pids+=($!)
  fi
  for spec in "${RUNS[@]}"; do
    IFS='|' read -r name gogc limit mode <<<"$spec"
    [[ "$name" =~ ^(${ONLY:-.*})$ ]] || continue
    log "run $tc $name"
    run_one "$out" "$name" "$gogc" "$limit" "$mode" "$bin" "$tc"
  done
  manifest "$out"
done
# gotest_run OUT NAME GOBIN GOCACHE TEE: one `go test -v` with gctrace, its log, and per-process truth.
gotest_run() {
  local out="$1" name="$2" gobin="$3" cache="$4" tee="$5" truth
  truth="$(mktemp -d /tmp/footprint-gotest-truth.XXXXXX)"
  (cd "$TD/programs" && FOOTPRINT_TRUTH_DIR="$truth" GOCACHE="$cache" GODEBUG=gctrace=1 timeout 600 \
    "$gobin" test -count=1 -v -toolexec="$tee" -exec="$tee" ./gotestlog >"$out/$name.log" 2>&1) ||
    { log "ERROR: go test in $name failed"; return 1; }
  sleep 1 # the tee copies may finish after their tool
  {
    echo '{'
    echo '  "command": "GODEBUG=gctrace=1 go test -count=1 -v ./gotestlog",'
    echo '  "processes": ['
    local first=1 f
    for f in $(ls -tr "$truth"/*.log 2>/dev/null); do
      grep -q '^gc [0-9]* @' "$f" || continue
      [ $first = 1 ] || echo ','
      first=0
      printf '    { "tool": "%s", "cycles": [' "$(basename "$f" | sed 's/\.[0-9]*\.log$//')"
      grep -o '^gc [0-9]* @[0-9.]*s' "$f" | awk 'BEGIN { ORS = "" } { printf "%s\"%s\"", (NR > 1 ? ", " : ""), $0 }'
      printf '] }'
    done
    echo
    echo '  ]'
    echo '}'
  } >"$out/$name.truth.json"
  rm -rf "$truth"
}

capture_gotest() { # tc gobin
  local tc="$1" gobin="$2" out="$TD/$1/gctrace" work
  work="$(mktemp -d /tmp/footprint-gotest.XXXXXX)"
  # Runs a tool (-toolexec) or the test binary (-exec) with its stderr, where
  # the runtime prints gctrace, also copied to a file of its own. One wrapper
  # path for both runs: -toolexec is part of the build cache's keys.
  cat >"$work/tee-stderr.sh" <<'WRAP'
#!/usr/bin/env bash
"$@" 2> >(tee "$FOOTPRINT_TRUTH_DIR/$(basename "$1").$$.log" >&2)
WRAP
  chmod +x "$work/tee-stderr.sh"
  log "run $tc gotest (empty build cache, then filled)"
  gotest_run "$out" gotest.cold "$gobin" "$work/cache" "$work/tee-stderr.sh"
  gotest_run "$out" gotest "$gobin" "$work/cache" "$work/tee-stderr.sh"
  chmod -R u+w "$work"; rm -rf "$work"
}

if [[ gotest =~ ^(${ONLY:-.*})$ ]]; then
  capture_gotest go1.23 "$GO123"
  capture_gotest go1.26 "$GO126"
fi
for p in "${pids[@]}"; do wait "$p"; done
log "done"
