#!/usr/bin/env bash
# Everything the C binding promises, from a fresh machine (Debian, Rust and gcc present):
#   1. tools: valgrind, pkg-config, python3 (apt-get if missing)
#   2. cargo build (debug) and cargo test of iamauth-c (which regenerates src/result.rs, the
#      iamauth_result enum, from the core's error table and fails when the committed file is
#      stale); the header diffed against cbindgen
#   3. the shared vectors (tokens, errors, verify) turned into C data (in a temp dir, never committed)
#   4. tests/test_iamauth.c, then tests/test_verify_vectors.c (tests/vectors/verify.json), then
#      tests/test_credentials.c (the credential chain, against tests/container_mock.py on
#      127.0.0.1, started here and stopped by PID), each against the shared library, the static
#      library, under valgrind (both), and with -fsanitize=address,undefined; the SONAME checked
#      with readelf -d
#   5. the three "Build and install" blocks of README.md run as written (the top-level README's C
#      example as app.c), each from its own directory: the rpath one with HOME in a temp dir
#      (install.sh into $HOME/.local), the static one against it, the system-prefix one
#      (/usr/local + ldconfig) in a private mount namespace so the machine stays untouched
#   6. bench/bench.c built against the release library and run briefly (a smoke run; its JSON goes
#      to the temp dir); with --bench, bench/run.sh instead: the C ABI beside the core's own loop
#      (the `bench` feature), the real figures, target/bench/c.json
# Exits non-zero on any failure.
#   bindings/c/test.sh [--bench]
set -euo pipefail
bench=0
[ "${1:-}" = "--bench" ] && bench=1
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../tests/need.sh" # sets root
target="$(cargo_target)"
work="$(mktemp -d)"
mock_pid=""
trap 'rc=$?; [ -z "$mock_pid" ] || kill "$mock_pid" 2>/dev/null; [ $rc -eq 0 ] || echo "test.sh: FAILED (exit $rc) at line $LINENO" >&2; rm -rf "$work"' EXIT

step "tools"
need_apt valgrind pkg-config binutils gcc

step "cargo build, cargo test (src/result.rs up to date), header check"
( cd "$root" && cargo build --quiet -p iamauth-c && cargo test --quiet -p iamauth-c 2>&1 | tail -n 3 )
"$here/check-header.sh"
debug="$target/debug"

step "vectors -> C"
python3 "$here/tests/gen_vectors.py" "$root/tests/vectors" "$work/vectors.inc"
python3 "$here/tests/gen_verify_vectors.py" "$root/tests/vectors" "$work/verify_vectors.inc"

step "SONAME"
# Cargo's SemVer, as build.rs applies it: 0.0.z -> .so.0.0.z, 0.y -> .so.0.y, x >= 1 -> .so.x
version="$(sed -n 's/^#define IAMAUTH_VERSION "\(.*\)"$/\1/p' "$here/include/iamauth.h")"
IFS=. read -r major minor patch <<<"${version%%[-+]*}"
case "$major.$minor" in
    0.0) want_soname="libiamauth.so.0.0.$patch" ;;
    0.*) want_soname="libiamauth.so.0.$minor" ;;
    *) want_soname="libiamauth.so.$major" ;;
