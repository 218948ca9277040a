#!/usr/bin/env bash
# Regenerates testdata/bigvalues: profiles whose sample values pass 2^53 (written by
# testdata/programs/bigvalues, which encodes them by hand: no Go program allocates 8 PiB), and what
# Go 1.23.5's `go tool pprof` prints for them with top, peek and traces. goldens.tsv lists each golden
# as: file <TAB> report <TAB> flags <TAB> profile <TAB> peek regex. Takes a few seconds.
#
#   bash testdata/regen-bigvalues.sh
#
# Environment override: GO123 (default /usr/lib/go-1.23/bin/go, must be go1.23.5).
set -euo pipefail

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO123="${GO123:-/usr/lib/go-1.23/bin/go}"
OUT="$TD/bigvalues"

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOWORK=off
unset GOOS GOARCH GOEXPERIMENT GODEBUG || true

v="$("$GO123" env GOVERSION)"
[ "$v" = go1.23.5 ] || { echo "[regen-bigvalues] GO123=$GO123 is $v, want go1.23.5" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"
(cd "$TD/programs" && "$GO123" run -trimpath ./bigvalues "$OUT")

# report;flags;profile;regex — one golden each, named after them.
MATRIX='
top;;wide
top;-sample_index=alloc_objects;wide
top;-sample_index=alloc_objects -cum;wide
top;-sample_index=alloc_objects -nodefraction=0;wide
peek;-sample_index=alloc_objects;wide;main\.(a|b|odd)$
peek;;wide;main\.(a|b)$
traces;-sample_index=alloc_objects;wide
traces;;wide
top;;int64max
top;-sample_index=alloc_objects;int64max
traces;-sample_index=alloc_objects;int64max
top;-sample_index=alloc_objects;overflow
'
: > "$OUT/goldens.tsv"
while IFS=';' read -r report flags profile regex; do
  [ -n "$report" ] || continue
  name="$profile.$report$(printf '%s' "$flags" | tr -d ' ' | tr '=-' '..')"
  # shellcheck disable=SC2086 # flags are whitespace-separated on purpose
  if [ "$report" = peek ]; then
    (cd "$OUT" && "$GO123" tool pprof "-$report=$regex" $flags "$profile.pb.gz" > "$name" 2> /dev/null)
  else
    (cd "$OUT" && "$GO123" tool pprof "-$report" $flags "$profile.pb.gz" > "$name" 2> /dev/null)
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$report" "$flags" "$profile.pb.gz" "$regex" >> "$OUT/goldens.tsv"
done <<< "$MATRIX"
echo "[regen-bigvalues] wrote $(wc -l < "$OUT/goldens.tsv") goldens to $OUT" >&2
