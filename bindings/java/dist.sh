#!/usr/bin/env bash
# The release jar: dist/java/iamauth-VERSION.jar with the dev.iamauth classes and the JNI library
# for Linux x86_64 and aarch64 inside (/dev/iamauth/native/linux-x86_64/libiamauth_jni.so, ...,
# listed with the version in /dev/iamauth/native/index.properties), which NativeLoader extracts and loads with no
# system property. Built reproducibly (tests/dist/tools.sh: dist_env): the Rust staticlib by
# cargo-zigbuild and the JNI glue by zig cc, both for glibc 2.17; the jar with sorted entries all
# dated SOURCE_DATE_EPOCH, the license texts in META-INF and the version from Cargo.
#   bindings/java/dist.sh [OUT-DIR]        (default dist/java)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/tests/dist/tools.sh"
need_jdk
dist_tools
dist_env
out="${1:-$root/dist/java}"
# Rust triple, zig target, bundle directory (NativeLoader.platform of os.name / os.arch).
platforms=(
    "x86_64-unknown-linux-gnu x86_64-linux-gnu.2.17 linux-x86_64"
    "aarch64-unknown-linux-gnu aarch64-linux-gnu.2.17 linux-aarch64"
)
dist_targets x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu
# jar --date needs JDK 17 or later; the classes still target Java 11.
major="$(javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p')"
[ "${major:-0}" -ge 17 ] || { echo "dist.sh: jar --date needs JDK 17 or later (javac $major)" >&2; exit 1; }
for f in LICENSE-MIT LICENSE-APACHE; do
    [ -f "$root/$f" ] || { echo "dist.sh: $root/$f is missing" >&2; exit 1; }
done

stage="$CARGO_TARGET_DIR/java-dist"
bundled=""
rm -rf "$stage"
mkdir -p "$stage/jar/META-INF" "$out"
for p in "${platforms[@]}"; do
    read -r triple zig_target dir <<<"$p"
    (cd "$root" && cargo zigbuild --quiet --release -p iamauth-c --target "$triple.2.17")
    mkdir -p "$stage/jar/dev/iamauth/native/$dir"
    # build.sh's link, through zig: the version script in place of --exclude-libs (only Java_*
    # exported), -z defs (nothing unresolved), and zig's static libunwind for Rust's unwinding
    # (there is no libgcc_s here). jni.h / jni_md.h from the host JDK serve both Linux arches.
    zig cc -target "$zig_target" -std=c11 -O2 -Wall -Wextra -Werror -fPIC -shared \
        -ffile-prefix-map="$root"=/iamauth \
        -I "$JAVA_HOME/include" -I "$JAVA_HOME/include/linux" -I "$root/bindings/c/include" \
        "$here/native/iamauth_jni.c" "$CARGO_TARGET_DIR/$triple/release/libiamauth.a" \
        -Wl,--version-script="$here/native/exports.map" -Wl,-z,defs -Wl,--gc-sections -s \
        -lunwind -lpthread -ldl -lm -o "$stage/jar/dev/iamauth/native/$dir/libiamauth_jni.so"
    bundled="${bundled:+$bundled,}$dir"
done
printf 'version=%s\nplatforms=%s\n' "$DIST_VERSION" "$bundled" >"$stage/jar/dev/iamauth/native/index.properties"

javac -Xlint:all -Werror --release 11 -d "$stage/jar" "$here"/src/dev/iamauth/*.java
cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$stage/jar/META-INF/"
# Created-By given here, or jar writes the JDK's build into it.
printf 'Created-By: iamauth bindings/java/dist.sh\nImplementation-Title: iamauth\nImplementation-Version: %s\nAutomatic-Module-Name: dev.iamauth\n' \
    "$DIST_VERSION" >"$stage/manifest.txt"
jar_file="$out/iamauth-$DIST_VERSION.jar"
rm -f "$jar_file"
# Files only (no directory entries), in byte order; every entry dated SOURCE_DATE_EPOCH.
# (jar's -C applies to the one file after it.)
args=()
while IFS= read -r f; do args+=(-C "$stage/jar" "$f"); done < <(cd "$stage/jar" && find . -type f | sed 's,^\./,,' | LC_ALL=C sort)
jar --create --file "$jar_file" --manifest "$stage/manifest.txt" \
    --date="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)" "${args[@]}"

# The checks a user's machine would otherwise find: exports, dependencies, the glibc floor
# (tests/dist/glibc-floor.sh: nothing above GLIBC_2.17).
for p in "${platforms[@]}"; do
    read -r _ _ dir <<<"$p"
    so="$stage/jar/dev/iamauth/native/$dir/libiamauth_jni.so"
    exported="$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^Java_dev_iamauth_Native_' || true)"
    [ -z "$exported" ] || { echo "dist.sh: $dir exports more than Java_*: $exported" >&2; exit 1; }
    needed="$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
    for lib in $needed; do
        case "$lib" in libc.so.6 | libpthread.so.0 | libdl.so.2 | libm.so.6 | ld-linux-*) ;;
        *) echo "dist.sh: $dir needs $lib" >&2; exit 1 ;;
        esac
    done
    glibc="$(bash "$root/tests/dist/glibc-floor.sh" "$so" | sed -n 's/^.*: \(GLIBC_[0-9.]*\|none\)$/\1/p' | head -n 1)" ||
        { echo "dist.sh: $dir is above the glibc floor" >&2; exit 1; }
    echo "$dir/libiamauth_jni.so: $(stat -c %s "$so") bytes, needs $glibc at most ($needed)"
done
echo "built $jar_file ($(stat -c %s "$jar_file") bytes, sha256 $(sha256sum "$jar_file" | cut -c1-16)...)"