esac
soname_of() { readelf -d "$1" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p'; }
if [ "$(soname_of "$debug/libiamauth.so")" != "$want_soname" ]; then
    readelf -d "$debug/libiamauth.so" >&2
    echo "libiamauth.so: SONAME '$(soname_of "$debug/libiamauth.so")', want $want_soname" >&2
    exit 1
fi
echo "libiamauth.so $version: SONAME $want_soname"

CFLAGS=(-std=c11 -g -O1 -Wall -Wextra -Werror -I "$here/include" -I "$work")
LIBS=(-lpthread -ldl -lm)
test_c="$here/tests/test_iamauth.c"
# Copies of the libraries, so `-liamauth` cannot pick the wrong one; the SONAME link as install.sh makes it.
mkdir -p "$work/shared" "$work/static"
cp "$debug/libiamauth.so" "$work/shared/"
ln -s libiamauth.so "$work/shared/$want_soname"
cp "$debug/libiamauth.a" "$work/static/"

gcc "${CFLAGS[@]}" "$test_c" -L "$work/shared" -Wl,-rpath,"$work/shared" -liamauth "${LIBS[@]}" \
    -o "$work/test_shared"
gcc "${CFLAGS[@]}" "$test_c" "$work/static/libiamauth.a" "${LIBS[@]}" -o "$work/test_static"
gcc "${CFLAGS[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer \
    -fno-sanitize-recover=undefined "$test_c" "$work/static/libiamauth.a" "${LIBS[@]}" \
    -o "$work/test_asan"
# tests/test_verify_vectors.c (tests/vectors/verify.json), built the same three ways.
test_v="$here/tests/test_verify_vectors.c"
gcc "${CFLAGS[@]}" "$test_v" -L "$work/shared" -Wl,-rpath,"$work/shared" -liamauth "${LIBS[@]}" \
    -o "$work/verify_shared"
gcc "${CFLAGS[@]}" "$test_v" "$work/static/libiamauth.a" "${LIBS[@]}" -o "$work/verify_static"
gcc "${CFLAGS[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer \
    -fno-sanitize-recover=undefined "$test_v" "$work/static/libiamauth.a" "${LIBS[@]}" \
    -o "$work/verify_asan"
# tests/test_credentials.c (the credential chain), built the same three ways.
test_k="$here/tests/test_credentials.c"
gcc "${CFLAGS[@]}" "$test_k" -L "$work/shared" -Wl,-rpath,"$work/shared" -liamauth "${LIBS[@]}" \
    -o "$work/credentials_shared"
gcc "${CFLAGS[@]}" "$test_k" "$work/static/libiamauth.a" "${LIBS[@]}" -o "$work/credentials_static"
gcc "${CFLAGS[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer \
    -fno-sanitize-recover=undefined "$test_k" "$work/static/libiamauth.a" "${LIBS[@]}" \
    -o "$work/credentials_asan"
# (ldd output captured first: `ldd | grep -q` can die of SIGPIPE under pipefail)
deps_static="$(ldd "$work/test_static")"
deps_shared="$(ldd "$work/test_shared")"
if [[ "$deps_static" == *libiamauth* ]] || [[ "$deps_shared" != *"$want_soname => $work/shared/$want_soname"* ]]; then
    echo "test_static must not, and test_shared must, load libiamauth.so:" >&2
    echo "$deps_static" "$deps_shared" >&2
    exit 1
fi

run() { # name, command...: runs it, shows its last line, fails unless "N passed, 0 failed"
    local name="$1"
    shift
    step "$name"
    local out="$work/$name.log" rc=0
    "$@" >"$out" 2>&1 || rc=$?
    tail -n 2 "$out"
    if [ $rc -ne 0 ] || ! tail -n 1 "$out" | grep -Eq '^[0-9]+ passed, 0 failed$'; then
        cat "$out" >&2
        echo "$name: FAILED (exit $rc)" >&2
        exit 1
    fi
}
run shared "$work/test_shared"
run static "$work/test_static"
run asan env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$work/test_asan"
# Fewer thread rounds under valgrind (it serialises threads); its report goes to a .vg file.
VALGRIND=(valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect,possible
    --error-exitcode=99)
for kind in shared static; do
    run "valgrind-$kind" env IAMAUTH_TEST_ROUNDS=2 "${VALGRIND[@]}" \
        --log-file="$work/valgrind-$kind.vg" "$work/test_$kind"
    grep -E "ERROR SUMMARY|in use at exit|definitely lost" "$work/valgrind-$kind.vg" | sed 's/^==[0-9]*== //'
done
run verify-shared "$work/verify_shared"
run verify-static "$work/verify_static"
run verify-asan env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$work/verify_asan"
for kind in shared static; do
    run "valgrind-verify-$kind" "${VALGRIND[@]}" --log-file="$work/valgrind-verify-$kind.vg" \
        "$work/verify_$kind"
    grep -E "ERROR SUMMARY|in use at exit|definitely lost" "$work/valgrind-verify-$kind.vg" | sed 's/^==[0-9]*== //'
done

# The credential chain against a container endpoint on loopback: the mock prints its port, then
# serves until stopped (by PID, here or by the EXIT trap).
step "container endpoint mock"
python3 "$here/tests/container_mock.py" >"$work/mock.port" &
mock_pid=$!
for _ in $(seq 50); do [ -s "$work/mock.port" ] && break; sleep 0.1; done
mock_port="$(head -n 1 "$work/mock.port")"
[ -n "$mock_port" ] || { echo "container_mock.py did not start" >&2; exit 1; }
export IAMAUTH_TEST_CONTAINER_URL="http://127.0.0.1:$mock_port"
echo "container_mock.py (pid $mock_pid): $IAMAUTH_TEST_CONTAINER_URL"
run credentials-shared "$work/credentials_shared"
run credentials-static "$work/credentials_static"
run credentials-asan env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$work/credentials_asan"
for kind in shared static; do
    run "valgrind-credentials-$kind" env IAMAUTH_TEST_ROUNDS=2 "${VALGRIND[@]}" \
        --log-file="$work/valgrind-credentials-$kind.vg" "$work/credentials_$kind"
    grep -E "ERROR SUMMARY|in use at exit|definitely lost" "$work/valgrind-credentials-$kind.vg" | sed 's/^==[0-9]*== //'
done
kill "$mock_pid"
wait "$mock_pid" 2>/dev/null || true
mock_pid=""
unset IAMAUTH_TEST_CONTAINER_URL

# The README's "Build and install" blocks, as written: `cargo` and `bindings/...` lines run in the
# clone, the rest in a fresh directory holding the top-level README's C example as app.c.
readme_block() { # heading of bindings/c/README.md -> a bash script in $work/NAME.sh
    python3 - "$here/README.md" "$1" "$work/$2.sh" <<'PY'
import re, sys
readme, heading, out = sys.argv[1:]
text = open(readme, encoding="utf-8").read()
m = re.search(r"^#+ " + re.escape(heading) + r"\n.*?^```sh\n(.*?)^```", text, re.S | re.M)
assert m, f"no sh block under '{heading}' in {readme}"
script = ["set -euo pipefail", 'cd "$IAMAUTH_APP"']
for line in m.group(1).splitlines():
    if re.match(r"(sudo )?(cargo|bindings/)", line):
        script += ['cd "$IAMAUTH_CLONE"', line, 'cd "$IAMAUTH_APP"']
    else:
        script.append(line)
open(out, "w", encoding="utf-8").write("\n".join(script) + "\n")
PY
}
awk '/^```c$/ {on=1; next} /^```$/ {on=0} on' "$root/README.md" > "$work/example.c"
test -s "$work/example.c"
want="$(python3 -c 'import json,sys; print(next(c["expected"]["token"] for c in json.load(open(sys.argv[1]))["cases"] if c["id"]=="rds-demo"))' "$root/tests/vectors/tokens.json")"
want2="user iam_user at mydb.123456789012.us-east-1.rds.amazonaws.com, valid for 840 more seconds"
run_block() { # name, heading, env options/assignments...: runs the block in $work/app-NAME; checks ./app's output, then runs it from /
    local name="$1" heading="$2" app="$work/app-$1"
    shift 2
    mkdir -p "$app"
    cp "$work/example.c" "$app/app.c"
    readme_block "$heading" "$name"
    # sudo: as root, with a PATH like sudo's secure_path (no cargo: install.sh takes the existing build)
    env "$@" IAMAUTH_CLONE="$root" IAMAUTH_APP="$app" bash -c \
        'sudo() { env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
         . "$0"' "$work/$name.sh" >"$work/$name.out" 2>&1 || {
        cat "$work/$name.sh" "$work/$name.out" >&2
        echo "README block '$heading': FAILED" >&2
        exit 1
    }
    grep '^install: ' "$work/$name.out" || true
    if [ "$(tail -n 2 "$work/$name.out")" != "$want"$'\n'"$want2" ]; then
        cat "$work/$name.out" >&2
        echo "README block '$heading': unexpected output" >&2
        exit 1
    fi
    echo "README block '$heading': built and ran; output OK"
}
# Rust's toolchain stays where it is when HOME moves.
toolchain=(CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}")

