#!/usr/bin/env bash
# Builds the Java binding into OUT (default: target/java): iamauth.jar (the dev.iamauth classes)
# and libiamauth_jni.so (the JNI glue with the Rust staticlib linked in, so
# -Djava.library.path=OUT is all a JVM needs). Needs gcc and Rust; installs a JDK when there is none.
#   bindings/java/build.sh [OUT]          (PROFILE=debug for a debug Rust library; IAMAUTH_BENCH=1
#                                         adds the bench-only Bench.benchCore, see native/)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../tests/need.sh" # sets root
out="${1:-$(cargo_target)/java}"
profile="${PROFILE:-release}"
need_jdk # installs default-jdk-headless when javac is missing; sets JAVA_HOME

# IAMAUTH_BENCH=1 (test.sh --bench): iamauth-c with its `bench` feature, in a target dir of its
# own (bindings/c/bench/run.sh's), and the JNI glue's Bench.benchCore (the core's own loop).
cargo_args=(-p iamauth-c)
target="$(cargo_target)"
defines=()
if [ "${IAMAUTH_BENCH:-0}" = 1 ]; then
    target="$target/bench-build"
    cargo_args+=(--features bench --target-dir "$target")
    defines=(-DIAMAUTH_BENCH)
fi
if [ "$profile" = release ]; then
    (cd "$root" && cargo build --quiet --release "${cargo_args[@]}")
else
    (cd "$root" && cargo build --quiet "${cargo_args[@]}")
fi
mkdir -p "$out"
# --exclude-libs keeps the Rust symbols private; -z defs fails the link on anything unresolved.
gcc -std=c11 -O2 -Wall -Wextra -Werror -fPIC -shared "${defines[@]}" \
    -I "$JAVA_HOME/include" -I "$JAVA_HOME/include/linux" -I "$root/bindings/c/include" \
    "$here/native/iamauth_jni.c" "$target/$profile/libiamauth.a" \
    -Wl,--exclude-libs,ALL -Wl,-z,defs -lpthread -ldl -lm -o "$out/libiamauth_jni.so"

rm -rf "$out/classes"
javac -Xlint:all -Werror --release 11 -d "$out/classes" "$here"/src/dev/iamauth/*.java
version="$(sed -n 's/^#define IAMAUTH_VERSION "\(.*\)"$/\1/p' "$root/bindings/c/include/iamauth.h")"
printf 'Implementation-Title: iamauth\nImplementation-Version: %s\n' "$version" > "$out/manifest.txt"
jar --create --file "$out/iamauth.jar" --manifest "$out/manifest.txt" -C "$out/classes" .
echo "built $out/iamauth.jar and $out/libiamauth_jni.so ($version)"
