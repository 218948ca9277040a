#!/usr/bin/env bash
# Regenerates testdata/golden/goregexp.json: what Go's regexp package makes of
# the patterns in testdata/programs/goregexp (errors, matches, leftmost-first
# match), the truth src/report/goregexp.test.ts holds footprint's RE2 engine to.
#
#   bash testdata/regen-goregexp.sh
#
# Written by Go 1.23.5 (whose pprof is the reference); Go 1.26 must agree, or
# the script stops and shows the difference. Takes a few seconds.
# Environment overrides: GO123 (default /usr/lib/go-1.23/bin/go), GO126 (default: `go` on PATH).
set -euo pipefail

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO123="${GO123:-/usr/lib/go-1.23/bin/go}"
GO126="${GO126:-$(command -v go)}"
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOWORK=off

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$TD/programs" && "$GO123" run ./goregexp) > "$tmp/go1.23.json"
(cd "$TD/programs" && "$GO126" run ./goregexp) > "$tmp/go1.26.json"
if ! cmp -s "$tmp/go1.23.json" "$tmp/go1.26.json"; then
  echo "[regen-goregexp] Go 1.23 and Go 1.26 disagree; keep one golden per version:" >&2
  diff "$tmp/go1.23.json" "$tmp/go1.26.json" >&2 || true
  exit 1
fi
mkdir -p "$TD/golden"
cp "$tmp/go1.23.json" "$TD/golden/goregexp.json"
echo "[regen-goregexp] wrote golden/goregexp.json ($("$GO123" env GOVERSION) and $("$GO126" env GOVERSION) agree)" >&2
