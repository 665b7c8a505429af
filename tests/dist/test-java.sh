#!/usr/bin/env bash
# The release jar as a user gets it: dist/java/iamauth-VERSION.jar (bindings/java/dist.sh) alone
# on the classpath, no library path, no Rust toolchain on PATH.
#   1. the Java suite (bindings/java/suite.sh, the steps bindings/java/test.sh runs) with no
#      system property at all: the bundled x86_64 library is extracted and loaded; then where it
#      went (${java.io.tmpdir}/iamauth-USER/VERSION-SHA256PREFIX/, mode 0700, the jar's bytes)
#   2. the extraction: 4 JVMs at once into an empty java.io.tmpdir; a second run reuses the file;
#      a tampered file is replaced; a directory others can write is refused
#   3. the overrides and the errors: -Diamauth.library.path=DIR loads DIR's library;
#      -Diamauth.library.path / -Ddev.iamauth.library naming nothing, and an os.arch the jar has
#      no library for: LoadFailureTest (the same clear error on every call, naming os.name,
#      os.arch and the platforms bundled)
#   4. with --all: the aarch64 library from the jar, on Debian's arm64 OpenJDK 17 under
#      qemu-aarch64-static (tests/dist/tools.sh: arm64_sysroot): the whole suite (about 12 s
#      there) and the README example
# Last line: "java dist: N passed, N failed".
#   tests/dist/test-java.sh [--all]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
all=0
[ "${1:-}" = "--all" ] && all=1
. "$root/tests/dist/tools.sh"
need_jdk
version="$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' "$root/Cargo.toml")"
jar="$root/dist/java/iamauth-$version.jar"
[ -f "$jar" ] || { echo "no $jar: run bindings/java/dist.sh first" >&2; exit 1; }
if [ $all -eq 1 ]; then
    arm64_sysroot openjdk-17-jre-headless # before PATH loses anything apt might want
fi
PATH="$(no_rust_path)"
export PATH
if command -v cargo >/dev/null || command -v rustc >/dev/null; then
    echo "a Rust toolchain is still on PATH" >&2
    exit 1
fi
unset LD_LIBRARY_PATH # the JVM's default java.library.path would include it
. "$root/bindings/java/suite.sh"

work="$(mktemp -d)"
passed=0
failed=0
trap 'rm -rf "$work"' EXIT
start=$SECONDS
step() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - start)); }
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
# check NAME COMMAND...: runs it, counts it, goes on either way.
check() {
    local name="$1"
    shift
    if "$@"; then ok "$name"; else fail "$name"; fi
}

user="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *user\.name = //p')"
so_sha() { unzip -p "$jar" "dev/iamauth/native/linux-$1/libiamauth_jni.so" | sha256sum | cut -d' ' -f1; }
sha_x64="$(so_sha x86_64)"
# Where NativeLoader puts the x86_64 library under a given java.io.tmpdir.
extracted() { echo "$1/iamauth-$user/$version-${sha_x64:0:16}/libiamauth_jni.so"; }
bundled="$(unzip -p "$jar" dev/iamauth/native/index.properties | sed -n 's/^platforms=//p' | sed 's/,/, /g')"

step "the jar: $jar ($(stat -c %s "$jar") bytes; bundles $bundled)"
check "compile the tests and README blocks against the jar alone" suite_compile "$jar" "$work"

step "the suite with no system property (the bundled library, from java.io.tmpdir)"
tmp_default="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.io\.tmpdir = //p')"
check "IamAuthTest: jar only, no library path" suite_run "$jar" "$work"
suite_last="$SUITE_LAST"
lib="$(extracted "$tmp_default")"
extracted_ok() { # LIB
    [ -f "$1" ] && [ ! -L "$1" ] &&
        [ "$(sha256sum <"$1" | cut -d' ' -f1)" = "$sha_x64" ] &&
        [ "$(stat -c %a "$(dirname "$1")")" = 700 ] &&
        [ "$(stat -c %a "$(dirname "$(dirname "$1")")")" = 700 ] &&
        [ -z "$(find "$(dirname "$1")" -name '*.tmp')" ]
}
check "extracted to $lib (the jar's bytes, directories 0700, no temp file left)" extracted_ok "$lib"

