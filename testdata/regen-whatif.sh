#!/usr/bin/env bash
# Regenerates the what-if validation matrix: real GODEBUG=gctrace=1 logs of the
# four programs in testdata/programs/whatif (small, bigptr, plateau, mapgrow),
# none of which the GOGC / GOMEMLIMIT simulator was tuned on, each run three
# times under several settings with Go 1.23 and Go 1.26.
#
#   bash testdata/regen-whatif.sh                 # everything: 150 runs, about 10-20 minutes on 2 cores
#   ONLY=small bash testdata/regen-whatif.sh      # only the named shapes (a regex on the names)
#
# Settings per shape: GOGC=50, 100, 200, 400 with no memory limit; GOGC=off with
# a limit L1 and GOGC=100 with a limit L2 (per shape, see SHAPES below); and for
# bigptr also GOGC=100 with GOMEMLIMIT=100MiB, a limit below its live heap.
# The three runs of every cell are interleaved (round 1 of every cell and both
# toolchains, then round 2, then round 3), so a slow phase of the machine lands
# on many cells a little rather than on one cell entirely.
#
# Output per toolchain in testdata/<go1.NN>/whatif/:
#   <shape>/<setting>.r<N>.log.gz   the run's stderr (gctrace only), gzip -9n
#   runs.json                       one entry per run: shape, setting, gogc, gomemlimit,
#                                   run, wall seconds, number of "gc N @" lines, outcome
# With ONLY, the other shapes' logs and manifest entries are kept as they are.
# Environment overrides: GO123 (default /usr/lib/go-1.23/bin/go), GO126 (default `go`).
set -euo pipefail

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO123="${GO123:-/usr/lib/go-1.23/bin/go}"
GO126="${GO126:-$(command -v go)}"
ROUNDS=3
TOOLCHAINS=(go1.23 go1.26)

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOWORK=off LC_ALL=C
unset GOEXPERIMENT GODEBUG GOGC GOMEMLIMIT || true
# Two Ps on every machine, so logs do not depend on where they were taken.
export GOMAXPROCS=2

log() { printf '[regen-whatif] %s\n' "$*" >&2; }

# shape|L1 (with GOGC=off)|L2 (with GOGC=100)
#
# A memory limit counts all the runtime's memory, not only the heap: stacks,
# GC metadata, span structures and unscavenged free pages add about 5 MiB (Go
# 1.23) to 7 MiB (Go 1.26) here. So each limit was chosen by measuring, on both
# toolchains, the heap goal the runtime printed under it: it must land between
# the live heap and the goal of the GOGC=100 run without a limit, i.e. the
# limit really binds, but not so close to the live heap that the run thrashes.
#   small    ~1 MiB live, GOGC=100 goal 4 MiB (the floor), peak RSS ~8-10 MB.
#            10MiB with GOGC=off: goal 5 MB (1.23) / 3 MB (1.26).
#            8MiB with GOGC=100: goal 3 MB (1.23) / 1-2 MB (1.26), under the floor.
#            (4-6 MiB thrash: tens of thousands of cycles, 20-60 s.)
#   bigptr   ~195 MB live (gctrace shows ~250-330 MB marked, as it counts what
#            was allocated while marking), GOGC=100 goal 520-660 MB.
#            450MiB with GOGC=off: goal ~370-400 MB.
#            360MiB with GOGC=100: goal ~250-360 MB, close to the marked heap.
#   plateau  ~24 MB live at the plateau (gctrace shows 23-30 MB marked),
#            GOGC=100 goal 50-100 MB.
#            64MiB with GOGC=off: goal ~50-57 MB. 48MiB with GOGC=100: goal ~36-41 MB.
#   mapgrow  live grows to ~140 MB (gctrace: ~190 MB), GOGC=100 goal reaches ~370 MB.
#            320MiB with GOGC=off: no cycle until the heap nears ~290 MB, then a few.
#            256MiB with GOGC=100: the limit takes over in the last third (goal ~225 MB).
SHAPES=(
  "small|10MiB|8MiB"
  "bigptr|450MiB|360MiB"
  "plateau|64MiB|48MiB"
  "mapgrow|320MiB|256MiB"
)
# bigptr only: a limit BELOW the live heap. The runtime cannot meet it; the GC
# CPU limiter caps GC at about half the CPU and the run goes on (measured here:
# 13-35 s, 33-62 cycles, back to back, GC near 45% of the CPU). If it ever does not finish within
# BELOW_TIMEOUT the manifest records a timeout and no log is kept.
BELOW_LIMIT=100MiB
BELOW_TIMEOUT=300
# Every other run: generous (they take 1.5-14 s), but a hang fails loudly.
RUN_TIMEOUT=120

