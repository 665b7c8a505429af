#!/usr/bin/env bash
# The Python release artifacts, into dist/python/ (emptied first):
#
#   pyiamauth-<version>-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
#   pyiamauth-<version>-cp39-abi3-manylinux_2_17_aarch64.manylinux2014_aarch64.whl
#   pyiamauth-<version>.tar.gz           the sdist: builds from source with cargo (pip / maturin)
#
# One abi3 wheel per platform serves CPython 3.9 and later. maturin links with zig against glibc
# 2.17 (manylinux2014) and checks the result with its auditwheel pass. The tools (maturin,
# ziglang) come from tests/dist/tools.sh, in the reproducible environment of dist_env.
#
# No musllinux wheels: nothing here can run a musl CPython (Debian has none), and nothing is
# shipped that was not tested. tests/dist/test-python.sh tests what this makes.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
. "$ROOT/tests/dist/tools.sh"
TARGETS=(x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu)

dist_tools
dist_targets "${TARGETS[@]}"
dist_env
OUT="$ROOT/dist/python"
rm -rf "$OUT"
mkdir -p "$OUT"

for t in "${TARGETS[@]}"; do
    echo "python: wheel for $t" >&2
    # --strip: no symbol tables in a package users download (and it meets the 400 KB goal).
    maturin build --quiet --release --locked --strip --zig --compatibility manylinux2014 \
        --target "$t" -m "$HERE/Cargo.toml" -o "$OUT"
done
echo "python: sdist" >&2
maturin sdist -m "$HERE/Cargo.toml" -o "$OUT"

ls "$OUT"
