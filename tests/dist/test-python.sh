#!/usr/bin/env bash
# The Python packages in dist/python (bindings/python/dist.sh), each installed as a user installs
# it and run through the pytest suite (bindings/python/suite.sh, the same run as test.sh's):
#
#   tests/dist/test-python.sh          the x86_64 wheel: a fresh venv, no Rust toolchain on PATH,
#                                      pip install --no-index --find-links dist/python pyiamauth
#   tests/dist/test-python.sh --all    also the sdist (pip builds it with cargo, in a fresh venv)
#                                      and the aarch64 wheel on Debian's arm64 CPython under qemu
#
# The test tools (pytest, botocore, ...) come from PyPI, pinned in suite.sh. Prints one line per
# artifact, `test-python: ARTIFACT: N passed, N failed`; the exit status is 0 only if all passed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/tests/dist/tools.sh"
. "$ROOT/bindings/python/suite.sh"
ALL=0
[[ "${1:-}" == "--all" ]] && ALL=1
DIST="$ROOT/dist/python"
PIP_FLAGS=(--quiet --disable-pip-version-check)

shopt -s nullglob
wheel_x86=("$DIST"/pyiamauth-*-cp39-abi3-*x86_64.whl)
wheel_arm=("$DIST"/pyiamauth-*-cp39-abi3-*aarch64.whl)
sdist=("$DIST"/pyiamauth-*.tar.gz)
shopt -u nullglob
[ ${#wheel_x86[@]} = 1 ] || { echo "test-python: no x86_64 wheel in $DIST: run bindings/python/dist.sh" >&2; exit 1; }
if [[ $ALL == 1 ]]; then
    [ ${#wheel_arm[@]} = 1 ] && [ ${#sdist[@]} = 1 ] ||
        { echo "test-python: no aarch64 wheel or sdist in $DIST: run bindings/python/dist.sh" >&2; exit 1; }
fi

need_venv
WORK="$(mktemp -d "${TMPDIR:-/tmp}/iamauth-dist-python.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
SUMMARY=()
FAILED=0

# Runs the suite in DIR with PYTHON (no Rust on PATH); records ARTIFACT's counts from pytest.
suite() { # ARTIFACT DIR PYTHON
    local log="$2/suite.log" rc=0 passed failed
    PATH="$(no_rust_path)" python_suite "$2" "$3" 2>&1 | tee "$log" || rc=$?
    # pytest's last line: "1020 passed in 5.87s", "2 failed, 1018 passed, 1 error in 6.01s"
    read -r passed failed < <(tail -n 1 "$log" | awk '{ for (i = 2; i <= NF; i++) {
        if ($i ~ /^passed/) p += $(i - 1); if ($i ~ /^(failed|errors?)/) f += $(i - 1) } }
        END { print p + 0, f + 0 }')
    if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi # stubtest, or pytest could not start
    [ "$rc" = 0 ] || FAILED=1
    SUMMARY+=("test-python: $1: $passed passed, $failed failed")
}

# A fresh venv with the pinned test tools from PyPI (wheels only: no compiler is needed).
fresh_venv() { # DIR
    python3 -m venv "$1/venv"
    "$1/venv/bin/python" -m pip install "${PIP_FLAGS[@]}" --only-binary=:all: "${PYTHON_TEST_PINS[@]}"
}

# 1. The x86_64 wheel, with no Rust toolchain on PATH, from dist/python only.
(
    PATH="$(no_rust_path)"
    export PATH
    ! command -v cargo >/dev/null && ! command -v rustc >/dev/null ||
        { echo "test-python: cargo is still on PATH" >&2; exit 1; }
    mkdir "$WORK/x86_64"
    fresh_venv "$WORK/x86_64"
    "$WORK/x86_64/venv/bin/python" -m pip install "${PIP_FLAGS[@]}" --no-index --only-binary=pyiamauth \
        --find-links "$DIST" pyiamauth
)
suite "$(basename "${wheel_x86[0]}")" "$WORK/x86_64" "$WORK/x86_64/venv/bin/python"

if [[ $ALL == 1 ]]; then
    # 2. The sdist, built from source by pip (maturin from PyPI, in pip's isolated build) with cargo.
    mkdir "$WORK/sdist"
    fresh_venv "$WORK/sdist"
    echo "test-python: building ${sdist[0]##*/} with cargo (pip's isolated build)" >&2
    "$WORK/sdist/venv/bin/python" -m pip install "${PIP_FLAGS[@]}" --no-binary=pyiamauth "${sdist[0]}"
    suite "$(basename "${sdist[0]}")" "$WORK/sdist" "$WORK/sdist/venv/bin/python"

    # 3. The aarch64 wheel on Debian's arm64 CPython 3.11 under qemu, no Rust on PATH: the wheel
    # unzipped into a site-packages directory with the test tools' aarch64 (or pure) wheels.
    arm64_sysroot python3.11
    pins=()
    for p in "${PYTHON_TEST_PINS[@]}"; do
        [[ $p == mypy==* ]] || pins+=("$p") # stubtest runs on x86_64 only (below)
    done
    # redis needs async-timeout below Python 3.11.3 (Debian's arm64 python3.11 is 3.11.2); pip
    # resolves the markers for this host's Python, which does not.
    pins+=(async-timeout==5.0.1)
    site="$WORK/aarch64/site-packages"
    mkdir -p "$site"
    (
        PATH="$(no_rust_path)"
        ! command -v cargo >/dev/null || exit 1
        # The x86_64 test venv's pip: the host's own would check against its own packages.
        "$WORK/x86_64/venv/bin/python" -m pip install "${PIP_FLAGS[@]}" --target "$site" --only-binary=:all: \
            --implementation cp --python-version 3.11 --abi cp311 --abi abi3 --abi none \
            --platform manylinux2014_aarch64 --platform manylinux_2_28_aarch64 "${pins[@]}"
    )
    python3 -m zipfile -e "${wheel_arm[0]}" "$site"
    cat >"$WORK/aarch64/python" <<EOF
#!/bin/sh
PATH="$(no_rust_path)" PYTHONPATH="$site" PYTHONNOUSERSITE=1 QEMU_LD_PREFIX="$ARM64_SYSROOT" \\
    exec qemu-aarch64-static -L "$ARM64_SYSROOT" "$ARM64_SYSROOT/usr/bin/python3.11" "\$@"
EOF
    chmod +x "$WORK/aarch64/python"
    "$WORK/aarch64/python" -c 'import platform, pyiamauth; print("test-python: aarch64:", platform.machine(), pyiamauth.__file__)'
    # mypy's stubtest ran on x86_64: the stubs are the same files in every wheel.
    # Tests that start a child Python start this wrapper: the host cannot exec arm64 programs.
    IAMAUTH_TEST_PYTHON="$WORK/aarch64/python" PYTHON_SUITE_STUBTEST=0 \
        suite "$(basename "${wheel_arm[0]}")" "$WORK/aarch64" "$WORK/aarch64/python"
fi

printf '%s\n' "${SUMMARY[@]}"
exit $FAILED
