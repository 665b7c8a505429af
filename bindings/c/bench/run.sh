#!/usr/bin/env bash
# The C ABI's benchmark (bench.c): builds libiamauth.a (release) with the `bench` feature (the
# core's own loop, iamauth_bench_core_rds_token, to time the C calls against in one process),
# then bench.c against it, and runs it; it writes target/bench/c.json ($IAMAUTH_BENCH_DIR).
#   bash bindings/c/bench/run.sh [rounds] [calls per batch]
# Exits non-zero if the token check fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../../tests/need.sh" # sets root
target="$(cargo_target)"
# Its own target dir: the feature must not replace the release library others link.
export CARGO_TARGET_DIR="$target/bench-build"
(cd "$root" && cargo build --quiet --release -p iamauth-c --features bench)
out="$CARGO_TARGET_DIR/release"
gcc -std=c11 -O2 -Wall -Wextra -Werror -I "$root/bindings/c/include" "$here/bench.c" \
    "$out/libiamauth.a" -lpthread -ldl -lm -o "$out/iamauth-c-bench"
export IAMAUTH_BENCH_DIR="${IAMAUTH_BENCH_DIR:-$root/target/bench}"
export IAMAUTH_BENCH_RUSTC="$(rustc --version)"
export IAMAUTH_BENCH_COMMAND="bash bindings/c/bench/run.sh${*:+ $*}"
mkdir -p "$IAMAUTH_BENCH_DIR"
"$out/iamauth-c-bench" "$@"
