#!/usr/bin/env bash
# Builds both JS packages and runs the one JS suite against every artifact (Node addon, wasm
# in Node via require and import, wasm in headless Chromium, wasm in workerd, the addon and the
# wasm package under Bun and under Deno, both from npm), the README's JS snippets and the
# TypeScript check. Installs what is missing: Chromium from Debian, the npm
# packages from the lockfiles, wasm-bindgen-cli (the wasm build does that).
#   bash tests/js/test.sh [TARGET...]     (targets: node wasm-cjs wasm-esm browser workerd bun bun-wasm deno deno-wasm)
#   bash tests/js/test.sh --bench         the per-call benchmark instead (the addon built with its
#                                         `bench` feature; writes target/bench/node.json)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

command -v node >/dev/null || { echo "node (18+) and npm are required" >&2; exit 1; }
if ! command -v chromium >/dev/null && [ -z "${CHROMIUM:-}" ]; then
  echo "installing chromium (Debian) for the browser target"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# @confluentinc/kafka-javascript (the Kafka helpers' test) has no prebuilt binary reachable here
# (it downloads one from GitHub): npm builds its bundled librdkafka, linked against Debian's
# libraries (CKJS_LINKING=dynamic; its default static build downloads their sources).
export CKJS_LINKING=dynamic
if ! dpkg -s libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev libcurl4-openssl-dev >/dev/null 2>&1; then
  echo "installing librdkafka's build dependencies (Debian) for @confluentinc/kafka-javascript"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev libcurl4-openssl-dev >/dev/null
fi

build() { # DIR [npm script]
  echo "=== building $1"
  (cd "$root/$1" && npm ci --no-audit --no-fund --loglevel=error && npm run --silent "${2:-build}")
}
if [ "${1:-}" = "--bench" ]; then
  # The addon with the `bench` feature (the core's loop bench.mjs times it against); the wasm
  # rows only when the wasm package builds (wasm/bench/ owns the wasm figures).
  build bindings/node build:bench
  build wasm || echo "=== the wasm package did not build: bench.mjs skips its rows"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  cd "$here"
  exec node bench.mjs
fi
build bindings/node
build wasm
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

cd "$here"
exec node run.mjs "$@"