settings_of() { # shape L1 L2 -> lines "setting|gogc|limit"
  local shape="$1" l1="$2" l2="$3" g
  for g in 50 100 200 400; do echo "gogc$g|$g|"; done
  echo "gogcoff-limit$l1|off|$l1"
  echo "gogc100-limit$l2|100|$l2"
  [ "$shape" = bigptr ] && echo "gogc100-limit$BELOW_LIMIT|100|$BELOW_LIMIT"
  return 0
}

gobin() { if [ "$1" = go1.23 ]; then echo "$GO123"; else echo "$GO126"; fi; }

# Check the toolchains are the versions the directories are named after.
for tc in "${TOOLCHAINS[@]}"; do
  v="$("$(gobin "$tc")" env GOVERSION)"
  case "$v" in "$tc" | "$tc".*) ;; *) log "ERROR: $(gobin "$tc") is $v, not $tc"; exit 1 ;; esac
done

selected=()
for spec in "${SHAPES[@]}"; do
  shape="${spec%%|*}"
  [[ "$shape" =~ ^(${ONLY:-.*})$ ]] && selected+=("$spec")
done
[ "${#selected[@]}" -gt 0 ] || { log "ERROR: ONLY=$ONLY matches no shape"; exit 1; }

# Binaries go to a neutral folder outside the repository, removed at the end.
# Not /tmp by default: on the shared development machine something prunes
# /tmp while other work runs, and took the binaries away mid-matrix once.
BIN="$(mktemp -d "${TMPDIR:-/var/tmp}/footprint-whatif.XXXXXX")"
trap 'rm -rf "$BIN"' EXIT
for tc in "${TOOLCHAINS[@]}"; do
  for spec in "${selected[@]}"; do
    shape="${spec%%|*}"
    log "build $tc $shape ($("$(gobin "$tc")" env GOVERSION))"
    (cd "$TD/programs" && "$(gobin "$tc")" build -trimpath -o "$BIN/$tc/$shape" "./whatif/$shape")
  done
done

# Fresh output for the selected shapes; the records of this regeneration are
# kept in memory, RECORDS[<tc>] (one JSON object per line), for the manifest.
declare -A RECORDS
for tc in "${TOOLCHAINS[@]}"; do
  for spec in "${selected[@]}"; do
    rm -rf "${TD:?}/$tc/whatif/${spec%%|*}"
    mkdir -p "$TD/$tc/whatif/${spec%%|*}"
  done
  RECORDS[$tc]=""
done

