#!/usr/bin/env bash
# Checks that every zoo program (testdata/programs/zoo/*, listed in
# testdata/programs/zoo/planted.json) really shows its planted problem: builds
# them, runs each as a service on 127.0.0.1, reads /debug/vars a second before
# WAIT and at WAIT, then its pprof endpoints (heap, allocs, mutex, block,
# goroutine as proto, debug=1 and debug=2) and, for rss, /stats, over loopback
# with curl; checks the planted function with `go tool pprof`, prints one line
# of key numbers per program and kills it. Nothing is written under testdata/.
#
#   bash testdata/check-zoo.sh                          # every program (about 1.5 minutes)
#   ONLY='lockpile|rwpile' bash testdata/check-zoo.sh   # a regex on the names
#
# Each line: g = goroutines at WAIT-1 -> WAIT; heap = HeapAlloc at WAIT; alloc, obj/s,
# gc (collections/s) and cpu (% of one core) over the second before WAIT; gc-cpu = the
# GC's share of that CPU (from GCCPUFraction; only when it runs 20 times a second or more).
# "<profile> F S of T": F is the leaf-most main.* frame that the most of the profile sits
# under (pprof -top -show='^main\.'), S its share of the whole profile, T the total;
# mutex and block delays are per second of the program's life. "in F: max N" counts the
# goroutines with F on their stack in 5 goroutine profiles 70 ms apart, then their states.
# A line starts with ok or FAIL (with what was wanted); the script exits 1 if any FAILs.
# Environment: GO (default `go`), GO123 (default /usr/lib/go-1.23/bin/go, for a compile
# check only, skipped if absent), WAIT seconds (default 3, at least 2), FIXTURE_ROOT.
set -euo pipefail

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO="${GO:-$(command -v go)}"
GO123="${GO123:-/usr/lib/go-1.23/bin/go}"
WAIT="${WAIT:-3}"
awk -v w="$WAIT" 'BEGIN { exit !(w >= 2) }' || { echo "WAIT=$WAIT: want at least 2 (seconds)" >&2; exit 1; }
BIN="${FIXTURE_ROOT:-/opt/footprint-fixtures}/zoo"
PLANTED="$TD/programs/zoo/planted.json"
PROGRAMS=(cache subslice tempbuf boxing queue tinyleak spike sparse steady
  goleak lockpile rwpile hotmutex chanblock jsonchurn fmtchurn gcpressure rss steadyhttp
  poolmiss poolok poolbig poolcapped inittable initlazy reqescape reqscoped tasks)

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOWORK=off GOMAXPROCS=2
unset GOGC GOMEMLIMIT GODEBUG || true