step "extraction: concurrent JVMs, reuse, a tampered file, a directory others can write"
concurrent() {
    local i pids=() rc=0
    for i in 1 2 3 4; do
        (suite_readme_example "$jar" "$work" -Djava.io.tmpdir="$work/t1" >"$work/concurrent-$i.log" 2>&1) &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || rc=1; done
    for i in 1 2 3 4; do grep -q '^README example: OK$' "$work/concurrent-$i.log" || rc=1; done
    [ $rc -eq 0 ] && extracted_ok "$(extracted "$work/t1")"
}
mkdir -p "$work/t1"
check "4 JVMs at once into an empty java.io.tmpdir" concurrent
reused() {
    local lib before
    lib="$(extracted "$work/t1")"
    before="$(stat -c '%i %Y' "$lib")"
    sleep 1
    suite_readme_example "$jar" "$work" -Djava.io.tmpdir="$work/t1" >/dev/null &&
        [ "$(stat -c '%i %Y' "$lib")" = "$before" ]
}
check "a second run loads the file already there (same inode and time)" reused
tampered() {
    local lib
    lib="$(extracted "$work/t1")"
    chmod u+w "$lib" && printf 'not a library' >"$lib"
    suite_readme_example "$jar" "$work" -Djava.io.tmpdir="$work/t1" >/dev/null && extracted_ok "$lib"
}
check "a file whose hash differs is replaced, then loaded" tampered
shared_dir() {
    mkdir -p "$work/t2/iamauth-$user" && chmod 777 "$work/t2/iamauth-$user"
    suite_load_failure "$jar" "$work" shared-dir -Djava.io.tmpdir="$work/t2" -Diamauth.test.bundled="$bundled" &&
        grep -q "iamauth-$user has mode rwxrwxrwx, not rwx------" "$work/load-shared-dir.log" &&
        [ -z "$(find "$work/t2" -type f)" ]
}
check "a java.io.tmpdir/iamauth-USER others can write is refused (nothing written)" shared_dir

step "overrides and errors"
check "-Diamauth.library.path=DIR loads DIR/libiamauth_jni.so" \
    suite_readme_example "$jar" "$work" -Diamauth.library.path="$(dirname "$lib")"
check "-Diamauth.library.path naming nothing: its error, not the bundled library" \
    suite_load_failure "$jar" "$work" missing-dir -Diamauth.library.path="$work/nowhere" -Diamauth.test.bundled="$bundled"
check "-Ddev.iamauth.library naming nothing: its error" \
    suite_load_failure "$jar" "$work" missing-file -Ddev.iamauth.library="$work/nowhere/libiamauth_jni.so" \
    -Diamauth.test.bundled="$bundled"
check "os.arch=sparcv9: no bundled library fits; the error names os.name, os.arch and linux-x86_64, linux-aarch64" \
    suite_load_failure "$jar" "$work" sparc -Dos.arch=sparcv9 -Djava.io.tmpdir="$work/t3" -Diamauth.test.bundled="$bundled"

arm=""
if [ $all -eq 1 ]; then
    step "aarch64: the jar's linux-aarch64 library on Debian's arm64 OpenJDK 17 under qemu"
    arm_java="$(echo "$ARM64_SYSROOT"/usr/lib/jvm/java-17-openjdk-arm64/bin/java)"
    suite_java() { arm64_run "$arm_java" "$@"; }
    arm_version() { suite_java -version 2>&1 | sed -n 1p | grep -q 'openjdk version "17'; }
    check "arm64 java -version under qemu" arm_version
    mkdir -p "$work/arm"
    arm_readme() {
        suite_readme_example "$jar" "$work" -Djava.io.tmpdir="$work/arm" &&
            [ "$(unzip -p "$jar" dev/iamauth/native/linux-aarch64/libiamauth_jni.so | sha256sum | cut -d' ' -f1)" = \
                "$(sha256sum <"$work/arm/iamauth-$user/$version-$(so_sha aarch64 | cut -c1-16)/libiamauth_jni.so" | cut -d' ' -f1)" ]
    }
    check "aarch64: README example with the jar alone (linux-aarch64 extracted and loaded)" arm_readme
    # The tests that start a child JVM (the environment and credential chain ones): under qemu the
    # JDK's default posix_spawn goes through jspawnhelper, an arm64 program the host cannot exec, so
    # the parent forks and execs qemu itself, which runs the arm64 java of the child.
    check "aarch64: IamAuthTest with the jar alone" suite_run "$jar" "$work" -Djava.io.tmpdir="$work/arm" \
        -Djdk.lang.Process.launchMechanism=VFORK \
        "-Diamauth.test.java=$(command -v qemu-aarch64-static) -L $ARM64_SYSROOT $arm_java"
    arm="; aarch64 suite (qemu): $SUITE_LAST"
    suite_java() { java "$@"; }
fi

step "java dist: done in $((SECONDS - start)) s (x86_64 suite: $suite_last$arm)"
echo "java dist: $passed passed, $failed failed"
[ $failed -eq 0 ]
