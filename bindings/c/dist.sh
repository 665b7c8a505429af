#!/usr/bin/env bash
# The C library, the PAM module and the command as prebuilt archives, one per platform:
#   dist/c/iamauth-VERSION-TARGET.tar.gz, TARGET in x86_64-linux-gnu aarch64-linux-gnu
#                                                   x86_64-linux-musl aarch64-linux-musl
# each holding, under iamauth-VERSION-TARGET/:
#   include/iamauth.h
#   lib/libiamauth.so.VERSION, lib/libiamauth.so.0.Y -> it (the SONAME), lib/libiamauth.so -> it
#   lib/libiamauth.a
#   lib/pkgconfig/iamauth.pc          relocatable: prefix=${pcfiledir}/../..
#   lib/security/pam_iamauth.so       gnu only (musl systems have no libpam to build against here)
#   bin/iamauth                       glibc >= 2.17 on gnu; fully static on musl
#   LICENSE-MIT, LICENSE-APACHE, README
# Built with cargo-zigbuild in the reproducible environment of tests/dist/tools.sh (dist_env):
# gnu targets against glibc 2.17 (the `.2.17` suffix), musl targets static (Rust's default there).
# A musl libiamauth.so needs `-C target-feature=-crt-static` (otherwise rustc drops the cdylib),
# so it is built apart, in target/dist-build/musl-dylib, and links musl's libc.so dynamically.
# The profile is release plus stripped symbols (`dist`, defined below, not in Cargo.toml).
# Tested as installed by tests/dist/test-c.sh.
# Usage: bash bindings/c/dist.sh [TARGET...]   (default: all four)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/tests/dist/tools.sh"

