#!/usr/bin/env bash
# Builds both JS packages and runs the one JS suite against every artifact (Node addon, wasm
# in Node via require and import, wasm in headless Chromium, wasm in workerd, the addon and the
# wasm package under Bun and under Deno, both from npm), the README's JS snippets and the
# TypeScript check. Installs what is missing: Chromium from Debian, the npm
# packages from the lockfiles, wasm-bindgen-cli (the wasm build does that).
#   bash tests/js/test.sh [TARGET...]     (targets: node wasm-cjs wasm-esm browser workerd bun bun-wasm deno deno-wasm)
#   bash tests/js/test.sh --bench         the per-call benchmark instead
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

command -v node >/dev/null || { echo "node (18+) and npm are required" >&2; exit 1; }
if ! command -v chromium >/dev/null && [ -z "${CHROMIUM:-}" ]; then
  echo "installing chromium (Debian) for the browser target"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

build() {
  echo "=== building $1"
  (cd "$root/$1" && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)
}
build bindings/node
build wasm
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

cd "$here"
if [ "${1:-}" = "--bench" ]; then
  exec node bench.mjs
fi
exec node run.mjs "$@"
