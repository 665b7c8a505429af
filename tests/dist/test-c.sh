#!/usr/bin/env bash
# Each C archive of dist/c (bindings/c/dist.sh) as a user gets it: unpacked into a temporary
# prefix, with NO Rust toolchain on PATH, then
#   - the top-level README's C example built with `pkg-config --cflags --libs iamauth` against the
#     shared library (rpath) and statically (`-static` with `pkg-config --static`; on aarch64 gnu,
#     where zig cannot link glibc statically, libiamauth.a by path), its output checked;
#   - the C test suite (bindings/c/tests/test_iamauth.c over the shared vectors, turned into C by
#     tests/gen_vectors.py as bindings/c/test.sh does) against the shared and the static library;
#   - `bin/iamauth demo` (the demo token checked), fully static on musl;
#   - on x86_64 gnu, lib/security/pam_iamauth.so through the real libpam (bindings/pam/test.sh
#     on the archive's module and command); on aarch64 gnu, that it loads (dlopen, qemu);
#   - the layout (SONAME link, pkg-config relocation) and, on gnu, the glibc floor (2.17) of the
#     library, the PAM module and the command (tests/dist/glibc-floor.sh).
# Default: x86_64-linux-gnu, with gcc. --all adds aarch64-linux-gnu (zig cc -target
# aarch64-linux-gnu.2.17, run under qemu-aarch64-static with Debian's arm64 libc6),
# x86_64-linux-musl (Debian's musl-gcc) and aarch64-linux-musl (zig cc, qemu, Debian's arm64 musl).
# One line per archive, `test-c: TARGET: N passed, 0 failed`; exits non-zero on any failure.
# Usage: bash tests/dist/test-c.sh [--all] [TARGET...]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/tests/dist/tools.sh"

targets=()
for a in "$@"; do
    case "$a" in
        --all) targets+=(x86_64-linux-gnu aarch64-linux-gnu x86_64-linux-musl aarch64-linux-musl) ;;
        -*) echo "usage: $0 [--all] [TARGET...]" >&2; exit 2 ;;
        *) targets+=("$a") ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=(x86_64-linux-gnu)

version="$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' "$root/Cargo.toml")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Tools first (with Rust still on PATH: installing them may need it), then Rust leaves PATH.
need_apt pkg-config gcc binutils python3 || exit 1
need_zig=0 need_arm64=0
for t in "${targets[@]}"; do
    case "$t" in
        x86_64-linux-gnu) need_apt libpam0g-dev valgrind || exit 1 ;;
        x86_64-linux-musl) need_apt musl-tools || exit 1 ;;
        aarch64-linux-*) need_zig=1 need_arm64=1 ;;
        *) echo "test-c: unknown target $t" >&2; exit 2 ;;
    esac
done
[ $need_zig = 0 ] || dist_tools
[ $need_arm64 = 0 ] || arm64_sysroot musl libpam0g
PATH="$(no_rust_path)"
export PATH
if command -v cargo >/dev/null || command -v rustc >/dev/null; then
    echo "test-c: a Rust toolchain is still on PATH" >&2
    exit 1
fi
unset CARGO_TARGET_DIR RUSTFLAGS LD_LIBRARY_PATH PKG_CONFIG_PATH

# What every program must print: the demo token of the shared vectors, and the example's line.
python3 "$root/bindings/c/tests/gen_vectors.py" "$root/tests/vectors" "$work/vectors.inc"
want="$(python3 -c 'import json,sys; print(next(c["expected"]["token"] for c in json.load(open(sys.argv[1]))["cases"] if c["id"]=="rds-demo"))' "$root/tests/vectors/tokens.json")"
want2="user iam_user at mydb.123456789012.us-east-1.rds.amazonaws.com, valid for 840 more seconds"
awk '/^```c$/ {on=1; next} /^```$/ {on=0} on' "$root/README.md" >"$work/app.c"
[ -s "$work/app.c" ] || { echo "test-c: no C example in README.md" >&2; exit 1; }