step "README: shared library in your own prefix (rpath)"
home="$work/home"
mkdir -p "$home"
run_block rpath "Shared library in your own prefix (rpath)" -u PKG_CONFIG_PATH -u LD_LIBRARY_PATH \
    HOME="$home" "${toolchain[@]}"
(cd / && "$work/app-rpath/app" >/dev/null)
prefix="$home/.local"
lib="$prefix/lib"
# install.sh: the real file, the SONAME link and the link-time link, and the SONAME inside.
if [ ! -f "$lib/libiamauth.so.$version" ] || [ -L "$lib/libiamauth.so.$version" ] ||
    [ "$(readlink "$lib/$want_soname")" != "libiamauth.so.$version" ] ||
    [ "$(readlink "$lib/libiamauth.so")" != "libiamauth.so.$version" ] ||
    [ "$(soname_of "$lib/libiamauth.so.$version")" != "$want_soname" ]; then
    ls -l "$lib" >&2
    echo "install.sh: want libiamauth.so.$version, $want_soname -> it, libiamauth.so -> it" >&2
    exit 1
fi
deps_app="$(ldd "$work/app-rpath/app")"
[[ "$deps_app" == *"$want_soname => $lib/$want_soname"* ]] || { echo "$deps_app" >&2; exit 1; }
ls -l "$lib" | awk '/libiamauth/ {print "installed:", $9, $10, $11}'

