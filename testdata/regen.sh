#!/usr/bin/env bash
# Regenerates the pprof fixtures and the golden outputs under testdata/.
#
#   bash testdata/regen.sh               # everything (binaries, profiles, compiler profile, goldens)
#   bash testdata/regen.sh --binaries    # only (re)build the fixture binaries into /opt/footprint-fixtures
#   bash testdata/regen.sh --goldens     # only regenerate goldens + manifest from the committed profiles
#
# Builds are reproducible (-trimpath, -buildvcs=false, CGO_ENABLED=0, GOTOOLCHAIN=local), so
# `--binaries` recreates byte-identical binaries matching the committed profiles' addresses; the
# legacy-text goldens that pass a binary to pprof need them.
#
# Environment overrides: GO123 (default /usr/lib/go-1.23/bin/go, must be go1.23.5),
# GO126 (default: `go` on PATH, must be go1.26.x), FIXTURE_ROOT (default /opt/footprint-fixtures).
set -euo pipefail
set -f # no globbing: matrix flags contain regex metacharacters

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO123="${GO123:-/usr/lib/go-1.23/bin/go}"
GO126="${GO126:-$(command -v go)}"
FIXTURE_ROOT="${FIXTURE_ROOT:-/opt/footprint-fixtures}"
PROGRAMS=(heap heapdefault goroutines contention diff)
# Binaries: Go 1.23 -> $FIXTURE_ROOT/bin/<name>, Go 1.26 -> $FIXTURE_ROOT/bin/go1.26/<name>.
# Both keep the basename <name>, which is what pprof prints as "File:".
bindir() { if [ "$1" = go1.23 ]; then echo "$FIXTURE_ROOT/bin"; else echo "$FIXTURE_ROOT/bin/$1"; fi; }
gobin() { if [ "$1" = go1.23 ]; then echo "$GO123"; else echo "$GO126"; fi; }

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOWORK=off
unset GOOS GOARCH GOEXPERIMENT GODEBUG || true

log() { printf '[regen] %s\n' "$*" >&2; }
die() { printf '[regen] ERROR: %s\n' "$*" >&2; exit 1; }

check_toolchains() {
  local v
  v="$("$GO123" env GOVERSION)"; [ "$v" = go1.23.5 ] || die "GO123=$GO123 is $v, want go1.23.5"
  v="$("$GO126" env GOVERSION)"; case "$v" in go1.26*) ;; *) die "GO126=$GO126 is $v, want go1.26.x" ;; esac
}

build_binaries() {
  local tc name out
  for tc in go1.23 go1.26; do
    out="$(bindir "$tc")"
    mkdir -p "$out"
    for name in "${PROGRAMS[@]}"; do
      log "build $tc $name -> $out/$name"
      (cd "$TD/programs" && "$(gobin "$tc")" build -trimpath -o "$out/$name" "./$name")
    done
  done
}

run_programs() {
  local tc name out bin
  for tc in go1.23 go1.26; do
    for name in "${PROGRAMS[@]}"; do
      out="$TD/$tc/$name"
      bin="$(bindir "$tc")/$name"
      rm -rf "$out"; mkdir -p "$out"
      log "run $tc $name"
      # Run from a neutral directory; the profiles only record the binary path.
      if [ "$name" = diff ]; then
        (cd / && "$bin" "$out" before && "$bin" "$out" after && "$bin" "$out" cumulative)
      else
        (cd / && "$bin" "$out")
      fi
    done
  done
}

compiler_profile() {
  # Large legacy (debug=1 text) heap profiles written by the Go 1.23 and Go 1.26 compilers while
  # compiling go/types. -gcflags only applies to the named package; -a + a fresh GOCACHE force the compile.
  local tc gobin out cache
  for tc in go1.23 go1.26; do
    gobin="$GO126"; [ "$tc" = go1.23 ] && gobin="$GO123"
    out="$TD/$tc/compiler"
    rm -rf "$out"; mkdir -p "$out"
    cache="$(mktemp -d)"
    log "compile go/types with -memprofile ($tc)"
    (cd / && GOCACHE="$cache" "$gobin" build -a \
        -gcflags="-memprofile=$out/compile.memprofile.txt -memprofilerate=524288" go/types)
    rm -rf "$cache"
  done
}

