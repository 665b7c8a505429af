#!/usr/bin/env bash
# Builds the C library in release mode and installs it under PREFIX (default /usr/local):
#   PREFIX/include/iamauth.h, PREFIX/lib/libiamauth.{so,a}, PREFIX/lib/pkgconfig/iamauth.pc
# Usage: bindings/c/install.sh [PREFIX]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
prefix="${1:-/usr/local}"
target="${CARGO_TARGET_DIR:-$root/target}"

( cd "$root" && cargo build --quiet --release -p iamauth-c )
version="$(sed -n 's/^#define IAMAUTH_VERSION "\(.*\)"$/\1/p' "$here/include/iamauth.h")"
mkdir -p "$prefix/include" "$prefix/lib/pkgconfig"
install -m 644 "$here/include/iamauth.h" "$prefix/include/iamauth.h"
install -m 755 "$target/release/libiamauth.so" "$prefix/lib/libiamauth.so"
install -m 644 "$target/release/libiamauth.a" "$prefix/lib/libiamauth.a"
sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" "$here/iamauth.pc.in" \
    > "$prefix/lib/pkgconfig/iamauth.pc"
echo "install: iamauth $version in $prefix"
