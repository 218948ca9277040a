#!/usr/bin/env bash
# Regenerates the heap-dump fixtures under testdata/go1.23/heapdump and testdata/go1.26/heapdump
# from testdata/programs/heapdump, with Go 1.23 and Go 1.26:
#
#   heap.dump.gz        debug.WriteHeapDump of the program's planted retention (~16 MiB inflated)
#   planted.json        what the program says it planted (its stdout)
#   small.dump.gz       the same with -scale 256 (~450 KiB inflated: other size classes; the fuzz input)
#   small.planted.json
#   heapdump.sym.gz     the binary's ELF section headers and symbol table (objcopy --only-keep-debug,
#                       DWARF removed): what --binary reads, at 30 KB instead of a 2 MB executable
#
# and under testdata/go1.2[36]/heapretain, from testdata/programs/heapretain (a second planted
# program, written after the analysis and not used to tune it): heap.dump.gz, planted.json,
# heapretain.sym.gz.
#
#   bash testdata/regen-heapdump.sh              # both programs
#   bash testdata/regen-heapdump.sh heapretain   # one program only
#
# The program runs with an empty environment from its output folder: a heap dump holds the whole
# heap, the runtime's copy of the environment and os.Args included. Binaries go to
# $ROOT/bin/<toolchain>/<program> (not committed). Needs objcopy (binutils).
#
# Environment overrides: GO123 (default /usr/lib/go-1.23/bin/go), GO126 (default `go` on PATH),
# ROOT (default /opt/footprint-fixtures/heapdump).
set -euo pipefail

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO123="${GO123:-/usr/lib/go-1.23/bin/go}"
GO126="${GO126:-$(command -v go)}"
ROOT="${ROOT:-/opt/footprint-fixtures/heapdump}"

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOWORK=off
unset GOOS GOARCH GOEXPERIMENT GODEBUG || true

log() { printf '[regen-heapdump] %s\n' "$*" >&2; }
die() { printf '[regen-heapdump] ERROR: %s\n' "$*" >&2; exit 1; }

check_tools() {
  local v
  v="$("$GO123" env GOVERSION)"; case "$v" in go1.23*) ;; *) die "GO123=$GO123 is $v, want go1.23.x" ;; esac
  v="$("$GO126" env GOVERSION)"; case "$v" in go1.26*) ;; *) die "GO126=$GO126 is $v, want go1.26.x" ;; esac
  command -v objcopy >/dev/null || die "objcopy (binutils) is needed for heapdump.sym.gz"
}

# regen TOOLCHAIN GO PROGRAM: build, dump (the first program also at -scale 256), keep the symbol table.
regen() {
  local tc="$1" go="$2" prog="$3" out="$TD/$1/$3" bin="$ROOT/bin/$1/$3" work
  log "$tc: building and dumping $prog"
  mkdir -p "$(dirname "$bin")"
  (cd "$TD/programs" && "$go" build -trimpath -o "$bin" "./$prog")
  rm -rf "$out"; mkdir -p "$out"
  work="$(mktemp -d)"
  (cd "$work" && env -i "$bin" heap.dump >"$out/planted.json")
  if [ "$prog" = heapdump ]; then
    (cd "$work" && env -i "$bin" -scale 256 small.dump >"$out/small.planted.json")
    gzip -9 -c "$work/small.dump" >"$out/small.dump.gz"
  fi
  gzip -9 -c "$work/heap.dump" >"$out/heap.dump.gz"
  objcopy --only-keep-debug -R '.debug_*' -R '.zdebug_*' "$bin" "$work/$prog.sym"
  gzip -9 -c "$work/$prog.sym" >"$out/$prog.sym.gz"
  rm -rf "$work"
}

check_paths() {
  # A dump holds the process's memory: nothing of this machine may be in it.
  local bad=0 f
  for f in "$TD"/go1.2[36]/heap{dump,retain}/*.gz; do
    if zcat "$f" | grep -qaE '(/tmp/|/root/|/home/|/work/)[A-Za-z0-9_.-]+/|HOSTNAME=|PATH='; then
      log "machine path or environment leaked into $f"; bad=1
    fi
  done
  [ "$bad" = 0 ] || die "machine-specific content found"
}

main() {
  check_tools
  local prog
  for prog in ${1:-heapdump heapretain}; do
    regen go1.23 "$GO123" "$prog"
    regen go1.26 "$GO126" "$prog"
  done
  check_paths
  # footprint demo reads a small dump with its symbols (demo/ ships in the package; testdata/ does not).
  cp "$TD/go1.26/heapdump/small.dump.gz" "$TD/../demo/heap.dump.gz"
  gunzip -c "$TD/go1.26/heapdump/heapdump.sym.gz" > "$TD/../demo/heapdump.sym"
  log "done"
}

main "$@"
