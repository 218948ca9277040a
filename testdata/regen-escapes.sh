#!/usr/bin/env bash
# Regenerates the escape-analysis fixtures under testdata/go1.26/escapes and testdata/go1.23/escapes
# from testdata/programs/escapes: the compiler's escape output in its three forms (-m, -m=2, -json)
# as `go build` writes it on stderr, and an allocs profile from running the program.
#
#   bash testdata/regen-escapes.sh
#
# Builds happen in a neutral copy of the fixture module ($ROOT/src), so no path of this checkout
# leaks into the outputs, and the binaries go to $ROOT/bin/<toolchain>/escapes (the path the
# profiles record in their mappings). The two toolchains are deliberately driven differently so the
# committed outputs cover the path spellings users paste:
#
#   go1.26  -m    -trimpath, in the package dir   -> footprint-fixtures/escapes/main.go:L:C
#           -m=2  no -trimpath, in the package dir -> ./main.go:L:C
#           -json -trimpath                        -> header "file":"footprint-fixtures/escapes/main.go"
#           allocs.pb.gz from a -trimpath binary   -> footprint-fixtures/escapes/main.go
#   go1.23  -m    no -trimpath, in the package dir -> ./main.go:L:C
#           -m=2  no -trimpath, from an unrelated dir through go.work -> /abs/.../escapes/main.go:L:C
#           -json no -trimpath                     -> file:///abs/... URIs
#           allocs.pb.gz from a binary built without -trimpath -> /abs/.../escapes/main.go
#
# Environment overrides: GO123 (default /usr/lib/go-1.23/bin/go), GO126 (default `go` on PATH),
# ROOT (default /opt/footprint-fixtures/escapes).
set -euo pipefail

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO123="${GO123:-/usr/lib/go-1.23/bin/go}"
GO126="${GO126:-$(command -v go)}"
ROOT="${ROOT:-/opt/footprint-fixtures/escapes}"
PKG=footprint-fixtures/escapes

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOWORK=off
unset GOOS GOARCH GOEXPERIMENT GODEBUG || true

log() { printf '[regen-escapes] %s\n' "$*" >&2; }
die() { printf '[regen-escapes] ERROR: %s\n' "$*" >&2; exit 1; }

check_toolchains() {
  local v
  v="$("$GO123" env GOVERSION)"; case "$v" in go1.23*) ;; *) die "GO123=$GO123 is $v, want go1.23.x" ;; esac
  v="$("$GO126" env GOVERSION)"; case "$v" in go1.26*) ;; *) die "GO126=$GO126 is $v, want go1.26.x" ;; esac
}

gobin() { if [ "$1" = go1.23 ]; then echo "$GO123"; else echo "$GO126"; fi; }

# A clean copy of the fixture module (go.mod + the escapes program) plus a go.work beside it, used
# to build from an unrelated directory.
copy_sources() {
  rm -rf "$ROOT/src" "$ROOT/go.work"
  mkdir -p "$ROOT/src/escapes"
  cp "$TD/programs/go.mod" "$ROOT/src/go.mod"
  cp "$TD/programs/escapes/main.go" "$ROOT/src/escapes/main.go"
  printf 'go 1.23\n\nuse ./src\n' >"$ROOT/go.work"
}

# build TOOLCHAIN GCFLAGS OUT_STDERR [extra go build flags...]: one build in the package dir whose
# stderr (the compiler's diagnostics, `# pkg` header included) is kept as a user would paste it.
build_in_pkg() {
  local tc="$1" gcflags="$2" out="$3"; shift 3
  (cd "$ROOT/src/escapes" && "$(gobin "$tc")" build "$@" -gcflags="$gcflags" -o "$ROOT/bin/$tc/escapes" . 2>"$out")
}

# -json writes one file per source file under DIR; DIR must be absolute. A fresh DIR is also a fresh
# build-cache key, so the compiler really runs (a cache hit would write nothing).
build_json() {
  local tc="$1" dest="$2"; shift 2
  local dir; dir="$(mktemp -d)"
  (cd "$ROOT/src/escapes" && "$(gobin "$tc")" build "$@" -gcflags="$PKG=-json=0,$dir" -o "$ROOT/bin/$tc/escapes" . 2>/dev/null)
  rm -rf "$dest"; mkdir -p "$dest"
  cp -r "$dir"/. "$dest"/
  rm -rf "$dir"
}

# run TOOLCHAIN OUTDIR [go build flags...]: the binary the profile comes from, run from / so only
# its own (neutral) path is recorded.
run_program() {
  local tc="$1" out="$2"; shift 2
  (cd "$ROOT/src/escapes" && "$(gobin "$tc")" build "$@" -o "$ROOT/bin/$tc/escapes" .)
  (cd / && "$ROOT/bin/$tc/escapes" "$out")
}

regen_go126() {
  local out="$TD/go1.26/escapes"
  rm -rf "$out"; mkdir -p "$out"
  log "go1.26: -m (-trimpath), -m=2, -json, allocs profile"
  build_in_pkg go1.26 -m "$out/m.txt" -trimpath
  build_in_pkg go1.26 -m=2 "$out/m2.txt"
  build_json go1.26 "$out/json" -trimpath
  run_program go1.26 "$out" -trimpath
}

regen_go123() {
  local out="$TD/go1.23/escapes" elsewhere
  rm -rf "$out"; mkdir -p "$out"
  log "go1.23: -m, -m=2 (absolute paths), -json, allocs profile (no -trimpath)"
  build_in_pkg go1.23 -m "$out/m.txt"
  # From an unrelated directory the relative path would be longer than the absolute one, so
  # go build prints absolute paths.
  elsewhere="$(mktemp -d)"
  (cd "$elsewhere" && GOWORK="$ROOT/go.work" "$GO123" build -gcflags=-m=2 -o "$ROOT/bin/go1.23/escapes" "$PKG" 2>"$out/m2.txt")
  rm -rf "$elsewhere"
  build_json go1.23 "$out/json"
  run_program go1.23 "$out"
}

check_paths() {
  # Committed fixtures must not leak this machine's paths (the neutral $ROOT is fine).
  local bad=0 f
  while IFS= read -r -d '' f; do
    if case "$f" in *.gz) zcat "$f" ;; *) cat "$f" ;; esac | grep -qaE '(/tmp/|/root/|/home/|/work/)[A-Za-z0-9_.-]+/'; then
      log "machine path leaked into $f"; bad=1
    fi
  done < <(find "$TD/go1.26/escapes" "$TD/go1.23/escapes" -type f -print0)
  [ "$bad" = 0 ] || die "machine-specific paths found"
}

main() {
  check_toolchains
  mkdir -p "$ROOT/bin/go1.23" "$ROOT/bin/go1.26"
  copy_sources
  regen_go126
  regen_go123
  check_paths
  log "done"
}

main "$@"
