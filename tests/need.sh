# Sourced by the build, demo and test scripts: installs what a new machine lacks, only when it
# lacks it, so that every entry point works on its own (`make demo`, `make test`, each test.sh).
# A new machine here is Debian 12 with rustup (host target only), gcc, python3, node + npm, make.
# Installing Debian packages needs root; without it the message says what to install.
#
#   . "$root/tests/need.sh"
#   need_apt valgrind pkg-config     need_cmd javac default-jdk-headless
#   need_rust_target wasm32-unknown-unknown     need_jdk     need_venv

# The checkout's root, from this file's place (scripts source it as ../../tests/need.sh).
root="${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

# Cargo's build directory (CARGO_TARGET_DIR, else the checkout's target/); needs $root.
cargo_target() { echo "${CARGO_TARGET_DIR:-$root/target}"; }

# A test script's progress line: `step NAME` prints "== NAME (Ns)", seconds since sourcing.
need_started=$SECONDS
step() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - need_started)); }

# Debian packages, installed when `dpkg -s` says they are not. `apt-get update` runs at most once
# per process tree, and only when an install is needed (a new machine has empty package lists).
need_apt() { # PACKAGE...
    local missing=() p
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "missing Debian packages: ${missing[*]}; install them as root: apt-get install ${missing[*]}" >&2
        return 1
    fi
    echo "installing ${missing[*]} (Debian packages; once per machine)" >&2
    if [ -z "${IAMAUTH_APT_UPDATED:-}" ]; then
        apt-get update -qq >/dev/null || return 1
        export IAMAUTH_APT_UPDATED=1
    fi
    # The image's policy-rc.d keeps apt from starting the distribution's own servers.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# A command, from the Debian package that has it, when it is not on PATH.
need_cmd() { # COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 || need_apt "$2"
}

# rustup targets, added when `rustup target list --installed` lacks them (about 2 s each).
need_rust_target() { # TARGET...
    command -v rustup >/dev/null || { echo "rustup is required (https://rustup.rs)" >&2; return 1; }
    local installed t
    installed="$(rustup target list --installed)"
    for t in "$@"; do
        if ! grep -qx "$t" <<<"$installed"; then
            echo "adding the rustup target $t (once per toolchain)" >&2
            rustup target add "$t" >/dev/null || return 1
        fi
    done
}

# A JDK (javac and jar), and JAVA_HOME pointing at it.
need_jdk() {
    if ! command -v javac >/dev/null 2>&1 || ! command -v jar >/dev/null 2>&1; then
        need_apt default-jdk-headless || return 1
    fi
    JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
    export JAVA_HOME
}

# `python3 -m venv` with pip (Debian splits it into python3-venv).
need_venv() {
    python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need_apt python3-venv
}

# node and npm (Debian's, when there are none).
need_node() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
    need_apt nodejs npm
}