log() { printf '[check-zoo] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
pid=""
WORK="$(mktemp -d)"
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# Every program directory is listed here and in planted.json, and nothing else is.
dirs="$(cd "$TD/programs/zoo" && for d in */; do d="${d%/}"; [ "$d" = internal ] || echo "$d"; done | sort)"
[ "$dirs" = "$(printf '%s\n' "${PROGRAMS[@]}" | sort)" ] || die "PROGRAMS does not match testdata/programs/zoo/*"
for name in "${PROGRAMS[@]}"; do grep -q "^    \"$name\": {" "$PLANTED" || die "$name is not in planted.json"; done
[ "$(grep -c '^    "[a-z0-9]*": {' "$PLANTED")" = "${#PROGRAMS[@]}" ] || die "planted.json lists other programs"

selected=()
for name in "${PROGRAMS[@]}"; do [[ "$name" =~ ^(${ONLY:-.*})$ ]] && selected+=("$name"); done
[ "${#selected[@]}" -gt 0 ] || die "ONLY=$ONLY matches no program"

log "$("$GO" env GOVERSION): build ${#selected[@]} programs into $BIN"
mkdir -p "$BIN"
(cd "$TD/programs" && "$GO" vet ./zoo/... && "$GO" build -trimpath -o "$BIN/" "${selected[@]/#/./zoo/}")
if [ -x "$GO123" ]; then
  log "$("$GO123" env GOVERSION): compile check"
  (cd "$TD/programs" && "$GO123" vet ./zoo/... && "$GO123" build -o /dev/null ./zoo/...)
else
  log "no $GO123: Go 1.23 compile check skipped"
fi

fetch() { curl --silent --show-error --fail --max-time 20 -o "$2" "$1"; }
now() { date +%s.%N; }
# num FILE KEY: the number after "KEY": in a compact JSON file (expvar, /stats).
num() { grep -o "\"$2\":[-0-9.e+]*" "$1" | head -n1 | cut -d: -f2; }
calc() { awk "BEGIN { printf(\"$1\", $2) }"; }
pause() { sleep "$(calc %.3f "($1) > 0 ? ($1) : 0")"; } # pause SECONDS-EXPRESSION, at least 0
idle() { calc %.0f "($(num "$1" HeapIdle) - $(num "$1" HeapReleased)) / 1048576"; } # MiB mapped, free, not released
cputicks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# top FILE PPROF-FLAGS...: "function share% total" for the leaf-most main.* frame with the
# largest flat value, e.g. "main.(*registry).flush 99.75% 95.55s"; "- 0% total" if none.
top() {
  "$GO" tool pprof -top -show='^main\.' "${@:2}" "$1" 2>/dev/null | awk '
    /^Showing nodes/ { total = $(NF - 1) }
    /^ *flat  *flat%/ { header = 1; next }
    header && NF >= 6 { name = $6; print name, $2, total; found = 1; exit }
    END { if (!found) print "-", "0%", total }'
}
# parked FILE FUNC: goroutines whose stack has FUNC, in a goroutine?debug=1 profile.
parked() {
  awk -v fn="$2+" '
    /^[0-9]+ @/ { n = $1; hit = 0; next }
    index($0, fn) { hit = 1 }
    /^$/ { if (hit) sum += n; hit = 0 }
    END { if (hit) sum += n; print sum + 0 }' "$1"
}
# states FILE FUNC: the wait states of the goroutines with FUNC in a goroutine?debug=2 dump.
states() {
  awk -v fn="$2(" '
    /^goroutine [0-9]+ \[/ { s = $0; sub(/^[^[]*\[/, "", s); sub(/[],].*$/, "", s); hit = 0; next }
    index($0, fn) == 1 && !hit { hit = 1; count[s]++ }
    END { for (k in count) printf "%s%d %s", (n++ ? ", " : ""), count[k], k; if (!n) printf "none" }' "$1"
}
share() { local s="${1%\%}"; echo "${s%.*}"; } # "82.12%" -> 82
sec() { local v="$1"; case "$v" in *ms) calc %.3f "${v%ms} / 1000" ;; *us) calc %.6f "${v%us} / 1e6" ;; *s) echo "${v%s}" ;; *) echo 0 ;; esac; }

failures=0
check() { # name expectation...: collects failed expectations in $bad
  if ! eval "$2"; then bad="$bad; want $1"; fi
}

