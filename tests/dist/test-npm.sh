#!/usr/bin/env bash
# The npm release tarballs (dist/npm, from bindings/node/dist.sh) installed as a user installs
# them, with no Rust toolchain on PATH, and nothing built:
#   - an empty app, `npm install` of the iamauth and iamauth-wasm tarballs (and the README's
#     drivers mysql2 and pg from the registry); npm picks the platform package from iamauth's
#     optionalDependencies by `os`, `cpu` and `libc`, as from the registry, but the app's
#     `overrides` point those names at the tarballs in dist/npm -> the JS suite's node target
#     against node_modules/iamauth, the README's Node snippet (mysql2 and pg pools: their
#     password hooks are called, no database needed) and Worker snippet, the wasm-cjs,
#     wasm-esm and workerd targets against node_modules/iamauth-wasm; loading by name; the
#     loader's message when the platform package is missing (npm install --omit=optional).
#   - with --all: the arm64 package, installed the same way (`npm install --cpu=arm64`: npm
#     chooses iamauth-linux-arm64-gnu), under Debian's
#     arm64 Node in qemu-aarch64-static: the suite's node target (the test file run directly,
#     not under `node --test`, whose child process would be an aarch64 exec without binfmt).
#   bash tests/dist/test-npm.sh [--all]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$here/tools.sh"

all=0
case "${1:-}" in
--all) all=1 ;;
"") ;;
*) echo "usage: $0 [--all]" >&2; exit 2 ;;
esac

version="$(sed -n '/^\[workspace.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' "$root/Cargo.toml")"
dist="$root/dist/npm"
main="$dist/iamauth-$version.tgz"
wasm="$dist/iamauth-wasm-$version.tgz"
case "$(uname -m)" in
x86_64) host=linux-x64-gnu ;;
aarch64) host=linux-arm64-gnu ;;
*) echo "test-npm.sh: no platform package for $(uname -m)" >&2; exit 1 ;;
esac
for t in "$main" "$wasm" "$dist/iamauth-$host-$version.tgz"; do
    [ -f "$t" ] || { echo "test-npm.sh: $t is missing; run bash bindings/node/dist.sh first" >&2; exit 1; }
done

# The suite's own tools (node:test is built in; workerd for the Worker targets), from its lockfile.
[ -x "$root/tests/js/node_modules/.bin/workerd" ] ||
    (cd "$root/tests/js" && npm ci --no-audit --no-fund --loglevel=error)
if [ $all = 1 ]; then
    [ -f "$dist/iamauth-linux-arm64-gnu-$version.tgz" ] ||
        { echo "test-npm.sh: the arm64 package is missing; run bash bindings/node/dist.sh" >&2; exit 1; }
    arm64_sysroot nodejs # with the architecture-independent node-* packages it loads
fi

# From here on, what a user of the prebuilt packages has: no cargo, no rustc.
PATH="$(no_rust_path)"
export PATH
! command -v cargo >/dev/null && ! command -v rustc >/dev/null ||
    { echo "test-npm.sh: cargo or rustc is still on PATH" >&2; exit 1; }
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

work="$(mktemp -d /tmp/iamauth-npm-XXXXXX)"
trap 'rm -rf "$work"' EXIT
results=()
record() { # STATUS LABEL
    if [ "$1" = 0 ]; then results+=("ok     $2"); else results+=("FAILED $2"); fi
}
# A new app with NPM-INSTALL-ARGS installed. Its `overrides` send iamauth's optional platform
# dependencies to the tarballs of dist/npm instead of the registry (not published yet).
npm_app() { # DIR NPM-INSTALL-ARGS...
    local dir="$1" t overrides=()
    shift
    mkdir -p "$dir"
    for t in "$dist"/iamauth-linux-*-"$version".tgz; do
        t="$(basename "$t")"
        overrides+=("\"${t%-"$version".tgz}\": \"file:$dist/$t\"")
    done
    printf '{ "name": "app", "version": "1.0.0", "private": true, "overrides": { %s } }\n' \
        "$(IFS=,; echo "${overrides[*]}")" >"$dir/package.json"
    (cd "$dir" && npm install --loglevel=error "$@")
}
suite() { # LABEL FILE ENV...: one node:test file of tests/js, run from there
    local label="$1" file="$2" rc=0
    shift 2
    echo "=== $label"
    (cd "$root/tests/js" && env "$@" node --test --test-reporter=spec "$file") || rc=$?
    record $rc "$label"
}