run_one() { # tc shape setting gogc limit round
  local tc="$1" shape="$2" setting="$3" gogc="$4" limit="$5" r="$6"
  local rel="$shape/$setting.r$r.log" out="$TD/$tc/whatif/$shape/$setting.r$r.log"
  local limit_s=$RUN_TIMEOUT below=0
  [ "$limit" = "$BELOW_LIMIT" ] && [ "$shape" = bigptr ] && { limit_s=$BELOW_TIMEOUT; below=1; }
  local envs=(GODEBUG=gctrace=1 GOGC="$gogc")
  [ -n "$limit" ] && envs+=(GOMEMLIMIT="$limit")
  local t0=$EPOCHREALTIME rc=0
  (cd "$BIN" && timeout "$limit_s" env "${envs[@]}" "$BIN/$tc/$shape" </dev/null >/dev/null 2>"$out") || rc=$?
  local wall cycles outcome=ok
  wall="$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')"
  cycles="$(grep -cE '^gc [0-9]+ @' "$out" || true)"
  if [ "$rc" = 124 ] && [ "$below" = 1 ]; then
    outcome=timeout
    log "$tc $shape $setting r$r: timed out after ${limit_s}s ($cycles cycles by then); no log kept"
    rm -f "$out"
  elif [ "$rc" != 0 ]; then
    log "ERROR: $tc $shape $setting r$r failed or hung (exit $rc)"
    exit 1
  elif grep -vqE '^gc [0-9]+ @' "$out"; then
    log "ERROR: $tc $shape $setting r$r wrote something other than gctrace lines to stderr"
    exit 1
  else
    gzip -9n "$out"
  fi
  log "$tc $shape $setting r$r: ${wall}s, $cycles cycles"
  local logfield="\"$rel.gz\""
  [ "$outcome" = ok ] || logfield=null
  RECORDS[$tc]+="$(printf '    { "log": %s, "shape": "%s", "setting": "%s", "gogc": "%s", "gomemlimit": "%s", "run": %d, "wall_s": %s, "cycles": %d, "outcome": "%s", "timeout_s": %d }' \
    "$logfield" "$shape" "$setting" "$gogc" "$limit" "$r" "$wall" "$cycles" "$outcome" "$limit_s")"$'\n'
}

start=$SECONDS
for r in $(seq 1 $ROUNDS); do
  log "round $r of $ROUNDS"
  for spec in "${selected[@]}"; do
    IFS='|' read -r shape l1 l2 <<<"$spec"
    while IFS='|' read -r setting gogc limit; do
      for tc in "${TOOLCHAINS[@]}"; do
        run_one "$tc" "$shape" "$setting" "$gogc" "$limit" "$r"
      done
    done < <(settings_of "$shape" "$l1" "$l2")
  done
done

# runs.json: one run per line, in SHAPES order, then setting, then round. The
# shapes not regenerated now keep their lines from the previous manifest.
manifest() { # tc
  local tc="$1" out="$TD/$1/whatif/runs.json" old lines="" spec shape setting gogc limit r
  old="$(cat "$out" 2>/dev/null || true)"
  for spec in "${SHAPES[@]}"; do
    IFS='|' read -r shape l1 l2 <<<"$spec"
    if [[ "$shape" =~ ^(${ONLY:-.*})$ ]]; then
      while IFS='|' read -r setting gogc limit; do
        for r in $(seq 1 $ROUNDS); do
          lines+="$(grep -F "\"shape\": \"$shape\", \"setting\": \"$setting\", " <<<"${RECORDS[$tc]}" |
            grep -F "\"run\": $r, ")"$'\n'
        done
      done < <(settings_of "$shape" "$l1" "$l2")
    else
      lines+="$(grep -F "\"shape\": \"$shape\", " <<<"$old" | sed 's/,$//')"$'\n' || true
    fi
  done
  {
    echo '{'
    echo '  "programs": "testdata/programs/whatif",'
    echo "  \"goversion\": \"$("$(gobin "$tc")" env GOVERSION)\","
    echo '  "gomaxprocs": 2,'
    echo '  "godebug": "gctrace=1",'
    echo '  "runs": ['
    grep -v '^$' <<<"$lines" | sed '$!s/$/,/'
    echo '  ]'
    echo '}'
  } >"$out"
}
for tc in "${TOOLCHAINS[@]}"; do manifest "$tc"; done

# No machine paths in anything committed (gctrace logs carry none; check anyway).
for f in "$TD"/go1.2[36]/whatif/runs.json "$TD"/go1.2[36]/whatif/*/*.gz; do
  [ -e "$f" ] || continue
  if case "$f" in *.gz) zcat "$f" ;; *) cat "$f" ;; esac | grep -qaE '(/tmp/|/root/|/home/|/work/)'; then
    log "ERROR: $f contains a machine path"
    exit 1
  fi
done
log "done in $((SECONDS - start)) s of runs"