run() {
  local name="$1" d="$WORK/$1" addr start t1 t2 c1 c2 i
  mkdir -p "$d"
  start="$(now)"
  (cd "$BIN" && exec -a "$name" "./$name") >"$d/out" 2>&1 &
  pid=$!
  addr=""
  for _ in $(seq 50); do addr="$(head -n1 "$d/out" 2>/dev/null || true)"; [ -n "$addr" ] && break; sleep 0.1; done
  [ -n "$addr" ] || { log "ERROR: $name printed no address"; cat "$d/out" >&2; exit 1; }
  case "$addr" in 127.0.0.1:*) ;; *) log "ERROR: $name listens on $addr, not loopback"; exit 1 ;; esac
  # Rates over the second before WAIT, when nothing but the program's own load runs;
  # then the profiles, at WAIT.
  pause "$WAIT - 1 - ($(now) - $start)"
  t1="$(now)"; c1="$(cputicks "$pid")"
  fetch "http://$addr/debug/vars" "$d/vars1.json"
  fetch "http://$addr/debug/pprof/goroutine?debug=1" "$d/g1.first.txt"
  pause "1 - ($(now) - $t1)"
  t2="$(now)"; c2="$(cputicks "$pid")"
  fetch "http://$addr/debug/vars" "$d/vars2.json"
  fetch "http://$addr/debug/pprof/goroutine?debug=1" "$d/g1.0.txt"
  fetch "http://$addr/debug/pprof/goroutine?debug=2" "$d/g2.txt"
  fetch "http://$addr/debug/pprof/goroutine" "$d/goroutine.pb.gz"
  for p in heap allocs mutex block; do fetch "http://$addr/debug/pprof/$p" "$d/$p.pb.gz"; done
  [ "$name" = rss ] && fetch "http://$addr/stats" "$d/stats.json"
  for i in 1 2 3 4; do sleep 0.07; fetch "http://$addr/debug/pprof/goroutine?debug=1" "$d/g1.$i.txt"; done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

  local dt uptime g1 g2 heap alloc objs gcs cpu gccpu idle inuse line bad=""
  dt="$(calc %.3f "$t2 - $t1")"; uptime="$(calc %.3f "$t2 - $start")"
  g1="$(head -n1 "$d/g1.first.txt" | awk '{ print $NF }')"; g2="$(head -n1 "$d/g1.0.txt" | awk '{ print $NF }')"
  heap="$(calc %.1f "$(num "$d/vars2.json" HeapAlloc) / 1048576")"
  alloc="$(calc %.1f "($(num "$d/vars2.json" TotalAlloc) - $(num "$d/vars1.json" TotalAlloc)) / 1e6 / $dt")"
  objs="$(calc %.0f "($(num "$d/vars2.json" Mallocs) - $(num "$d/vars1.json" Mallocs)) / 1e3 / $dt")"
  gcs="$(calc %.0f "($(num "$d/vars2.json" NumGC) - $(num "$d/vars1.json" NumGC)) / $dt")"
  cpu="$(calc %.0f "($c2 - $c1) / $(getconf CLK_TCK) / $dt * 100")"
  # GC CPU time is GCCPUFraction x GOMAXPROCS x uptime, as of the last GC: meaningful only
  # when the GC runs often.
  gccpu=-
  [ "$gcs" -ge 20 ] && gccpu="$(calc %.0f "($(num "$d/vars2.json" GCCPUFraction) * ($t2 - $start) - $(num "$d/vars1.json" GCCPUFraction) * ($t1 - $start)) * $GOMAXPROCS / (($c2 - $c1 + 0.5) / $(getconf CLK_TCK)) * 100")%"
  idle="$(calc %.0f "$(idle "$d/vars1.json") > $(idle "$d/vars2.json") ? $(idle "$d/vars1.json") : $(idle "$d/vars2.json")")"
  inuse="$(num "$d/vars2.json" HeapInuse)"
  line="g=$g1->$g2 heap=${heap}MiB alloc=${alloc}MB/s (${objs}k obj/s) gc=$gcs/s cpu=$cpu% gc-cpu=$gccpu"

  # The profile that shows the plant, and what it must say.
  local fn holder tname tshare ttotal mname mshare mtotal bname bshare btotal pmax=0 n
  fn="$(awk -v p="\"$name\"" '$1 == p":" { on = 1 } on && /"function"/ { print; exit }' "$PLANTED" | sed 's/.*"function": *"\{0,1\}\([^",]*\)"\{0,1\},*$/\1/')"
  holder="$(awk -v p="\"$name\"" '$1 == p":" { on = 1 } on && /"holder"/ { print; exit }' "$PLANTED" | sed 's/.*"holder": *"\{0,1\}\([^",]*\)"\{0,1\},*$/\1/')"
  topof() { # label file flags...
    read -r tname tshare ttotal < <(top "${@:2}")
    line="$line | $1 $tname $tshare of $ttotal"
  }
  contention() { # mutex and block: top user function, share, delay per second
    read -r mname mshare mtotal < <(top "$d/mutex.pb.gz" -unit=s)
    read -r bname bshare btotal < <(top "$d/block.pb.gz" -unit=s)
    line="$line | mutex $(calc %.2f "$(sec "$mtotal") / $uptime")s/s top $mname $mshare"
    line="$line | block $(calc %.2f "$(sec "$btotal") / $uptime")s/s top $bname $bshare"
  }
  pileup() { # func: goroutines with it on their stack, max of 5 samples 70 ms apart, and their states
    for i in 0 1 2 3 4; do n="$(parked "$d/g1.$i.txt" "$1")"; [ "$n" -gt "$pmax" ] && pmax="$n"; done
    line="$line | in $1: max $pmax of 5 samples ($(states "$d/g2.txt" "$1"))"
  }
  case "$name" in
    cache|subslice|queue)
      topof inuse_space "$d/heap.pb.gz" -sample_index=inuse_space -unit=MB
      check "inuse top $fn" '[ "$tname" = "$fn" ] && [ "$(share "$tshare")" -ge 50 ]' ;;
    tinyleak)
      topof inuse_objects "$d/heap.pb.gz" -sample_index=inuse_objects
      check "inuse_objects top $fn" '[ "$tname" = "$fn" ] && [ "$(share "$tshare")" -ge 50 ]' ;;
    tempbuf|boxing|jsonchurn|fmtchurn)
      topof alloc_space "$d/allocs.pb.gz" -sample_index=alloc_space -unit=MB
      check "alloc_space top $fn" '[ "$tname" = "$fn" ] && [ "$(share "$tshare")" -ge 50 ]'
      check "alloc >= 5 MB/s" '[ "$(calc %.0f "$alloc")" -ge 5 ]' ;;
    spike)
      line="$line idle-not-released=${idle}MiB (max of the two)"
      check "HeapIdle-HeapReleased >= 64 MiB" '[ "$idle" -ge 64 ]' ;;
    sparse)
      line="$line inuse/alloc=$(calc %.1f "$inuse / $(num "$d/vars2.json" HeapAlloc)")"
      check "HeapInuse >= 3 x HeapAlloc" '[ "$(calc %.0f "$inuse / $(num "$d/vars2.json" HeapAlloc) * 10")" -ge 30 ]' ;;
    steady)
      topof inuse_space "$d/heap.pb.gz" -sample_index=inuse_space -unit=MB
      check "heap < 32 MiB" '[ "$(calc %.0f "$heap")" -lt 32 ]'
      check "flat goroutines" '[ "$g2" -le $((g1 + 2)) ]' ;;
    goleak)
      pileup "$fn"
      topof inuse_space "$d/heap.pb.gz" -sample_index=inuse_space -unit=MB
      check ">= 1000 goroutines in $fn" '[ "$pmax" -ge 1000 ]'
      check "+300 goroutines/s" '[ "$g2" -ge $((g1 + 300)) ]'
      check "all in chan receive" '[[ "$(states "$d/g2.txt" "$fn")" =~ ^[0-9]+\ chan\ receive$ ]]' ;;
    lockpile|rwpile)
      contention; pileup "$fn"
      check "mutex top $holder" '[ "$mname" = "$holder" ] && [ "$(share "$mshare")" -ge 50 ]'
      check "block top $fn" '[ "$bname" = "$fn" ] && [ "$(share "$bshare")" -ge 50 ]'
      check ">= 20 parked" '[ "$pmax" -ge 20 ]' ;;
    hotmutex)
      contention
      check "mutex top $holder" '[ "$mname" = "$holder" ] && [ "$(share "$mshare")" -ge 50 ]'
      check "block top $fn" '[ "$bname" = "$fn" ] && [ "$(share "$bshare")" -ge 50 ]'
      check "mutex delay >= 0.1 s/s" '[ "$(calc %.0f "$(sec "$mtotal") / $uptime * 10")" -ge 1 ]' ;;
    chanblock)
      contention; pileup "$fn"
      check "block top $fn" '[ "$bname" = "$fn" ] && [ "$(share "$bshare")" -ge 50 ]'
      check ">= 20 parked" '[ "$pmax" -ge 20 ]' ;;
    gcpressure)
      topof alloc_space "$d/allocs.pb.gz" -sample_index=alloc_space -unit=MB
      check "alloc_space top $fn" '[ "$tname" = "$fn" ] && [ "$(share "$tshare")" -ge 50 ]'
      check ">= 10 GC/s" '[ "$gcs" -ge 10 ]'
      check "GC >= 20% of CPU" '[ "${gccpu%\%}" != - ] && [ "${gccpu%\%}" -ge 20 ]'
      check "heap < 16 MiB" '[ "$(calc %.0f "$heap")" -lt 16 ]' ;;
    rss)
      topof inuse_space "$d/heap.pb.gz" -sample_index=inuse_space -unit=MB
      line="$line idle-not-released=${idle}MiB stacks=$(calc %.1f "$(num "$d/vars2.json" StackInuse) / 1048576")MiB"
      line="$line /stats kept=$(num "$d/stats.json" keptBytes) parked=$(num "$d/stats.json" parkedGoroutines)"
      check "/stats keptBytes 48 MiB" '[ "$(num "$d/stats.json" keptBytes)" = 50331648 ]'
      check "/stats /memory/classes metrics" 'grep -q "/memory/classes/heap/stacks:bytes" "$d/stats.json"'
      check "HeapIdle-HeapReleased >= 64 MiB" '[ "$idle" -ge 64 ]'
      check "StackInuse >= 2000 x 8 KiB" '[ "$(num "$d/vars2.json" StackInuse)" -ge 16384000 ]'
      check ">= 2000 goroutines" '[ "$g1" -ge 2000 ]' ;;
    steadyhttp)
      contention
      check "flat goroutines" '[ "$g2" -le $((g1 + 2)) ]'
      check "mutex delay < 10 ms/s" '[ "$(calc %.0f "$(sec "$mtotal") / $uptime * 1000")" -lt 10 ]'
      check "no main.* frame in block" '[ "$bname" = - ] || [ "$(share "$bshare")" -lt 5 ]'
      check "heap < 32 MiB" '[ "$(calc %.0f "$heap")" -lt 32 ]' ;;
    *) die "no check for $name" ;;
  esac
  if [ -z "$bad" ]; then
    printf 'ok   %-10s %s\n' "$name" "$line"
  else
    printf 'FAIL %-10s %s%s\n' "$name" "$line" "$bad"
    failures=$((failures + 1))
  fi
}

for name in "${selected[@]}"; do run "$name"; done
[ "$failures" = 0 ] || { log "$failures program(s) failed"; exit 1; }
log "all ${#selected[@]} ok"
