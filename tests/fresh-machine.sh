#!/usr/bin/env bash
# A rehearsal of the README's two commands on a new machine, in a private directory: clones this
# checkout's HEAD into a mode-0700 directory, removes what a new machine lacks, then runs
# `make demo` and `make test` there (CI=true) and prints the time of each. Not part of `make test`.
#
#   bash tests/fresh-machine.sh [--purge-system] [--again] [--keep]
#
# Always removed first (this machine's own copies, not only the clone's):
#   - every rustup target but the host's, and wasm-bindgen-cli (cargo uninstall);
#   - caches: the run gets an empty CARGO_HOME (crates are downloaded again; rustup's toolchain
#     stays), an empty npm cache and no pip cache; the clone has no target/, node_modules or venv.
# --purge-system also purges the Debian packages the tests install (PostgreSQL, MariaDB, their
#   clients and JDBC drivers, Chromium, valgrind, libpam0g-dev, libpq-dev, pkg-config, the JDK;
#   pkgconf, which other packages need, stays) and empties apt's package lists and its cache of
#   downloaded packages, as on a new machine. Needs root. Maven goes with the JDK.
# --again then runs both commands a second time in the same clone: the warm times.
# --keep keeps the clone (and its target/) for a look afterwards; otherwise it is removed. The
# logs of both commands are kept either way, in a directory the summary names.
#
# Exit status: non-zero when either command fails. The last lines give both times.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
purge=0 keep=0 again=0
for arg in "$@"; do
    case "$arg" in
    --purge-system) purge=1 ;;
    --again) again=1 ;;
    --keep) keep=1 ;;
    *) echo "usage: tests/fresh-machine.sh [--purge-system] [--again] [--keep]" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" = 0 ] || { echo "fresh-machine.sh: run as root (make test installs Debian packages)" >&2; exit 2; }

base="$(mktemp -d /tmp/iamauth-fresh.XXXXXX)" # mktemp makes it 0700: a private home directory
chmod 0700 "$base"
clone="$base/iamauth"
logs="$(mktemp -d /tmp/iamauth-fresh-logs.XXXXXX)"
git clone --quiet "$root" "$clone"
# ../shared (the third-party vectors) beside the clone, as beside every checkout.
if [ -d "$root/../shared" ]; then ln -s "$(cd "$root/../shared" && pwd)" "$base/shared"; fi
echo "fresh-machine: $(git -C "$clone" log -1 --format='%h %s') in $clone (mode $(stat -c %a "$base"))"

step() { printf '\n== fresh-machine: %s\n' "$*"; }

step "removing what a new machine lacks"
host="$(rustc -vV | sed -n 's/^host: //p')"
for t in $(rustup target list --installed); do
    [ "$t" = "$host" ] || { echo "rustup target remove $t"; rustup target remove "$t" >/dev/null; }
done
if cargo install --list | grep -q '^wasm-bindgen-cli '; then
    echo "cargo uninstall wasm-bindgen-cli"
    cargo uninstall --quiet wasm-bindgen-cli
fi
export CARGO_HOME="$base/cargo-home" npm_config_cache="$base/npm-cache" PIP_NO_CACHE_DIR=1
mkdir -p "$CARGO_HOME/bin"
# rustup's proxies (cargo, rustc) stay where rustup put them; what cargo installs goes first.
export PATH="$CARGO_HOME/bin:$PATH"
echo "empty CARGO_HOME, npm cache and no pip cache for this run"
if [ $purge = 1 ]; then
    pkgs=()
    for p in $(dpkg-query -W -f '${Package}\n' 'postgresql*' 'mariadb-*' 'libmariadb*' 'mysql-common' \
        'chromium*' valgrind libpam0g-dev libpq-dev libpq5 libpostgresql-jdbc-java libmariadb-java \
        pkg-config 'openjdk-*' 'default-jdk*' 'default-jre*' maven libhikaricp-java \
        libcommons-dbcp2-java 2>/dev/null); do
        dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' && pkgs+=("$p")
    done
    if [ ${#pkgs[@]} -gt 0 ]; then
        echo "apt-get purge ${pkgs[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${pkgs[@]}" >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get autoremove --purge -y -qq >/dev/null
    fi
    apt-get clean
    rm -rf /var/lib/apt/lists/*
    echo "apt's package lists and downloaded packages emptied"
    for c in javac valgrind chromium psql mariadb; do
        ! command -v "$c" >/dev/null || { echo "fresh-machine: $c is still installed" >&2; exit 1; }
    done
fi

status=0
run() { # NAME WHEN: make NAME in the clone, timed, its output in $logs/NAME-WHEN.log
    local name=$1 when=$2 t0=$SECONDS rc=0 log="$logs/$1-${2// /-}.log"
    step "make $name, $when (output in $log)"
    (cd "$clone" && CI=true make "$name") >"$log" 2>&1 || rc=$?
    times+=("make $name ($when): $([ $rc = 0 ] && echo passed || echo "FAILED (exit $rc)") in $((SECONDS - t0)) s")
    tail -n 15 "$log"
    [ $rc = 0 ] || status=1
}
times=()
run demo "new machine"
run test "new machine"
if [ $again = 1 ]; then
    run demo warm
    run test warm
fi

step "summary ($([ $purge = 1 ] && echo "system packages purged" || echo "system packages kept"))"
for t in "${times[@]}"; do echo "fresh-machine: $t"; done
echo "fresh-machine: logs in $logs"
if [ $keep = 1 ]; then
    echo "kept: $base"
else
    rm -rf "$base"
fi
exit $status
