#!/usr/bin/env bash
# Builds the Python binding and runs its pytest suite against the INSTALLED wheel, from a fresh
# throwaway venv and from outside the source tree. Needs python3 (>= 3.9, with venv) and cargo.
#
#   bindings/python/test.sh            # exit status is pytest's; the last line gives the counts
#   bindings/python/test.sh --bench    # the same (wheel with the `bench` feature), plus bench.py in
#                                      # the same venv (before pytest); writes target/bench/python.json
#
# PYTHON=python3.12 picks another interpreter.
set -euo pipefail

BENCH=0
if [[ "${1:-}" == "--bench" ]]; then
    BENCH=1
    shift
fi

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
. "$HERE/suite.sh" # python_suite and the test pins
MATURIN=maturin==1.16.0 # builds the wheel

WORK="$(mktemp -d "${TMPDIR:-/tmp}/iamauth-python-test.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

. "$ROOT/tests/need.sh"
[ "$PYTHON" != python3 ] || need_venv # Debian's python3 needs python3-venv for this
"$PYTHON" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
"$VPY" -m pip install --quiet --disable-pip-version-check "$MATURIN" "${PYTHON_TEST_PINS[@]}"

# Build the abi3 wheel (release, as users get it) with the venv's maturin, then install it.
# --bench: with the `bench` feature (`_native._bench_core_rds_token`, the core's loop bench.py
# times the binding against; private, not in the .pyi).
FEATURES=()
[[ $BENCH == 0 ]] || FEATURES=(--features bench)
"$WORK/venv/bin/maturin" build --release --quiet -m "$HERE/Cargo.toml" -o "$WORK/wheels" -i "$VPY" "${FEATURES[@]}"
"$VPY" -m pip install --quiet --disable-pip-version-check --no-index "$WORK"/wheels/pyiamauth-*.whl

if [[ $BENCH == 1 ]]; then
    # Benchmark first, so pytest's count line stays the last line of the output.
    "$VPY" "$HERE/bench.py"
fi
python_suite "$WORK" "$VPY" "$@"