step "README: static library"
run_block static "Static library" -u LD_LIBRARY_PATH PKG_CONFIG_PATH="$lib/pkgconfig"
deps_app="$(ldd "$work/app-static/app")"
[[ "$deps_app" != *libiamauth* ]] || { echo "static app needs libiamauth: $deps_app" >&2; exit 1; }
(cd / && "$work/app-static/app" >/dev/null)

step "README: shared library in a system prefix (ldconfig)"
# In a private mount namespace: /usr/local/{lib,include} and /etc (ld.so.cache) are scratch copies,
# so this runs install.sh + ldconfig for real without touching the machine.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null && [ -d /usr/local/lib ] && [ -d /usr/local/include ]; then
    export -f run_block readme_block
    export work here root want want2
    unshare -m bash -c '
        set -euo pipefail
        mount -t tmpfs tmpfs /usr/local/lib
        mount -t tmpfs tmpfs /usr/local/include
        cp -a /etc "$work/etc"
        mount --bind "$work/etc" /etc
        run_block system "Shared library in a system prefix (ldconfig)" -u PKG_CONFIG_PATH -u LD_LIBRARY_PATH
        (cd / && "$work/app-system/app" >/dev/null)
        ldd "$work/app-system/app" | grep "libiamauth"'
else
    echo "SKIPPED: needs root and unshare -m (a private /usr/local and /etc)"
fi

if [ $bench -eq 1 ]; then
    step "bench (bench/run.sh: the C ABI beside the core's own loop, in one process)"
    "$here/bench/run.sh"
else
    step "bench (smoke run; bash bindings/c/test.sh --bench or bench/run.sh for real figures)"
    gcc -O2 -Wall -Wextra -Werror -I "$here/include" "$here/bench/bench.c" "$lib/libiamauth.a" \
        "${LIBS[@]}" -o "$work/bench"
    IAMAUTH_BENCH_DIR="$work" "$work/bench" 5 2000
fi

step "all C binding checks passed"
