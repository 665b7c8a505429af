#!/usr/bin/env bash
# Builds the count harness and runs check.py (benches/counts/README.md).
#   bash benches/counts/check.sh [--all] [--bless] [--json]
# core + C always (`make counts`, part of `make test`); --all adds Python (the wheel, built into
# a venv kept under the target dir), the Node addon (bindings/node, built), the wasm package
# (wasm/pkg, built) and the Java binding's JNI entry (bindings/java/build.sh), as `make bench`.
# --json also writes the counts as counts.json into $IAMAUTH_BENCH_DIR (default target/bench),
# for benches/bench.py.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/../../tests/need.sh"
all=0
args=()
for a in "$@"; do
    case "$a" in
        --all) all=1; args+=(--all) ;;
        --bless) args+=(--bless) ;;
        --json) args+=(--json "${IAMAUTH_BENCH_DIR:-$root/target/bench}/counts.json") ;;
        *) echo "usage: check.sh [--all] [--bless] [--json]" >&2; exit 2 ;;
    esac
done
need_apt valgrind
target="$(cargo_target)"
work="$target/counts"
mkdir -p "$work"

step "counts: building (core harness, libiamauth.a)"
# Exactly the root's dependency versions (its own workspace: see Cargo.toml).
cp "$root/Cargo.lock" "$here/Cargo.lock"
cargo build --quiet --release --manifest-path "$here/Cargo.toml" --target-dir "$target"
(cd "$root" && cargo build --quiet --release -p iamauth-c)
gcc -std=c11 -O2 -Wall -Wextra -Werror -I "$root/bindings/c/include" "$here/rds_token.c" \
    "$target/release/libiamauth.a" -lpthread -ldl -lm -o "$work/rds_token"
if [[ $all == 1 ]]; then
    step "counts: building (Python wheel, Node addon)"
    need_venv
    venv="$work/venv" # kept between runs (maturin in it); the wheel is rebuilt each run
    if [ ! -x "$venv/bin/maturin" ]; then
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check maturin==1.16.0
    fi
    rm -rf "$work/wheels"
    "$venv/bin/maturin" build --quiet --release -m "$root/bindings/python/Cargo.toml" -o "$work/wheels" \
        -i "$venv/bin/python" >/dev/null
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index --force-reinstall \
        "$work"/wheels/pyiamauth-*.whl
    args+=(--python "$venv/bin/python")
    need_node
    dir="$root/bindings/node"
    [ -d "$dir/node_modules" ] || (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    (cd "$dir" && npm run --silent build >/dev/null)
    step "counts: building (wasm package, Java binding)"
    (cd "$root/wasm" && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build >/dev/null)
    need_jdk
    bash "$root/bindings/java/build.sh" "$work/java" >/dev/null
    javac -d "$work/java" -cp "$work/java/iamauth.jar" "$here/RdsToken.java"
    args+=(--java-dir "$work/java")
fi
step "counts: callgrind, each case at N and 2N calls"
python3 "$here/check.py" --target "$target" "${args[@]}"