# ---------------------------------------------------------------------------------------------
# Golden matrix. One entry per line:  report;flags;profile;base;diff_base;binary;regex
#   report: top, peek or traces; flags are whitespace-separated; paths are relative to testdata/
#   (binary paths are absolute). Empty fields are allowed. Lines starting with # are comments.
# ---------------------------------------------------------------------------------------------
matrix() {
  local B="$FIXTURE_ROOT/bin" B26="$FIXTURE_ROOT/bin/go1.26"
  local COMPILE; COMPILE="$("$GO123" env GOTOOLDIR)/compile"
  local H=go1.23/heap/heap.pb.gz A=go1.23/heap/allocs.pb.gz T=go1.23/heap/heap.txt
  local HD=go1.23/heapdefault/heap.pb.gz HDT=go1.23/heapdefault/heap.txt
  local G=go1.23/goroutines/goroutine.pb.gz GT=go1.23/goroutines/goroutine.txt
  local M=go1.23/contention/mutex.pb.gz MT=go1.23/contention/mutex.txt
  local K=go1.23/contention/block.pb.gz KT=go1.23/contention/block.txt
  local D=go1.23/diff
  local CP=go1.23/compiler/compile.memprofile.txt
  local CP26=go1.26/compiler/compile.memprofile.txt COMPILE26; COMPILE26="$("$GO126" env GOTOOLDIR)/compile"
  cat <<EOF
# ---- heap, proto (inuse_space default) ----
top;;$H;;;;
top;-sample_index=0;$H;;;;
top;-sample_index=1;$H;;;;
top;-sample_index=2;$H;;;;
top;-sample_index=3;$H;;;;
top;-sample_index=alloc_space;$H;;;;
top;-sample_index=alloc_objects;$H;;;;
top;-sample_index=inuse_space;$H;;;;
top;-sample_index=inuse_objects;$H;;;;
top;-inuse_space;$H;;;;
top;-inuse_objects;$H;;;;
top;-alloc_space;$H;;;;
top;-alloc_objects;$H;;;;
top;-functions;$H;;;;
top;-filefunctions;$H;;;;
top;-files;$H;;;;
top;-lines;$H;;;;
top;-addresses;$H;;;;
top;-cum;$H;;;;
top;-nodecount=5;$H;;;;
top;-nodefraction=0.05;$H;;;;
top;-nodefraction=0;$H;;;;
top;-focus=main\.buildTree;$H;;;;
top;-focus=main\.makeKey;$H;;;;
top;-ignore=main\.(buildTree|descend);$H;;;;
top;-hide=runtime;$H;;;;
top;-hide=main\.descend;$H;;;;
top;-show=main\.;$H;;;;
top;-unit=kB;$H;;;;
top;-unit=MB;$H;;;;
top;-unit=auto;$H;;;;
top;-unit=B;$H;;;;
top;-lines -cum -nodecount=10;$H;;;;
top;-focus=main\.descend -lines;$H;;;;
top;-focus=main\.makeKey -lines;$H;;;;
top;-focus=main\.makeKey -addresses;$H;;;;
top;-sample_index=alloc_space -lines;$H;;;;
top;-alloc_space -functions -cum;$H;;;;
top;-alloc_objects -files -cum;$H;;;;
top;-sample_index=inuse_objects -filefunctions -nodefraction=0;$H;;;;
top;-addresses -nodecount=20;$H;;;;
top;-show=main\. -lines;$H;;;;
top;-hide=runtime -cum -nodefraction=0;$H;;;;
top;-ignore=runtime -sample_index=alloc_objects -unit=MB;$H;;;;
top;-alloc_space -nodefraction=0.05 -unit=kB;$H;;;;
peek;;$H;;;;main\.buildTree
peek;;$H;;;;main\.makeKey
peek;-lines;$H;;;;main\.makeKey
peek;-sample_index=alloc_space;$H;;;;main\.(growRegistry|churn)
peek;-alloc_space -cum;$H;;;;runtime\.main
peek;-nodefraction=0;$H;;;;main\.descend
traces;;$H;;;;
traces;-sample_index=alloc_space;$H;;;;
traces;-lines;$H;;;;
# ---- allocs, proto (alloc_space default) ----
top;;$A;;;;
top;-sample_index=inuse_space;$A;;;;
top;-sample_index=0;$A;;;;
top;-inuse_objects;$A;;;;
top;-alloc_objects;$A;;;;
top;-lines;$A;;;;
top;-cum;$A;;;;
top;-focus=main\.churn;$A;;;;
top;-ignore=main\.churn;$A;;;;
top;-nodecount=5;$A;;;;
top;-unit=MB;$A;;;;
top;-functions -cum;$A;;;;
top;-files;$A;;;;
top;-filefunctions;$A;;;;
peek;;$A;;;;main\.churn
# ---- heap, legacy debug=1 text, without the binary ----
top;;$T;;;;
top;-sample_index=0;$T;;;;
top;-sample_index=1;$T;;;;
top;-sample_index=alloc_space;$T;;;;
top;-inuse_space;$T;;;;
top;-inuse_objects;$T;;;;
top;-alloc_space;$T;;;;
top;-alloc_objects;$T;;;;
top;-functions;$T;;;;
top;-lines;$T;;;;
top;-files;$T;;;;
top;-addresses;$T;;;;
top;-cum;$T;;;;
top;-nodecount=5;$T;;;;
top;-unit=MB;$T;;;;
traces;;$T;;;;
# ---- heap, legacy debug=1 text, with the binary ----
top;;$T;;;$B/heap;
top;-sample_index=0;$T;;;$B/heap;
top;-sample_index=alloc_space;$T;;;$B/heap;
top;-sample_index=inuse_objects;$T;;;$B/heap;
top;-inuse_space;$T;;;$B/heap;
top;-inuse_objects;$T;;;$B/heap;
top;-alloc_space;$T;;;$B/heap;
top;-alloc_objects;$T;;;$B/heap;
top;-functions;$T;;;$B/heap;
top;-filefunctions;$T;;;$B/heap;
top;-files;$T;;;$B/heap;
top;-lines;$T;;;$B/heap;
top;-addresses;$T;;;$B/heap;
top;-cum;$T;;;$B/heap;
top;-nodecount=5;$T;;;$B/heap;
top;-nodefraction=0.05;$T;;;$B/heap;
top;-nodefraction=0;$T;;;$B/heap;
top;-focus=main\.descend;$T;;;$B/heap;
top;-focus=main\.buildIndex -lines;$T;;;$B/heap;
top;-ignore=main\.(buildTree|descend);$T;;;$B/heap;
top;-hide=runtime;$T;;;$B/heap;
top;-show=main\.;$T;;;$B/heap;
top;-unit=kB;$T;;;$B/heap;
top;-unit=MB;$T;;;$B/heap;
top;-unit=auto;$T;;;$B/heap;
top;-lines -cum -nodecount=10;$T;;;$B/heap;
top;-alloc_space -lines;$T;;;$B/heap;
peek;;$T;;;$B/heap;main\.buildIndex
peek;;$T;;;$B/heap;main\.buildTree
traces;;$T;;;$B/heap;
# ---- heapdefault (MemProfileRate 512 KiB) ----
top;;$HD;;;;
top;-sample_index=alloc_space;$HD;;;;
top;-sample_index=1;$HD;;;;
top;-inuse_objects;$HD;;;;
top;-alloc_objects;$HD;;;;
top;-lines;$HD;;;;
top;-cum;$HD;;;;
top;-unit=MB;$HD;;;;
top;-unit=kB;$HD;;;;
traces;;$HD;;;;
top;;$HDT;;;;
top;-alloc_space;$HDT;;;;
top;;$HDT;;;$B/heapdefault;
top;-alloc_space;$HDT;;;$B/heapdefault;
top;-inuse_objects;$HDT;;;$B/heapdefault;
top;-alloc_objects -lines;$HDT;;;$B/heapdefault;
top;-unit=MB;$HDT;;;$B/heapdefault;
# ---- goroutine ----
top;;$G;;;;
top;-sample_index=0;$G;;;;
top;-sample_index=goroutine;$G;;;;
top;-functions;$G;;;;
top;-filefunctions;$G;;;;
top;-files;$G;;;;
top;-lines;$G;;;;
top;-addresses;$G;;;;
top;-cum;$G;;;;
top;-nodecount=5;$G;;;;
top;-nodefraction=0.05;$G;;;;
top;-nodefraction=0;$G;;;;
top;-focus=main\.chanReceiver;$G;;;;
top;-ignore=runtime\.gopark;$G;;;;
top;-hide=runtime;$G;;;;
top;-show=main\.;$G;;;;
top;-lines -cum -nodecount=10;$G;;;;
top;-focus=main\.nested -lines;$G;;;;
top;-tagfocus=pool=io;$G;;;;
top;-tagignore=pool=net;$G;;;;
peek;;$G;;;;main\.chanReceiver
peek;;$G;;;;sync\.\(\*Mutex\)\.Lock
peek;-lines;$G;;;;internal/poll\.\(\*FD\)\.Read
traces;;$G;;;;
top;;$GT;;;;
top;-lines;$GT;;;;
top;;$GT;;;$B/goroutines;
top;-lines;$GT;;;$B/goroutines;
top;-cum;$GT;;;$B/goroutines;
top;-hide=runtime;$GT;;;$B/goroutines;
traces;;$GT;;;$B/goroutines;
# ---- mutex ----
top;;$M;;;;
top;-sample_index=0;$M;;;;
top;-sample_index=1;$M;;;;
top;-sample_index=contentions;$M;;;;
top;-sample_index=delay;$M;;;;
top;-unit=ms;$M;;;;
top;-unit=s;$M;;;;
top;-unit=auto;$M;;;;
top;-functions;$M;;;;
top;-files;$M;;;;
top;-lines;$M;;;;
top;-addresses;$M;;;;
top;-cum;$M;;;;
top;-nodecount=5;$M;;;;
top;-nodefraction=0;$M;;;;
top;-focus=main\.transfer;$M;;;;
top;-ignore=main\.audit;$M;;;;
top;-hide=sync;$M;;;;
top;-show=main\.;$M;;;;
top;-lines -cum -unit=ms;$M;;;;
peek;;$M;;;;main\.deposit
peek;-unit=ms;$M;;;;sync\.\(\*Mutex\)\.Unlock
traces;;$M;;;;
top;;$MT;;;;
top;-sample_index=contentions;$MT;;;;
top;;$MT;;;$B/contention;
top;-sample_index=contentions;$MT;;;$B/contention;
top;-unit=ms;$MT;;;$B/contention;
top;-lines;$MT;;;$B/contention;
traces;;$MT;;;$B/contention;
# ---- block ----
top;;$K;;;;
top;-sample_index=0;$K;;;;
top;-sample_index=contentions;$K;;;;
top;-unit=ms;$K;;;;
top;-unit=s;$K;;;;
top;-functions;$K;;;;
top;-files;$K;;;;
top;-lines;$K;;;;
top;-addresses;$K;;;;
top;-cum;$K;;;;
top;-nodecount=5;$K;;;;
top;-nodefraction=0;$K;;;;
top;-focus=main\.produce;$K;;;;
top;-hide=runtime;$K;;;;
top;-show=main\.;$K;;;;
top;-cum -unit=ms -lines;$K;;;;
peek;;$K;;;;main\.\(\*queue\)\.pop
traces;;$K;;;;
top;;$KT;;;;
top;;$KT;;;$B/contention;
top;-sample_index=contentions;$KT;;;$B/contention;
top;-unit=ms;$KT;;;$B/contention;
# ---- diff: -diff_base before/after (and swapped) ----
top;;$D/after.heap.pb.gz;;$D/before.heap.pb.gz;;
top;-cum;$D/after.heap.pb.gz;;$D/before.heap.pb.gz;;
top;-lines;$D/after.heap.pb.gz;;$D/before.heap.pb.gz;;
top;-normalize;$D/after.heap.pb.gz;;$D/before.heap.pb.gz;;
top;-sample_index=inuse_objects;$D/after.heap.pb.gz;;$D/before.heap.pb.gz;;
top;-sample_index=alloc_space;$D/after.heap.pb.gz;;$D/before.heap.pb.gz;;
top;-unit=kB;$D/after.heap.pb.gz;;$D/before.heap.pb.gz;;
top;;$D/before.heap.pb.gz;;$D/after.heap.pb.gz;;
top;-cum;$D/before.heap.pb.gz;;$D/after.heap.pb.gz;;
top;-normalize;$D/before.heap.pb.gz;;$D/after.heap.pb.gz;;
top;;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-sample_index=0;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-sample_index=alloc_objects;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-inuse_space;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-cum;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-lines;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-functions;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-files;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-normalize;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-nodecount=5;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-nodefraction=0.05;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-nodefraction=0;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-focus=main\.allocate;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-focus=main\.(legacyEncode|fastEncode) -lines;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-hide=runtime;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-show=main\.;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-unit=MB;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;-unit=auto;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;
top;;$D/before.allocs.pb.gz;;$D/after.allocs.pb.gz;;
top;-cum;$D/before.allocs.pb.gz;;$D/after.allocs.pb.gz;;
top;-normalize;$D/before.allocs.pb.gz;;$D/after.allocs.pb.gz;;
top;-sample_index=alloc_objects -normalize;$D/before.allocs.pb.gz;;$D/after.allocs.pb.gz;;
peek;;$D/after.allocs.pb.gz;;$D/before.allocs.pb.gz;;main\.allocate
traces;;$D/after.heap.pb.gz;;$D/before.heap.pb.gz;;
# ---- diff: -base t0/t1 (cumulative snapshots of one process) ----
top;;$D/t1.allocs.pb.gz;$D/t0.allocs.pb.gz;;;
top;-sample_index=1;$D/t1.allocs.pb.gz;$D/t0.allocs.pb.gz;;;
top;-sample_index=alloc_objects;$D/t1.allocs.pb.gz;$D/t0.allocs.pb.gz;;;
top;-inuse_space;$D/t1.allocs.pb.gz;$D/t0.allocs.pb.gz;;;
top;-cum;$D/t1.allocs.pb.gz;$D/t0.allocs.pb.gz;;;
top;-lines;$D/t1.allocs.pb.gz;$D/t0.allocs.pb.gz;;;
top;-normalize;$D/t1.allocs.pb.gz;$D/t0.allocs.pb.gz;;;
top;-nodecount=5;$D/t1.allocs.pb.gz;$D/t0.allocs.pb.gz;;;
top;-nodefraction=0;$D/t1.allocs.pb.gz;$D/t0.allocs.pb.gz;;;
top;-unit=MB;$D/t1.allocs.pb.gz;$D/t0.allocs.pb.gz;;;
top;-focus=main\.fastEncode;$D/t1.allocs.pb.gz;$D/t0.allocs.pb.gz;;;
top;-hide=runtime -cum;$D/t1.allocs.pb.gz;$D/t0.allocs.pb.gz;;;
top;;$D/after.allocs.pb.gz;$D/before.allocs.pb.gz;;;
top;-normalize;$D/after.allocs.pb.gz;$D/before.allocs.pb.gz;;;
top;-normalize;$D/after.heap.pb.gz;$D/before.heap.pb.gz;;;
peek;;$D/t1.allocs.pb.gz;$D/t0.allocs.pb.gz;;;main\.handleRequest
# ---- diff: plain single profiles ----
top;;$D/before.heap.pb.gz;;;;
top;;$D/after.allocs.pb.gz;;;;
top;;$D/t1.allocs.pb.gz;;;;
# ---- Go 1.26 runtime profiles, read by Go 1.23.5 pprof ----
top;;go1.26/heap/heap.pb.gz;;;;
top;-sample_index=alloc_space;go1.26/heap/heap.pb.gz;;;;
top;-lines;go1.26/heap/heap.pb.gz;;;;
top;-cum;go1.26/heap/heap.pb.gz;;;;
top;-focus=main\.makeKey -lines;go1.26/heap/heap.pb.gz;;;;
top;;go1.26/heap/allocs.pb.gz;;;;
top;;go1.26/heap/heap.txt;;;;
top;;go1.26/heap/heap.txt;;;$B26/heap;
top;-lines;go1.26/heap/heap.txt;;;$B26/heap;
top;-alloc_space;go1.26/heap/heap.txt;;;$B26/heap;
top;;go1.26/heapdefault/heap.pb.gz;;;;
top;;go1.26/heapdefault/heap.txt;;;$B26/heapdefault;
top;;go1.26/goroutines/goroutine.pb.gz;;;;
top;-lines;go1.26/goroutines/goroutine.pb.gz;;;;
top;;go1.26/goroutines/goroutine.txt;;;;
top;;go1.26/goroutines/goroutine.txt;;;$B26/goroutines;
traces;;go1.26/goroutines/goroutine.pb.gz;;;;
top;;go1.26/contention/mutex.pb.gz;;;;
top;-sample_index=contentions;go1.26/contention/mutex.pb.gz;;;;
top;-unit=ms;go1.26/contention/mutex.pb.gz;;;;
top;;go1.26/contention/mutex.txt;;;$B26/contention;
top;;go1.26/contention/block.pb.gz;;;;
top;-lines;go1.26/contention/block.pb.gz;;;;
top;;go1.26/contention/block.txt;;;$B26/contention;
top;;go1.26/diff/after.allocs.pb.gz;;go1.26/diff/before.allocs.pb.gz;;
top;;go1.26/diff/t1.allocs.pb.gz;go1.26/diff/t0.allocs.pb.gz;;;
# ---- the compiler's own legacy heap profile ----
top;;$CP;;;$COMPILE;
top;-lines;$CP;;;$COMPILE;
top;-sample_index=alloc_space;$CP;;;$COMPILE;
top;-alloc_objects -cum;$CP;;;$COMPILE;
top;-nodecount=20 -files;$CP;;;$COMPILE;
top;;$CP;;;;
peek;;$CP;;;$COMPILE;cmd/compile/internal/ssagen\.buildssa
top;-addresses -nodefraction=0;$CP;;;$COMPILE;
top;-lines -nodefraction=0;$CP;;;$COMPILE;
traces;-focus=-fm$;$CP;;;$COMPILE;
# ---- the Go 1.26 compiler's, symbolised by pprof from the Go 1.26 compiler binary ----
top;;$CP26;;;$COMPILE26;
top;-lines;$CP26;;;$COMPILE26;
top;-sample_index=alloc_space;$CP26;;;$COMPILE26;
top;-alloc_objects -cum;$CP26;;;$COMPILE26;
top;-nodecount=20 -files;$CP26;;;$COMPILE26;
top;;$CP26;;;;
peek;;$CP26;;;$COMPILE26;cmd/compile/internal/ssagen\.buildssa
top;-addresses -nodefraction=0;$CP26;;;$COMPILE26;
top;-lines -nodefraction=0;$CP26;;;$COMPILE26;
traces;-focus=-fm$;$CP26;;;$COMPILE26;
# ---- Go's regular expressions (RE2) in every regex option: constructs a JS RegExp reads otherwise ----
top;-focus=(?P<tree>main\.buildTree);$H;;;;
top;-focus=(?<idx>main\.buildIndex);$H;;;;
top;-focus=[[:upper:]];$H;;;;
top;-focus=^main\.[[:lower:]]{4,8}$;$H;;;;
top;-ignore=(?i)MAIN\.GROWREGISTRY;$H;;;;
top;-hide=\p{Lu};$H;;;;
top;-hide=\Aruntime\.;$H;;;;
top;-show=\Qmain.\E;$H;;;;
top;-show=(?U)^main\..+\z;$H;;;;
top;-show_from=main\.main\z;$H;;;;
top;-tagfocus=pool=(?P<p>i[[:alpha:]]);$G;;;;
top;-tagignore=pool=\An[[:alpha:]]{2}\z;$G;;;;
peek;;$H;;;;(?P<x>main\.makeKey)
peek;;$H;;;;\Qstrings.(*Builder).grow\E
EOF
}

