#!/usr/bin/env bash
# Builds the C library in release mode and installs it under PREFIX (default /usr/local):
#   PREFIX/include/iamauth.h
#   PREFIX/lib/libiamauth.so.X.Y.Z                       the shared library (SONAME libiamauth.so.0.Y in 0.x)
#   PREFIX/lib/libiamauth.so.0.Y -> libiamauth.so.X.Y.Z  the name programs look for at run time
#   PREFIX/lib/libiamauth.so     -> libiamauth.so.X.Y.Z  the name `-liamauth` finds at link time
#   PREFIX/lib/libiamauth.a, PREFIX/lib/pkgconfig/iamauth.pc
# Then, if PREFIX/lib is one of the dynamic loader's directories (/usr/local/lib, /usr/lib, ...),
# runs ldconfig (as root) or says to; otherwise prints how to run programs linked against it.
# Without cargo on PATH (e.g. under sudo) it installs the existing target/release build.
# Usage: bindings/c/install.sh [PREFIX]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/tests/need.sh" # cargo_target (nothing is installed from here)
prefix="${1:-/usr/local}"
target="$(cargo_target)"
so="$target/release/libiamauth.so"

if command -v cargo >/dev/null 2>&1; then
    ( cd "$root" && cargo build --quiet --release -p iamauth-c )
elif [ -f "$so" ]; then
    echo "install: cargo not on PATH; installing the existing build in $target/release"
else
    echo "install: no cargo on PATH and no $so: run 'cargo build --release -p iamauth-c' first" >&2
    exit 1
fi
version="$(sed -n 's/^#define IAMAUTH_VERSION "\(.*\)"$/\1/p' "$here/include/iamauth.h")"
# The SONAME is set by build.rs (its comment gives the rule); read it back rather than restate it.
soname="$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')"
if [ -z "$soname" ]; then
    echo "install: $so has no SONAME (see bindings/c/build.rs)" >&2
    exit 1
fi
mkdir -p "$prefix/include" "$prefix/lib/pkgconfig"
prefix="$(cd "$prefix" && pwd)"
libdir="$(cd "$prefix/lib" && pwd -P)"
install -m 644 "$here/include/iamauth.h" "$prefix/include/iamauth.h"
rm -f "$libdir/libiamauth.so" "$libdir/$soname"
install -m 755 "$so" "$libdir/libiamauth.so.$version"
ln -s "libiamauth.so.$version" "$libdir/$soname"
ln -s "libiamauth.so.$version" "$libdir/libiamauth.so"
install -m 644 "$target/release/libiamauth.a" "$libdir/libiamauth.a"
sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" "$here/iamauth.pc.in" \
    > "$libdir/pkgconfig/iamauth.pc"
echo "install: iamauth $version in $prefix ($soname)"

# Is libdir one the loader searches through its cache? (ldconfig -v lists them; -N -X: no writes)
searched=0
while IFS= read -r dir; do
    [ -d "$dir" ] && [ "$(cd "$dir" && pwd -P)" = "$libdir" ] && searched=1
done < <(ldconfig -v -N -X 2>/dev/null | sed -n 's/^\(\/[^:]*\):.*/\1/p')
if [ $searched = 1 ] && [ "$(id -u)" = 0 ]; then
    ldconfig
    echo "install: ran ldconfig; programs linked with -liamauth find $soname in $libdir"
elif [ $searched = 1 ]; then
    echo "install: next step, as root: ldconfig   (so that the loader finds $libdir/$soname)"
else
    cat <<EOF
install: $libdir is not searched by the dynamic loader. Programs linked with -liamauth need one of:
  cc app.c \$(pkg-config --cflags --libs iamauth) -Wl,-rpath,$libdir -o app   (PKG_CONFIG_PATH=$libdir/pkgconfig)
  LD_LIBRARY_PATH=$libdir ./app
  cc app.c \$(pkg-config --cflags iamauth) $libdir/libiamauth.a -lpthread -ldl -lm -o app   (static)
EOF
fi
