#!/usr/bin/env bash
# Everything the Java binding promises, from a fresh machine (Debian, Rust and gcc present):
#   1. tools: a JDK (apt-get install default-jdk-headless if javac is missing)
#   2. build.sh: cargo build --release -p iamauth-c, libiamauth_jni.so (Rust staticlib linked in),
#      iamauth.jar; checked with ldd (no libiamauth.so needed) and nm (only Java_* exported)
#   3. the tests (tests/dev/iamauth, a small runner: no JUnit) against the jar with only
#      -Djava.library.path, under -Xcheck:jni; the shared vectors are read in place; the
#      credential chain against bindings/c/tests/container_mock.py on 127.0.0.1 (suite.sh starts
#      and stops it: the same steps tests/dist/test-java.sh runs against the release jar)
#   4. without the JNI library (no -Djava.library.path; a -Ddev.iamauth.library or
#      -Diamauth.library.path that names nothing): tests/dev/iamauth/LoadFailureTest.java, every
#      entry point twice, the same clear error each time
#   5. the README's Java blocks compiled (the HikariCP / DBCP2 ones with Debian's jars, installed
#      here: libhikaricp-java, libcommons-dbcp2-java, pgjdbc, Connector/J); ReadmeExample run and
#      its output checked; every block or
#      JDBC URL with sslmode=verify-full also gives sslrootcert; the load error's text as in README
#   6. with --bench: bench/Bench.java (IamAuth.rdsToken beside the core's own loop in the same
#      process, interleaved; writes target/bench/java.json)
# Everything is built in a temp dir. Exits non-zero on any failure.
#   bindings/java/test.sh [--bench]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bench=0
[ "${1:-}" = "--bench" ] && bench=1
. "$root/tests/need.sh"
work="$(mktemp -d)"
trap 'rc=$?; [ $rc -eq 0 ] || echo "test.sh: FAILED (exit $rc)" >&2; rm -rf "$work"' EXIT

step "tools"
need_jdk
need_apt gcc
# The README's pool blocks are compiled against these (suite.sh: SUITE_README_JARS=required).
need_apt libhikaricp-java libcommons-dbcp2-java libpostgresql-jdbc-java libmariadb-java
export SUITE_README_JARS=required
javac -version

step "build (cargo --release, JNI library, jar)"
out="$work/lib"
"$here/build.sh" "$out"
# (ldd / nm output captured first: `cmd | grep -q` can die of SIGPIPE under pipefail)
deps="$(ldd "$out/libiamauth_jni.so")"
if [[ "$deps" == *libiamauth.so* ]] || [[ "$deps" == *"not found"* ]]; then
    echo "libiamauth_jni.so must not need libiamauth.so:" >&2
    echo "$deps" >&2
    exit 1
fi
exported="$(nm -D --defined-only "$out/libiamauth_jni.so" | awk '{print $3}' | grep -v '^Java_dev_iamauth_Native_' || true)"
if [ -n "$exported" ]; then
    echo "libiamauth_jni.so exports more than the JNI functions:" >&2
    echo "$exported" >&2
    exit 1
fi
echo "libiamauth_jni.so: self-contained ($(echo "$deps" | awk '{print $1}' | tr '\n' ' '))"

. "$here/suite.sh"
step "tests"
suite_compile "$out/iamauth.jar" "$work"
suite_run "$out/iamauth.jar" "$work" -Djava.library.path="$out"
last="$SUITE_LAST"

step "without the JNI library: the same clear error on every call"
# This jar bundles no library: no -Djava.library.path (and no LD_LIBRARY_PATH, which the JVM's
# default path includes), then -Ddev.iamauth.library / -Diamauth.library.path naming nothing.
suite_load_failure "$out/iamauth.jar" "$work" default
suite_load_failure "$out/iamauth.jar" "$work" missing-file -Ddev.iamauth.library="$work/nowhere/libiamauth_jni.so"
suite_load_failure "$out/iamauth.jar" "$work" missing-dir -Diamauth.library.path="$work/nowhere"

step "README Java blocks"
# The load error in bindings/java/README.md is the one LoadFailureTest printed (java.library.path aside).
python3 - "$work/load-default.log" "$here/README.md" <<'PY'
import re, sys
said = open(sys.argv[1], encoding="utf-8").readline().strip()
shown = re.search(r"```text\n(iamauth: cannot load.*?)\n```", open(sys.argv[2], encoding="utf-8").read(), re.S)
assert shown, "no load error text in " + sys.argv[2]
path = lambda s: re.sub(r"(java\.library\.path(?:=|: ))[^ )]*", r"\1PATH", s)
assert path(shown.group(1)) == path(said), f"README load error differs from the real one:\n{said}"
print("README: the load error as printed")
PY
suite_readme_example "$out/iamauth.jar" "$work" -Djava.library.path="$out"

if [ $bench -eq 1 ]; then
    step "bench"
    # A second JNI library, with the bench-only Bench.benchCore (the core's own loop); the tests
    # above ran against the one without it.
    IAMAUTH_BENCH=1 "$here/build.sh" "$work/benchlib" >/dev/null
    javac -d "$work/bench" -cp "$work/benchlib/iamauth.jar" "$here/bench/Bench.java"
    IAMAUTH_BENCH_DIR="${IAMAUTH_BENCH_DIR:-$root/target/bench}" \
        java -Djava.library.path="$work/benchlib" -cp "$work/benchlib/iamauth.jar:$work/bench" Bench
fi

step "all Java binding checks passed"
echo "$last"
