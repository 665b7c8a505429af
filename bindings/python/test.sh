#!/usr/bin/env bash
# Builds the Python binding and runs its pytest suite against the INSTALLED wheel, from a fresh
# throwaway venv and from outside the source tree. Needs python3 (>= 3.9, with venv) and cargo.
#
#   bindings/python/test.sh            # exit status is pytest's; the last line gives the counts
#   bindings/python/test.sh --bench    # the same, plus bench.py in the same venv (before pytest)
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
# Pinned test tools (maturin builds the wheel; botocore supplies the real credential classes;
# mypy's stubtest checks _native.pyi against the built module; psycopg2 and SQLAlchemy, the same
# versions as tests/e2e, run the README's driver and pool recipes).
PINS=(maturin==1.16.0 pytest==9.2.0 botocore==1.44.8 mypy==2.4.1 psycopg2-binary==2.9.13
      SQLAlchemy==2.1.9)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/iamauth-python-test.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

. "$ROOT/tests/need.sh"
[ "$PYTHON" != python3 ] || need_venv # Debian's python3 needs python3-venv for this
"$PYTHON" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
"$VPY" -m pip install --quiet --disable-pip-version-check "${PINS[@]}"

# Build the abi3 wheel (release, as users get it) with the venv's maturin, then install it.
"$WORK/venv/bin/maturin" build --release --quiet -m "$HERE/Cargo.toml" -o "$WORK/wheels" -i "$VPY"
"$VPY" -m pip install --quiet --disable-pip-version-check --no-index "$WORK"/wheels/iamauth-*.whl

# Run a copy of the tests from the temp dir, so `import iamauth` can only find the wheel.
cp -r "$HERE/tests" "$WORK/tests"
cd "$WORK"
# The stubs must match the module's real signatures and names.
"$VPY" -m mypy.stubtest iamauth
if [[ $BENCH == 1 ]]; then
    # Benchmark first, so pytest's count line stays the last line of the output.
    "$VPY" "$HERE/bench.py"
fi
IAMAUTH_ROOT="$ROOT" "$VPY" -m pytest -p no:cacheprovider -q "$WORK/tests" "$@"
