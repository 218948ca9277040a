#!/usr/bin/env bash
# Builds wasm/trace-merge.wasm from wasm/trace-merge (Rust, no dependencies).
# Needs cargo and the wasm32-unknown-unknown target:
#   rustup target add wasm32-unknown-unknown
# Usage: bash wasm/build.sh [output]   (default: wasm/trace-merge.wasm)
# The build is reproducible with the same toolchain: a test compares a fresh
# build with the committed file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/trace-merge.wasm}"
cd "$here/trace-merge"
cargo build --quiet --release --target wasm32-unknown-unknown
cp "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/trace_merge.wasm" "$out"
