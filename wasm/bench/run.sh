#!/usr/bin/env bash
# The wasm benchmark (issue 15: a warm RDS token inside wasm at most 1.3x its SHA-256 floor inside
# wasm): builds the package (wasm/pkg, `npm run build`) and the benchmark's own module (feature
# `bench`, into wasm/bench/pkg, never published), then runs bench.mjs, which prints the results and
# writes target/bench/wasm.json ($IAMAUTH_BENCH_DIR overrides the directory). Idempotent: cargo
# and npm only do what is missing.
#   bash wasm/bench/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
wasm="$(cd "$here/.." && pwd)"
command -v node >/dev/null || { echo "node (18+) and npm are required" >&2; exit 1; }
cd "$wasm"
[ -x node_modules/.bin/wasm-opt ] || npm ci --no-audit --no-fund --loglevel=error
echo "=== building the package (wasm/pkg)" >&2
node build.mjs >&2
echo "=== building the benchmark's module (wasm/bench/pkg)" >&2
node build.mjs --bench "$here/pkg" >&2
exec node "$here/bench.mjs"