failed_any=0
for t in "${targets[@]}"; do
    tarball="$root/dist/c/iamauth-$version-$t.tar.gz"
    if [ ! -f "$tarball" ]; then
        echo "test-c: $t: $tarball is missing; build it with: bash bindings/c/dist.sh $t" >&2
        echo "test-c: $t: 0 passed, 1 failed"
        failed_any=1
        continue
    fi
    dir="$work/$t"
    mkdir -p "$dir"
    tar -xzf "$tarball" -C "$dir"
    prefix="$dir/iamauth-$version-$t"
    log="$dir/log"
    passed=0 failed=0
    ok() { passed=$((passed + 1)); echo "  ok   $*"; }
    bad() { failed=$((failed + 1)); echo "  FAIL $*"; [ ! -s "$log" ] || sed 's/^/       /' "$log" | tail -n 25; }

    case "$t" in
        x86_64-linux-gnu) cc=(gcc) run=() ;;
        x86_64-linux-musl) cc=(musl-gcc) run=() ;;
        # zig cc adds its UBSan runtime by default, which needs statx, newer than the arm64
        # sysroot's musl 1.2.3: off, it is no part of what is tested.
        aarch64-linux-gnu) cc=(zig cc -target aarch64-linux-gnu.2.17 -fno-sanitize=undefined) run=(arm64_run) ;;
        aarch64-linux-musl) cc=(zig cc -target aarch64-linux-musl -fno-sanitize=undefined) run=(arm64_run) ;;
    esac
    export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
    echo "test-c: $t ($(stat -c %s "$tarball") bytes; ${cc[*]})"

    # The layout: the real file, the SONAME link and the link-time link, the SONAME inside.
    lib="$prefix/lib"
    soname="$(readelf -d "$lib/libiamauth.so.$version" 2>/dev/null | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')"
    files=(include/iamauth.h "lib/libiamauth.so.$version" lib/libiamauth.a lib/pkgconfig/iamauth.pc
        bin/iamauth LICENSE-MIT LICENSE-APACHE README)
    [[ "$t" == *-gnu ]] && files+=(lib/security/pam_iamauth.so)
    missing=""
    for f in "${files[@]}"; do [ -f "$prefix/$f" ] || missing+=" $f"; done
    : >"$log"
    if [ -z "$missing" ] && [ -n "$soname" ] && [ "$(readlink "$lib/$soname")" = "libiamauth.so.$version" ] &&
        [ "$(readlink "$lib/libiamauth.so")" = "libiamauth.so.$version" ]; then
        ok "layout ($soname -> libiamauth.so.$version)"
    else
        (cd "$prefix" && find . | sort) >"$log"
        bad "layout (missing:${missing:- none}; SONAME '$soname')"
    fi
    # pkg-config resolves the unpacked place (prefix=${pcfiledir}/../..).
    if [ "$(cd "$(pkg-config --variable=libdir iamauth)" 2>/dev/null && pwd -P)" = "$(cd "$lib" && pwd -P)" ] &&
        [ "$(pkg-config --modversion iamauth)" = "$version" ]; then
        ok "pkg-config: libdir is the unpacked lib/, version $version"
    else
        pkg-config --variable=libdir --modversion iamauth >"$log" 2>&1 || true
        bad "pkg-config"
    fi

    # build NAME COMMAND...: compiles, logging; then check_run NAME EXPECT-KIND
    build() {
        local name="$1"
        shift
        if (cd "$dir" && "$@") >"$log" 2>&1; then return 0; fi
        bad "$name: build: $*"
        return 1
    }
    run_example() { # name program
        if (cd / && "${run[@]}" "$2") >"$log" 2>&1 && [ "$(cat "$log")" = "$want"$'\n'"$want2" ]; then
            ok "$1"
        else
            bad "$1: unexpected output"
        fi
    }
    run_suite() { # name program
        if (cd / && "${run[@]}" "$2") >"$log" 2>&1 && tail -n 1 "$log" | grep -Eq '^[0-9]+ passed, 0 failed$'; then
            ok "$1: $(tail -n 1 "$log")"
        else
            bad "$1"
        fi
    }
    needs_lib() { readelf -d "$1" 2>/dev/null | grep -q "Shared library: \[$soname\]"; }
    is_static() { ! readelf -l "$1" 2>/dev/null | grep -q 'INTERP'; }

    cflags=(-std=c11 -O1 -Wall -Wextra -Werror -I "$work")
    # shellcheck disable=SC2046  # pkg-config's flags are meant to be split
    if build "example, shared" "${cc[@]}" "$work/app.c" $(pkg-config --cflags --libs iamauth) \
        -Wl,-rpath,"$lib" -o app-shared; then
        if needs_lib "$dir/app-shared"; then run_example "example, shared (rpath)" "$dir/app-shared"
        else readelf -d "$dir/app-shared" >"$log"; bad "example, shared: does not load $soname"; fi
    fi
    # The same program with LD_LIBRARY_PATH instead of an rpath (the loader's search, not the link).
    if build "example, shared, no rpath" "${cc[@]}" "$work/app.c" $(pkg-config --cflags --libs iamauth) -o app-plain; then
        if (cd / && LD_LIBRARY_PATH="$lib" "${run[@]}" "$dir/app-plain") >"$log" 2>&1 &&
            [ "$(cat "$log")" = "$want"$'\n'"$want2" ]; then
            ok "example, shared (LD_LIBRARY_PATH)"
        else
            bad "example, shared (LD_LIBRARY_PATH): unexpected output"
        fi
    fi
    if [ "$t" = aarch64-linux-gnu ]; then
        # zig links glibc only dynamically: libiamauth.a by path, glibc shared. Rust's std
        # unwinds with libgcc_s, which gcc links by itself and zig cc does not: the arm64
        # sysroot's (Debian's libgcc-s1), as gcc on an aarch64 machine would.
        mkdir -p "$dir/gcc_s"
        ln -sfn "$ARM64_SYSROOT/lib/aarch64-linux-gnu/libgcc_s.so.1" "$dir/gcc_s/libgcc_s.so"
        static=("$lib/libiamauth.a" -lpthread -ldl -lm -L "$dir/gcc_s" -lgcc_s)
        static_kind="libiamauth.a by path"
    else
        static=(-static $(pkg-config --static --libs iamauth))
        static_kind="-static, pkg-config --static"
    fi
    if build "example, static" "${cc[@]}" "$work/app.c" $(pkg-config --cflags iamauth) "${static[@]}" -o app-static; then
        if ! needs_lib "$dir/app-static"; then run_example "example, static ($static_kind)" "$dir/app-static"
        else readelf -d "$dir/app-static" >"$log"; bad "example, static: loads $soname"; fi
    fi
    if [ "$t" = x86_64-linux-gnu ]; then
        # bindings/c/README.md's way: libiamauth.a by path, glibc shared.
        if build "example, static archive" gcc "$work/app.c" $(pkg-config --cflags iamauth) \
            "$(pkg-config --variable=libdir iamauth)/libiamauth.a" -lpthread -ldl -lm -o app-archive; then
            run_example "example, static (libiamauth.a by path)" "$dir/app-archive"
        fi
    fi

    # The C test suite, both libraries.
    test_c="$root/bindings/c/tests/test_iamauth.c"
    if build "C tests, shared" "${cc[@]}" "${cflags[@]}" $(pkg-config --cflags iamauth) "$test_c" \
        $(pkg-config --libs iamauth) -lpthread -Wl,-rpath,"$lib" -o test-shared; then
        run_suite "C tests, shared" "$dir/test-shared"
    fi
    if build "C tests, static" "${cc[@]}" "${cflags[@]}" $(pkg-config --cflags iamauth) "$test_c" \
        "${static[@]}" -o test-static; then
        run_suite "C tests, static ($static_kind)" "$dir/test-static"
    fi

    # The command.
    cmd="$prefix/bin/iamauth"
    if (cd / && "${run[@]}" "$cmd" demo) >"$log" 2>&1 && grep -qxF "$want" "$log"; then
        ok "bin/iamauth demo ($(stat -c %s "$cmd") bytes)"
    else
        bad "bin/iamauth demo: no demo token"
    fi
    if [ "$t" = x86_64-linux-gnu ]; then
        # The PAM module through the real libpam, with the archive's command making the tokens.
        if IAMAUTH_PAM_MODULE="$lib/security/pam_iamauth.so" IAMAUTH_CLI="$cmd" \
            bash "$root/bindings/pam/test.sh" >"$log" 2>&1 && tail -n 1 "$log" | grep -Eq '^[0-9]+ passed, 0 failed$'; then
            ok "lib/security/pam_iamauth.so through libpam (bindings/pam/test.sh): $(tail -n 1 "$log")"
        else
            bad "lib/security/pam_iamauth.so through libpam (bindings/pam/test.sh)"
        fi
    fi
    if [ "$t" = aarch64-linux-gnu ]; then
        # The PAM module loads on aarch64 (RTLD_NOW: every symbol bound, libpam's and glibc's,
        # Debian 12's arm64 libpam) and exports the PAM entry points.
        cat >"$dir/load.c" <<'EOF'
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv) {
    void *h = argc > 1 ? dlopen(argv[1], RTLD_NOW | RTLD_LOCAL) : NULL;
    if (!h) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }
    if (!dlsym(h, "pam_sm_authenticate") || !dlsym(h, "pam_sm_setcred")) {
        fprintf(stderr, "no pam_sm_authenticate / pam_sm_setcred\n");
        return 1;
    }
    puts("loaded");
    return 0;
}
EOF
        if build "PAM module load" "${cc[@]}" "$dir/load.c" -ldl -o load &&
            (cd / && "${run[@]}" "$dir/load" "$lib/security/pam_iamauth.so") >"$log" 2>&1 &&
            [ "$(cat "$log")" = loaded ]; then
            ok "lib/security/pam_iamauth.so loads (dlopen RTLD_NOW, Debian's arm64 libpam)"
        else
            bad "lib/security/pam_iamauth.so does not load"
        fi
    fi
    if [[ "$t" == *-musl ]]; then
        if is_static "$cmd" && ! readelf -d "$cmd" 2>/dev/null | grep -q NEEDED; then
            ok "bin/iamauth is fully static"
        else
            readelf -l -d "$cmd" >"$log" 2>&1 || true
            bad "bin/iamauth is not fully static"
        fi
    else
        if bash "$root/tests/dist/glibc-floor.sh" "$lib/libiamauth.so.$version" \
            "$lib/security/pam_iamauth.so" "$cmd" >"$log" 2>&1; then
            ok "glibc floor: $(sed -n 's/^.*: \(GLIBC_[0-9.]*\)$/\1/p' "$log" | sort -uV | tail -n 1) (library, PAM module, command)"
        else
            bad "glibc floor above 2.17"
        fi
    fi

    echo "test-c: $t: $passed passed, $failed failed"
    [ $failed = 0 ] || failed_any=1
done
[ $failed_any = 0 ] || { echo "test-c: FAILED" >&2; exit 1; }