# 1. This machine's platform.
app="$work/app"
echo "=== npm install $(basename "$main") $(basename "$wasm") mysql2 pg"
npm_app "$app" "$main" "$wasm" mysql2@3.24.6 pg@8.23.1
nm="$app/node_modules"
rc=0
# Nothing built: the only .node is the one platform package npm chose; the JS package has none.
nodes="$(cd "$nm" && find iamauth iamauth-* -name '*.node' | sort | tr '\n' ' ')"
[ "$nodes" = "iamauth-$host/iamauth.$host.node " ] || { echo "unexpected .node files: $nodes" >&2; rc=1; }
# iamauth-wasm: one .wasm per entry (the signing module, the verify module of iamauth-wasm/verify).
wasms="$(cd "$nm/iamauth-wasm" && find . -name '*.wasm' | sort | tr '\n' ' ')"
[ "$wasms" = "./web/iamauth_wasm_bg.wasm ./web/iamauth_wasm_verify_bg.wasm " ] || { echo "iamauth-wasm's .wasm files: $wasms" >&2; rc=1; }
# By name, both module systems, both packages: the Cargo version.
got="$(cd "$app" && node -e '
const a = require("iamauth"), w = require("iamauth-wasm");
Promise.all([import("iamauth"), import("iamauth-wasm")]).then(([b, x]) =>
  console.log([a.version, w.version, b.version, x.version].join(" ")));')" || rc=1
[ "$got" = "$version $version $version $version" ] || { echo "versions by name: $got" >&2; rc=1; }
record $rc "iamauth (npm chose iamauth-$host) + iamauth-wasm $version: installed from dist/npm, loaded by name"

suite "iamauth-$host: JS suite, node target (installed package)" suite.test.mjs \
    IAMAUTH_JS_TARGET=node IAMAUTH_JS_NODE_PKG="$nm/iamauth"
suite "iamauth + iamauth-wasm: README Node (mysql2, pg) and Worker snippets (installed packages)" readme.test.mjs \
    IAMAUTH_JS_APP="$app" IAMAUTH_JS_NODE_PKG="$nm/iamauth" IAMAUTH_JS_WASM_PKG="$nm/iamauth-wasm"
for target in wasm-cjs wasm-esm workerd; do
    suite "iamauth-wasm: JS suite, $target target (installed package)" suite.test.mjs \
        IAMAUTH_JS_TARGET=$target IAMAUTH_JS_WASM_PKG="$nm/iamauth-wasm"
done

# The loader's message when npm left the platform package out (--omit=optional).
rc=0
echo "=== npm install --omit=optional $(basename "$main")"
npm_app "$work/omit" --omit=optional "$main" || rc=1
[ ! -e "$work/omit/node_modules/iamauth-$host" ] || { echo "--omit=optional installed iamauth-$host" >&2; rc=1; }
msg="$(cd "$work/omit" && node -e 'require("iamauth")' 2>&1)" && rc=1
for want in "iamauth-$host" "$(node -p 'process.platform + " " + process.arch')" "(glibc)" "--include=optional" "build from source"; do
    grep -qF -- "$want" <<<"$msg" || { echo "the missing-package message lacks \"$want\": $msg" >&2; rc=1; }
done
record $rc "iamauth without its platform package: the error names the platform, iamauth-$host and the fixes"

# 2. arm64, under qemu with Debian's arm64 Node.
if [ $all = 1 ]; then
    arm="$work/arm64"
    echo "=== npm install --cpu=arm64 $(basename "$main")"
    rc=0
    npm_app "$arm" --os=linux --cpu=arm64 --libc=glibc "$main" || rc=1
    nodes="$(cd "$arm/node_modules" && find . -name '*.node' | sort | tr '\n' ' ')"
    [ "$nodes" = "./iamauth-linux-arm64-gnu/iamauth.linux-arm64-gnu.node " ] ||
        { echo "npm --cpu=arm64 installed: $nodes" >&2; rc=1; }
    anode="$ARM64_SYSROOT/usr/bin/node"
    label="iamauth-linux-arm64-gnu: JS suite, node target, Debian arm64 Node $(arm64_run "$anode" --version 2>/dev/null) under qemu"
    if [ $rc = 0 ]; then
        echo "=== $label"
        (cd "$root/tests/js" && IAMAUTH_JS_TARGET=node IAMAUTH_JS_NODE_PKG="$arm/node_modules/iamauth" \
            arm64_run "$anode" --test-reporter=spec suite.test.mjs) || rc=$?
    fi
    record $rc "$label"
fi

echo "=== npm packages, installed"
status=0
for r in "${results[@]}"; do
    echo "$r"
    [[ $r == ok* ]] || status=1
done
n_ok="$(printf '%s\n' "${results[@]}" | grep -c '^ok' || true)"
echo "npm: $n_ok passed, $((${#results[@]} - n_ok)) failed"
exit $status
