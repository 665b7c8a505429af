#!/usr/bin/env bash
# Everything the C binding promises, from a fresh machine (Debian, Rust and gcc present):
#   1. tools: valgrind, pkg-config, python3 (apt-get if missing)
#   2. cargo build (debug) and cargo test of iamauth-c; the header diffed against cbindgen
#   3. the shared vectors turned into C data (in a temp dir, never committed)
#   4. tests/test_iamauth.c against the shared library, the static library, under valgrind
#      (both), and with -fsanitize=address,undefined
#   5. install.sh into a temp prefix; the README example built with pkg-config and run
#   6. bench/bench.c built against the release library and run briefly (a smoke run)
# Exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
work="$(mktemp -d)"
start=$SECONDS
step() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - start)); }
trap 'rc=$?; [ $rc -eq 0 ] || echo "test.sh: FAILED (exit $rc) at line $LINENO" >&2; rm -rf "$work"' EXIT

step "tools"
missing=()
for tool in valgrind pkg-config python3 gcc; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    apt-get install -y "${missing[@]}" >/dev/null 2>&1 ||
        { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
fi

step "cargo build, cargo test, header check"
( cd "$root" && cargo build --quiet -p iamauth-c && cargo test --quiet -p iamauth-c 2>&1 | tail -n 3 )
"$here/check-header.sh"
debug="$target/debug"

step "vectors -> C"
python3 "$here/tests/gen_vectors.py" "$root/tests/vectors" "$work/vectors.inc"

CFLAGS=(-std=c11 -g -O1 -Wall -Wextra -Werror -I "$here/include" -I "$work")
LIBS=(-lpthread -ldl -lm)
test_c="$here/tests/test_iamauth.c"
# Copies of the libraries, so `-liamauth` cannot pick the wrong one.
mkdir -p "$work/shared" "$work/static"
cp "$debug/libiamauth.so" "$work/shared/"
cp "$debug/libiamauth.a" "$work/static/"

gcc "${CFLAGS[@]}" "$test_c" -L "$work/shared" -Wl,-rpath,"$work/shared" -liamauth "${LIBS[@]}" \
    -o "$work/test_shared"
gcc "${CFLAGS[@]}" "$test_c" "$work/static/libiamauth.a" "${LIBS[@]}" -o "$work/test_static"
gcc "${CFLAGS[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer \
    -fno-sanitize-recover=undefined "$test_c" "$work/static/libiamauth.a" "${LIBS[@]}" \
    -o "$work/test_asan"
# (ldd output captured first: `ldd | grep -q` can die of SIGPIPE under pipefail)
deps_static="$(ldd "$work/test_static")"
deps_shared="$(ldd "$work/test_shared")"
if [[ "$deps_static" == *libiamauth* ]] || [[ "$deps_shared" != *"$work/shared/libiamauth.so"* ]]; then
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

step "install + README example via pkg-config"
prefix="$work/prefix"
"$here/install.sh" "$prefix"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
pkg-config --modversion iamauth
awk '/^```c$/ {on=1; next} /^```$/ {on=0} on' "$root/README.md" > "$work/example.c"
test -s "$work/example.c"
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Werror "$work/example.c" $(pkg-config --cflags --libs iamauth) \
    -Wl,-rpath,"$prefix/lib" -o "$work/example_shared"
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Werror "$work/example.c" $(pkg-config --cflags iamauth) \
    "$prefix/lib/libiamauth.a" $(pkg-config --static --libs-only-l iamauth | sed 's/-liamauth//') \
    -o "$work/example_static"
want="$(python3 -c 'import json,sys; print(next(c["expected"]["token"] for c in json.load(open(sys.argv[1]))["cases"] if c["id"]=="rds-demo"))' "$root/tests/vectors/tokens.json")"
for example in example_shared example_static; do
    "$work/$example" > "$work/$example.out"
    if [ "$(sed -n 1p "$work/$example.out")" != "$want" ] ||
        [ "$(sed -n 2p "$work/$example.out")" != "user iam_user at mydb.123456789012.us-east-1.rds.amazonaws.com, valid for 840 more seconds" ]; then
        cat "$work/$example.out" >&2
        echo "$example: unexpected output" >&2
        exit 1
    fi
done
echo "README example: OK (shared and static)"

step "bench (smoke run; bench/bench.c with defaults for real figures)"
gcc -O2 -Wall -Wextra -Werror -I "$here/include" "$here/bench/bench.c" "$prefix/lib/libiamauth.a" \
    "${LIBS[@]}" -o "$work/bench"
"$work/bench" 5 2000

step "all C binding checks passed"
