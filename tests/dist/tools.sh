# Sourced by the packaging and dist-test scripts: the release tools, installed once into
# target/dist-tools (never system-wide) and put first on PATH. Pinned here, the one place.
#
#   . "$root/tests/dist/tools.sh"
#   dist_tools                          maturin, ziglang (zig), cargo-zigbuild in a venv
#   dist_targets aarch64-unknown-linux-gnu ...   rustup targets (need_rust_target)
#   arm64_sysroot [DEBIAN-PACKAGE...]   qemu-aarch64-static and an arm64 sysroot holding libc6
#                                       and the packages named (with their dependencies)
. "$(dirname "${BASH_SOURCE[0]}")/../need.sh"

DIST_PINS=(maturin==1.16.0 ziglang==0.17.1 cargo-zigbuild==0.24.1)
dist_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dist_tools_dir="${CARGO_TARGET_DIR:-$dist_root/target}/dist-tools"

# One venv with the pinned tools; concurrent callers wait for each other (flock).
dist_tools() {
    mkdir -p "$dist_tools_dir"
    need_venv || return 1
    (
        flock 9
        if [ "$(cat "$dist_tools_dir/venv/pins" 2>/dev/null)" != "${DIST_PINS[*]}" ]; then
            echo "dist tools: ${DIST_PINS[*]} into $dist_tools_dir/venv" >&2
            rm -rf "$dist_tools_dir/venv"
            python3 -m venv "$dist_tools_dir/venv" &&
                "$dist_tools_dir/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
                    "${DIST_PINS[@]}" &&
                echo "${DIST_PINS[*]}" >"$dist_tools_dir/venv/pins"
        fi
    ) 9>"$dist_tools_dir/.lock" || return 1
    # `zig` itself: cargo-zigbuild and maturin look for it on PATH (python -m ziglang is the
    # package's own entry point).
    mkdir -p "$dist_tools_dir/bin"
    printf '#!/bin/sh\nexec "%s" -m ziglang "$@"\n' "$dist_tools_dir/venv/bin/python" >"$dist_tools_dir/bin/zig"
    chmod +x "$dist_tools_dir/bin/zig"
    case ":$PATH:" in
    *":$dist_tools_dir/bin:"*) ;;
    *) export PATH="$dist_tools_dir/bin:$dist_tools_dir/venv/bin:$PATH" ;;
    esac
}

dist_targets() { need_rust_target "$@"; }

# qemu-user-static and an arm64 sysroot under target/dist-tools/arm64 with libc6 and the packages
# named, each with its arm64 dependency closure (apt-get download + dpkg -x; nothing is installed
# into this machine's own dpkg database). Prints nothing on success; sets ARM64_SYSROOT.
arm64_sysroot() {
    need_apt qemu-user-static || return 1
    ARM64_SYSROOT="$dist_tools_dir/arm64"
    export ARM64_SYSROOT
    mkdir -p "$ARM64_SYSROOT" "$dist_tools_dir/arm64-debs"
    (
        flock 9
        if ! dpkg --print-foreign-architectures | grep -qx arm64; then
            dpkg --add-architecture arm64 && apt-get update -qq >/dev/null || exit 1
        fi
        [ -f /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-arm64_Packages.lz4 ] ||
            ls /var/lib/apt/lists/*binary-arm64_Packages* >/dev/null 2>&1 || apt-get update -qq >/dev/null || exit 1
        local want=(libc6 "$@") closure p
        # The dependency closure: arm64 packages (name:arm64) and architecture-independent ones
        # (no suffix; Debian's arm64 nodejs loads node-undici and others from /usr/share/nodejs).
        # Virtual packages (<name>) are left out: apt lists what provides them.
        closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
            --no-breaks --no-replaces --no-enhances "${want[@]/%/:arm64}" 2>/dev/null |
            grep -E '^[a-z0-9]' | grep -E '(:arm64|^[^:]+)$' | sort -u)
        cd "$dist_tools_dir/arm64-debs" || exit 1
        for p in $closure; do
            local name="${p%:arm64}"
            [ -f "$ARM64_SYSROOT/.have-$name" ] && continue
            if [ "$name" = "$p" ]; then # no suffix: only if it is Architecture: all
                apt-cache show --no-all-versions "$p" 2>/dev/null | grep -qx 'Architecture: all' || continue
            fi
            rm -f "$name"_*.deb
            apt-get download -qq "$p" >/dev/null 2>&1 || { echo "arm64 sysroot: cannot download $p" >&2; exit 1; }
            dpkg -x "$name"_*.deb "$ARM64_SYSROOT" && touch "$ARM64_SYSROOT/.have-$name"
        done
    ) 9>"$dist_tools_dir/.arm64.lock"
}

# Runs an aarch64 program with the sysroot's loader and libraries.
arm64_run() { # PROGRAM ARGS...
    QEMU_LD_PREFIX="$ARM64_SYSROOT" qemu-aarch64-static -L "$ARM64_SYSROOT" "$@"
}

# The environment every packaging step builds in, so that two `make dist` runs give the same
# bytes: the commit's time as SOURCE_DATE_EPOCH, paths remapped out of the binaries, one build
# directory for release artifacts (target/dist-build, apart from the day-to-day target/), UTC, C.
dist_env() {
    SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$dist_root" log -1 --format=%ct)}"
    local cargo_home="${CARGO_HOME:-$HOME/.cargo}" rustup_home="${RUSTUP_HOME:-$HOME/.rustup}"
    RUSTFLAGS="--remap-path-prefix=$dist_root=/iamauth --remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$rustup_home=/rustup"
    CARGO_TARGET_DIR="$dist_root/target/dist-build"
    CARGO_INCREMENTAL=0
    TZ=UTC LC_ALL=C
    export SOURCE_DATE_EPOCH RUSTFLAGS CARGO_TARGET_DIR CARGO_INCREMENTAL TZ LC_ALL
    DIST_VERSION="$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' "$dist_root/Cargo.toml")"
    export DIST_VERSION
}

# A reproducible .tar.gz of DIR's contents under the top directory NAME: sorted, owned by 0:0,
# every time SOURCE_DATE_EPOCH, gzip without a name or time.
dist_tar() { # OUT.tar.gz DIR NAME
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
        --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
        --transform "s,^\.,$3," -C "$2" -cf - . | gzip -9n >"$1"
}

# The path without any Rust toolchain: what a user who installs a prebuilt package has.
no_rust_path() {
    local d out=()
    IFS=: read -ra parts <<<"$PATH"
    for d in "${parts[@]}"; do
        [ -x "$d/cargo" ] || [ -x "$d/rustc" ] || out+=("$d")
    done
    (IFS=:; echo "${out[*]}")
}
