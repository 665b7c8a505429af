#!/usr/bin/env bash
# `make dist`: every release artifact into dist/, built in the reproducible environment
# (tests/dist/tools.sh), then an SBOM per artifact and dist/SHA256SUMS (tests/dist/finish.py).
#   dist/npm/     iamauth, iamauth-linux-{x64,arm64}-gnu, iamauth-wasm   (bindings/node/dist.sh)
#   dist/python/  pyiamauth cp39-abi3 manylinux2014 wheels, sdist         (bindings/python/dist.sh)
#   dist/java/    iamauth-VERSION.jar with the linux x86_64 and aarch64 JNI libraries inside
#   dist/c/       iamauth-VERSION-TARGET.tar.gz: header, libraries, pkg-config, PAM module, command
# Installs its own tools (maturin, zig, cargo-zigbuild in target/dist-tools; rustup targets).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
start=$SECONDS
rm -rf dist
mkdir -p dist
for family in c python node java; do
    printf '\n== dist: %s (%ds)\n' "$family" $((SECONDS - start))
    bash "bindings/$family/dist.sh"
done
printf '\n== dist: SBOMs and SHA256SUMS (%ds)\n' $((SECONDS - start))
. tests/dist/tools.sh
dist_env
python3 tests/dist/finish.py dist
echo "dist: done in $((SECONDS - start)) s"