all=(x86_64-linux-gnu aarch64-linux-gnu x86_64-linux-musl aarch64-linux-musl)
[ $# -gt 0 ] || set -- "${all[@]}"
for t in "$@"; do
    [[ " ${all[*]} " == *" $t "* ]] || { echo "dist.sh: unknown target $t (one of: ${all[*]})" >&2; exit 2; }
done

need_apt binutils || exit 1
dist_tools
dist_env
out="$root/dist/c"
mkdir -p "$out"
# Release, symbols stripped: a profile of our own, so the other packagers' release builds in
# the same target directory are neither rebuilt nor overwritten.
profile=(--config 'profile.dist.inherits="release"' --config 'profile.dist.strip="symbols"' --profile dist)

# The archive's README: what is inside and the three ways to link, for this target.
readme() { # TARGET SONAME
    local t="$1" soname="$2" libc_line pam_line static_line
    if [[ "$t" == *-gnu ]]; then
        libc_line="Needs glibc 2.17 or newer (RHEL/CentOS 7, Debian 8, Ubuntu 14.04 and later)."
        pam_line="lib/security/pam_iamauth.so     the PAM module (see docs in the repository)"
        static_line="cc app.c \$(pkg-config --cflags iamauth) PREFIX/lib/libiamauth.a -lpthread -ldl -lm -o app  # static libiamauth
  cc -static app.c \$(pkg-config --static --cflags --libs iamauth) -o app       # all static"
    else
        libc_line="For musl systems (Alpine). bin/iamauth is fully static and runs on any ${t%%-*} Linux."
        pam_line=""
        static_line="cc -static app.c \$(pkg-config --static --cflags --libs iamauth) -o app       # static"
    fi
    cat <<EOF
iamauth $DIST_VERSION for $t: AWS IAM database authentication tokens (RDS / Aurora, Aurora DSQL,
ElastiCache / MemoryDB), equal byte for byte to what botocore prints, for C and the shell.
$libc_line

  include/iamauth.h               the C API (every function returns an iamauth_result)
  lib/libiamauth.so.$DIST_VERSION         the shared library; SONAME $soname (the name programs load)
  lib/libiamauth.a                the static library
  lib/pkgconfig/iamauth.pc        pkg-config file; relocatable, works wherever this directory is
${pam_line:+  $pam_line
}  bin/iamauth                     the command: \`bin/iamauth demo\`, \`bin/iamauth --help\`

Unpack anywhere (PREFIX below is the unpacked directory), then:

  export PKG_CONFIG_PATH=PREFIX/lib/pkgconfig
  cc app.c \$(pkg-config --cflags --libs iamauth) -Wl,-rpath,PREFIX/lib -o app     # shared
  $static_line

Without -rpath, run the program with LD_LIBRARY_PATH=PREFIX/lib, or copy lib/ into a directory
the loader searches (/usr/local/lib) and run ldconfig as root. The example app.c, the API and
its conventions: https://github.com/iamauth/iamauth (README.md, bindings/c/README.md).

License: MIT OR Apache-2.0 (LICENSE-MIT, LICENSE-APACHE).
EOF
}

for t in "$@"; do
    arch="${t%%-*}" libc="${t##*-}"
    triple="$arch-unknown-linux-$libc"
    dist_targets "$triple"
    built="$CARGO_TARGET_DIR/$triple/dist"
    echo "dist.sh: $t: building ($triple)" >&2
    if [ "$libc" = gnu ]; then
        # libpam of the target, for the PAM module to link against: this machine's own on
        # x86_64, Debian's arm64 package (unpacked, not installed) on aarch64.
        pamdir="$CARGO_TARGET_DIR/pam-lib/$triple"
        mkdir -p "$pamdir"
        case "$arch" in
            x86_64) need_apt libpam0g && libpam="$(ls /usr/lib/x86_64-linux-gnu/libpam.so.0 /lib/x86_64-linux-gnu/libpam.so.0 2>/dev/null | head -n 1)" ;;
            aarch64) arm64_sysroot libpam0g && libpam="$ARM64_SYSROOT/lib/aarch64-linux-gnu/libpam.so.0" ;;
        esac
        [ -f "$libpam" ] || { echo "dist.sh: no libpam.so.0 for $triple" >&2; exit 1; }
        ln -sfn "$libpam" "$pamdir/libpam.so"
        ( cd "$root" && IAMAUTH_PAM_LIB_DIR="$pamdir" cargo zigbuild --quiet "${profile[@]}" \
            -p iamauth-c -p iamauth-cli -p iamauth-pam --target "$triple.2.17" )
        so="$built/libiamauth.so"
    else
        # Static: the command and libiamauth.a (rustc drops the cdylib here, and says so).
        log="$CARGO_TARGET_DIR/c-stage/$t.log"
        mkdir -p "${log%/*}"
        if ! ( cd "$root" && cargo zigbuild --quiet "${profile[@]}" -p iamauth-c -p iamauth-cli \
            --target "$triple" ) 2>"$log"; then
            cat "$log" >&2
            exit 1
        fi
        grep -v -e 'dropping unsupported crate type `cdylib`' -e 'generated 1 warning' -e '^$' "$log" >&2 || true
        ( cd "$root" && RUSTFLAGS="$RUSTFLAGS -C target-feature=-crt-static" \
            CARGO_TARGET_DIR="$CARGO_TARGET_DIR/musl-dylib" cargo zigbuild --quiet "${profile[@]}" \
            -p iamauth-c --lib --target "$triple" )
        so="$CARGO_TARGET_DIR/musl-dylib/$triple/dist/libiamauth.so"
    fi
    for f in "$so" "$built/libiamauth.a" "$built/iamauth"; do
        [ -f "$f" ] || { echo "dist.sh: $t: $f was not built" >&2; exit 1; }
    done

    name="iamauth-$DIST_VERSION-$t"
    stage="$CARGO_TARGET_DIR/c-stage/$name"
    rm -rf "$stage"
    mkdir -p "$stage/include" "$stage/lib/pkgconfig" "$stage/bin"
    install -m 644 "$here/include/iamauth.h" "$stage/include/iamauth.h"
    # The SONAME is set by build.rs (its comment gives the rule); read back, as install.sh does.
    soname="$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')"
    [ -n "$soname" ] || { echo "dist.sh: $t: $so has no SONAME" >&2; exit 1; }
    install -m 755 "$so" "$stage/lib/libiamauth.so.$DIST_VERSION"
    ln -s "libiamauth.so.$DIST_VERSION" "$stage/lib/$soname"
    ln -s "libiamauth.so.$DIST_VERSION" "$stage/lib/libiamauth.so"
    install -m 644 "$built/libiamauth.a" "$stage/lib/libiamauth.a"
    if [ "$libc" = musl ]; then
        # Rust's std on musl unwinds with LLVM's libunwind, which rustc links into programs from
        # its own copy (self-contained) but leaves out of a staticlib: without it, musl-gcc and
        # zig cc fail on `_Unwind_*`. Appended here, so `-liamauth` is all a static link needs.
        unwind="$(rustc --print sysroot)/lib/rustlib/$triple/lib/self-contained/libunwind.a"
        [ -f "$unwind" ] || { echo "dist.sh: $t: no $unwind" >&2; exit 1; }
        zig ar qLs "$stage/lib/libiamauth.a" "$unwind"
    fi
    # The debug info of Rust's precompiled std is most of the archive (8 MB -> 3 MB): out, the
    # symbols stay. rust-objcopy is LLVM's objcopy as rustup ships it (any target, archives),
    # beside the libLLVM in the sysroot's lib/.
    sysroot="$(rustc --print sysroot)"
    LD_LIBRARY_PATH="$sysroot/lib" \
        "$sysroot/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/rust-objcopy" \
        --strip-debug "$stage/lib/libiamauth.a"
    sed -e 's|@PREFIX@|${pcfiledir}/../..|' -e "s|@VERSION@|$DIST_VERSION|" "$here/iamauth.pc.in" \
        >"$stage/lib/pkgconfig/iamauth.pc"
    chmod 644 "$stage/lib/pkgconfig/iamauth.pc"
    if [ "$libc" = gnu ]; then
        mkdir -p "$stage/lib/security"
        install -m 755 "$built/libpam_iamauth.so" "$stage/lib/security/pam_iamauth.so"
    fi
    install -m 755 "$built/iamauth" "$stage/bin/iamauth"
    for f in LICENSE-MIT LICENSE-APACHE; do
        if [ -f "$root/$f" ]; then
            install -m 644 "$root/$f" "$stage/$f"
        else
            echo "dist.sh: $root/$f is missing (every artifact carries the license texts)" >&2
            exit 1
        fi
    done
    readme "$t" "$soname" >"$stage/README"
    chmod 644 "$stage/README"
    find "$stage" -type d -exec chmod 755 {} +
    dist_tar "$out/$name.tar.gz" "$stage" "$name"
    echo "dist.sh: $out/$name.tar.gz ($(stat -c %s "$out/$name.tar.gz") bytes)"
done
