#!/usr/bin/env bash
# Everything the Java binding promises, from a fresh machine (Debian, Rust and gcc present):
#   1. tools: a JDK (apt-get install default-jdk-headless if javac is missing)
#   2. build.sh: cargo build --release -p iamauth-c, libiamauth_jni.so (Rust staticlib linked in),
#      iamauth.jar; checked with ldd (no libiamauth.so needed) and nm (only Java_* exported)
#   3. the tests (tests/dev/iamauth, a small runner: no JUnit) against the jar with only
#      -Djava.library.path, under -Xcheck:jni; the shared vectors are read in place
#   4. without the JNI library (no -Djava.library.path; a -Ddev.iamauth.library that is missing):
#      tests/dev/iamauth/LoadFailureTest.java, every entry point twice, the same clear error each time
#   5. the README's Java blocks compiled; ReadmeExample run and its output checked; every block or
#      JDBC URL with sslmode=verify-full also gives sslrootcert; the load error's text as in README
#   6. with --bench: bench/Bench.java (median ns per warm rdsToken)
# Everything is built in a temp dir. Exits non-zero on any failure.
#   bindings/java/test.sh [--bench]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bench=0
[ "${1:-}" = "--bench" ] && bench=1
work="$(mktemp -d)"
start=$SECONDS
step() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - start)); }
trap 'rc=$?; [ $rc -eq 0 ] || echo "test.sh: FAILED (exit $rc)" >&2; rm -rf "$work"' EXIT

step "tools"
. "$root/tests/need.sh"
need_jdk
need_apt gcc
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

step "tests"
javac -Xlint:all -Werror -d "$work/test-classes" -cp "$out/iamauth.jar" "$here"/tests/dev/iamauth/*.java
log="$work/test.log"
rc=0
# Run from another directory: the jar plus java.library.path must be enough.
version="$(sed -n 's/^#define IAMAUTH_VERSION "\(.*\)"$/\1/p' "$root/bindings/c/include/iamauth.h")"
(cd "$work" && java -Xcheck:jni -Djava.library.path="$out" -Diamauth.vectors="$root/tests/vectors" \
    -Diamauth.version="$version" \
    -cp "$out/iamauth.jar:$work/test-classes" dev.iamauth.IamAuthTest) >"$log" 2>&1 || rc=$?
grep -v '^[0-9]* passed' "$log" | head -n 50 || true
last="$(tail -n 1 "$log")"
echo "$last"
# -Xcheck:jni reports misuse as warnings, not failures: any warning fails the run.
if [ $rc -ne 0 ] || ! [[ "$last" =~ ^[0-9]+\ passed,\ 0\ failed$ ]] || grep -q "WARNING" "$log"; then
    echo "tests: FAILED (exit $rc)" >&2
    exit 1
fi

step "without the JNI library: the same clear error on every call"
# No -Djava.library.path (and no LD_LIBRARY_PATH, which the JVM's default path includes), then a
# -Ddev.iamauth.library naming a missing file.
for how in default missing-file; do
    flags=()
    [ "$how" = missing-file ] && flags=(-Ddev.iamauth.library="$work/nowhere/libiamauth_jni.so")
    rc=0
    (cd "$work" && env -u LD_LIBRARY_PATH java "${flags[@]}" -cp "$out/iamauth.jar:$work/test-classes" \
        dev.iamauth.LoadFailureTest) >"$work/load-$how.log" 2>&1 || rc=$?
    head -n 1 "$work/load-$how.log"
    load_last="$(tail -n 1 "$work/load-$how.log")"
    echo "$how: $load_last"
    if [ $rc -ne 0 ] || ! [[ "$load_last" =~ ^[0-9]+\ passed,\ 0\ failed$ ]]; then
        cat "$work/load-$how.log" >&2
        echo "load failure ($how): FAILED (exit $rc)" >&2
        exit 1
    fi
done

step "README Java blocks"
mkdir -p "$work/readme"
# The example is in the top-level README.md; the JDBC one in bindings/java/README.md.
python3 - "$work/load-default.log" "$root/README.md" "$here/README.md" "$work/readme" <<'PY'
import re, sys
load_log, *readmes, out = sys.argv[1:]
for readme in readmes:
    text = open(readme, encoding="utf-8").read()
    blocks = re.findall(r"```java\n(.*?)```", text, re.S)
    assert blocks, f"no java blocks in {readme}"
    for b in blocks:
        name = re.search(r"public (?:final )?class (\w+)", b).group(1)
        open(f"{out}/{name}.java", "w", encoding="utf-8").write(b)
        print("README block:", name)
        # verify-full checks the server against sslrootcert: an example without it cannot connect.
        assert "verify-full" not in b or "sslrootcert" in b, f"{readme}: {name} uses verify-full without sslrootcert"
    for url in re.findall(r"jdbc:[a-z]+://[^\s`\"')]+", text):
        assert "verify-full" not in url or "sslrootcert=" in url, f"{readme}: {url}: verify-full without sslrootcert"
# The load error in bindings/java/README.md is the one LoadFailureTest printed (java.library.path aside).
said = open(load_log, encoding="utf-8").readline().strip()
shown = re.search(r"```text\n(iamauth: cannot load.*?)\n```", open(readmes[1], encoding="utf-8").read(), re.S)
assert shown, "no load error text in " + readmes[1]
path = lambda s: re.sub(r"(java\.library\.path(?:=|: ))[^ )]*", r"\1PATH", s)
assert path(shown.group(1)) == path(said), f"README load error differs from the real one:\n{said}"
print("README: verify-full with sslrootcert; the load error as printed")
PY
javac -Xlint:all -Werror -d "$work/readme" -cp "$out/iamauth.jar" "$work/readme"/*.java
(cd "$work" && java -Djava.library.path="$out" -cp "$out/iamauth.jar:$work/readme" ReadmeExample) \
    >"$work/readme.out"
want="$(python3 -c 'import json,sys; print(next(c["expected"]["token"] for c in json.load(open(sys.argv[1]))["cases"] if c["id"]=="rds-demo"))' "$root/tests/vectors/tokens.json")"
if [ "$(sed -n 1p "$work/readme.out")" != "$want" ] ||
    [ "$(sed -n 2p "$work/readme.out")" != "iam_user at mydb.123456789012.us-east-1.rds.amazonaws.com: VALID for 840 more seconds" ] ||
    [ "$(sed -n 3p "$work/readme.out")" != "INVALID_PORT" ]; then
    cat "$work/readme.out" >&2
    echo "README example: unexpected output" >&2
    exit 1
fi
echo "README example: OK"

if [ $bench -eq 1 ]; then
    step "bench"
    javac -d "$work/bench" -cp "$out/iamauth.jar" "$here/bench/Bench.java"
    java -Djava.library.path="$out" -cp "$out/iamauth.jar:$work/bench" Bench
fi

step "all Java binding checks passed in $((SECONDS - start)) s"
echo "$last"