# Golden file name pieces.
slug() { # sanitise one flag or regex into a file-name-friendly token
  local s="$1"
  s="${s#-}"; s="${s#-}"
  case "$s" in sample_index=*) s="si-${s#sample_index=}" ;; esac
  s="${s//=/-}"
  s="$(printf '%s' "$s" | sed -E 's/\\\././g; s/[^A-Za-z0-9_.-]+/_/g; s/_+$//; s/^_+//')"
  printf '%s' "$s"
}
pid() { # profile path -> id: go1.23/heap/heap.pb.gz -> go1.23.heap.heap, .txt -> _txt
  local p="$1"
  p="${p%.pb.gz}"; case "$p" in *.txt) p="${p%.txt}_txt" ;; esac
  printf '%s' "${p//\//.}"
}

stem() { local b; b="$(basename "$1")"; printf '%s' "${b%.pb.gz}"; }

make_goldens() {
  local pprof_go="$GO123"
  rm -rf "$TD/golden"; mkdir -p "$TD/golden"
  local entries; entries="$(mktemp)"
  declare -A seen=()
  local n=0 report flagstr profile base diffb binary regex
  while IFS=';' read -r report flagstr profile base diffb binary regex; do
    case "$report" in ''|'#'*) continue ;; esac
    local -a flags=()
    read -r -a flags <<<"$flagstr" || true
    local name; name="$(pid "$profile")"
    [ -n "$binary" ] && name+=".withbin"
    [ -n "$base" ] && name+=".base-$(stem "$base")"
    [ -n "$diffb" ] && name+=".diff_base-$(stem "$diffb")"
    local f parts=""
    for f in "${flags[@]}"; do parts+=".$(slug "$f")"; done
    [ -z "$parts" ] && parts=".default"
    name+="$parts.$report"
    [ -n "$regex" ] && name+="-$(slug "$regex")"
    if [ -n "${seen[$name]:-}" ]; then die "duplicate golden name $name"; fi
    seen[$name]=1

    local -a cmd=("$pprof_go" tool pprof)
    if [ -n "$regex" ]; then cmd+=("-$report=$regex"); else cmd+=("-$report"); fi
    cmd+=("${flags[@]}")
    [ -n "$base" ] && cmd+=("-base=$base")
    [ -n "$diffb" ] && cmd+=("-diff_base=$diffb")
    [ -n "$binary" ] && cmd+=("$binary")
    cmd+=("$profile")
    if ! (cd "$TD" && TZ=UTC "${cmd[@]}" >"golden/$name" 2>/dev/null); then
      die "pprof failed: ${cmd[*]}"
    fi
    jq -cn --arg report "$report" --arg flagstr "$flagstr" --arg regex "$regex" \
      --arg profile "$profile" --arg base "$base" --arg diff_base "$diffb" \
      --arg binary "$binary" --arg golden "golden/$name" '
      {report: $report, flags: ($flagstr | split(" ") | map(select(. != "")))}
      + (if $regex != "" then {regex: $regex} else {} end)
      + {profile: $profile}
      + (if $base != "" then {base: $base} else {} end)
      + (if $diff_base != "" then {diff_base: $diff_base} else {} end)
      + (if $binary != "" then {binary: $binary} else {} end)
      + {golden: $golden}' >>"$entries"
    n=$((n + 1))
  done < <(matrix)
  jq -s . "$entries" >"$TD/golden/manifest.json"
  rm -f "$entries"
  log "wrote $n goldens + golden/manifest.json"
}

