#!/usr/bin/env bash
# Regenerates the committed doctor captures: builds zoo programs
# (testdata/programs/zoo) with the machine's Go, runs each on 127.0.0.1 for a
# moment past its start-up, then runs `footprint doctor --pid` on it, writing
# the capture folder under testdata/captures/<go version>/<program>/. Tests
# and `footprint demo` read them offline; the live zoo test
# (src/cli/doctor-zoo.test.ts) does the same against running services. The
# Go 1.26 lockpile capture is also copied to demo/capture for footprint demo.
#
#   npm run build && bash testdata/regen-captures.sh
#   ONLY=goleak bash testdata/regen-captures.sh
#
# Environment: GO (default `go`), WINDOW (default 3s), WARM (seconds, default 2.5).
set -euo pipefail

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$TD")"
GO="${GO:-$(command -v go)}"
WINDOW="${WINDOW:-3s}"
WARM="${WARM:-2.5}"
PROGRAMS=(goleak lockpile)

export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOWORK=off GOMAXPROCS=2
unset GOGC GOMEMLIMIT GODEBUG || true

log() { printf '[regen-captures] %s\n' "$*" >&2; }
[ -f "$ROOT/dist/cli/main.js" ] || { log "ERROR: build first (npm run build)"; exit 1; }
version="$("$GO" env GOVERSION | sed -E 's/^(go[0-9]+\.[0-9]+).*/\1/')"
BIN="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$BIN"; }
trap cleanup EXIT

(cd "$TD/programs" && "$GO" build -trimpath -o "$BIN/" "${PROGRAMS[@]/#/./zoo/}")
for name in "${PROGRAMS[@]}"; do
  [[ "$name" =~ ^(${ONLY:-.*})$ ]] || continue
  out="$TD/captures/$version/$name"
  rm -rf "$out"
  "$BIN/$name" >"$BIN/$name.out" 2>&1 &
  pid=$!
  for _ in $(seq 50); do addr="$(head -n1 "$BIN/$name.out" 2>/dev/null || true)"; [ -n "$addr" ] && break; sleep 0.1; done
  case "$addr" in 127.0.0.1:*) ;; *) log "ERROR: $name printed no loopback address"; exit 1 ;; esac
  sleep "$WARM"
  log "$version $name: doctor over $WINDOW"
  node "$ROOT/bin/footprint.js" doctor --duration "$WINDOW" --pid "$pid" --out "$out" "http://$addr" >/dev/null
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  # The binary ran from a temporary folder: name it by a fixed path, so no machine path is committed.
  sed -i "s#$BIN/#/opt/footprint-fixtures/zoo/#g" "$out"/*.json "$out"/proc-*.txt
  node "$TD/generate/refresh-manifest.mjs" "$out"
done
# footprint demo shows the doctor on the lock pile-up (demo/ ships in the package; testdata/ does not).
if [ -d "$TD/captures/go1.26/lockpile" ]; then rm -rf "$ROOT/demo/capture"; cp -r "$TD/captures/go1.26/lockpile" "$ROOT/demo/capture"; fi
log "done"