check_paths() {
  # Committed fixtures must not leak build-machine paths.
  local bad=0 f
  while IFS= read -r -d '' f; do
    if case "$f" in *.gz) zcat "$f" ;; *) cat "$f" ;; esac | grep -qaE '(/tmp/|/root/|/home/)[A-Za-z0-9_.-]+/'; then
      log "machine path leaked into $f"; bad=1
    fi
  done < <(find "$TD" -type f -print0)
  [ "$bad" = 0 ] || die "machine-specific paths found"
}

go_regexps() {
  # What Go's regexp makes of RE2 constructs: checks footprint's regex engine (make_goldens empties golden/).
  bash "$TD/regen-goregexp.sh"
}

go_number_formats() {
  # How Go formats the floats pprof prints (%.2f, %.2g): checks footprint's formatter.
  log "golden/gofmt.tsv"
  (cd "$TD/programs" && "$GO123" run ./gofmt) > "$TD/golden/gofmt.tsv"
}

main() {
  local mode="${1:-all}"
  check_toolchains
  case "$mode" in
    all)
      build_binaries
      run_programs
      compiler_profile
      make_goldens
      go_number_formats
      go_regexps
      check_paths
      ;;
    --binaries) build_binaries ;;
    --goldens) make_goldens; go_number_formats; go_regexps; check_paths ;;
    *) die "usage: $0 [--binaries|--goldens]" ;;
  esac
}

main "$@"
