#!/usr/bin/env bash
# The npm release packages, as `npm pack` tarballs in dist/npm/ (issue 10):
#   iamauth-linux-x64-gnu-V.tgz, iamauth-linux-arm64-gnu-V.tgz   the addon, one package per platform
#       (napi-rs layout: `os`, `cpu`, `libc`, `main` the .node), built with cargo-zigbuild against
#       glibc 2.17 in the reproducible environment of tests/dist/tools.sh
#   iamauth-V.tgz          the JS package; its optionalDependencies pin both platform packages at V,
#                          index.js loads the one npm installed (or a local build) or says what is missing
#   iamauth-wasm-V.tgz     wasm/pkg (npm run build in wasm/), two .wasm inside (signing, verify)
# Every package has README.md, LICENSE-MIT and LICENSE-APACHE; V is the Cargo workspace version.
# musl packages are not built: no musl Node can run here to test them (see RELEASING.md).
#   bash bindings/node/dist.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/tests/dist/tools.sh"

# napi-rs platform name, Rust target, npm `cpu`
PLATFORMS=(
    "linux-x64-gnu x86_64-unknown-linux-gnu x64"
    "linux-arm64-gnu aarch64-unknown-linux-gnu arm64"
)
GLIBC_FLOOR=2.17

dist_tools
dist_env
dist_targets x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu
node "$here/scripts/check-version.mjs"
for f in LICENSE-MIT LICENSE-APACHE; do
    [ -f "$root/$f" ] || { echo "dist.sh: $f is missing at the repository root" >&2; exit 1; }
done

out="$root/dist/npm"
stage="$CARGO_TARGET_DIR/npm-stage"
rm -rf "$out" "$stage"
mkdir -p "$out" "$stage"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

pack() { # DIR: npm pack into dist/npm, prints the tarball's name
    (cd "$1" && npm pack --silent --pack-destination "$out")
}
licenses() { cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$1/"; }

# The highest GLIBC_ symbol version FILE needs.
glibc_needed() { objdump -T "$1" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1; }

# 1. One package per platform. The profile `npm`: release, with fat LTO, opt-level "z" (sha2 at 3,
#    as in the wasm build) and symbols stripped: about a fifth smaller than plain release. Defined
#    here with --config (its own output directory) so the workspace's release profile stays as is.
#    panic stays "unwind": napi-rs turns a panic into a JS exception only then.
profile=(--config 'profile.npm.inherits="release"' --config 'profile.npm.lto=true'
    --config 'profile.npm.opt-level="z"' --config 'profile.npm.package.sha2.opt-level=3'
    --config 'profile.npm.strip="symbols"' --config 'profile.npm.codegen-units=1')
optional=()
for p in "${PLATFORMS[@]}"; do
    read -r name triple cpu <<<"$p"
    echo "=== iamauth-$name ($triple, glibc $GLIBC_FLOOR)"
    (cd "$root" && cargo-zigbuild zigbuild "${profile[@]}" --profile npm -p iamauth-node \
        --target "$triple.$GLIBC_FLOOR" --quiet)
    so="$CARGO_TARGET_DIR/$triple/npm/libiamauth_node.so"
    need="$(glibc_needed "$so")"
    if [ "$(printf '%s\n%s\n' "$need" "$GLIBC_FLOOR" | sort -V | tail -1)" != "$GLIBC_FLOOR" ]; then
        echo "dist.sh: $so needs GLIBC_$need, newer than the floor $GLIBC_FLOOR" >&2
        exit 1
    fi
    dir="$stage/iamauth-$name"
    mkdir -p "$dir"
    cp "$so" "$dir/iamauth.$name.node"
    licenses "$dir"
    cat >"$dir/README.md" <<MD
# iamauth-$name

The native addon of [\`iamauth\`](https://www.npmjs.com/package/iamauth) for Linux $cpu with
glibc $GLIBC_FLOOR or newer. Do not install it directly: \`npm install iamauth\` installs it, as an
optional dependency, on the platform it fits.
MD
    DIR="$dir" NAME="$name" CPU="$cpu" HERE="$here" node -e '
const { readFileSync, writeFileSync } = require("node:fs");
const main = JSON.parse(readFileSync(process.env.HERE + "/package.json", "utf8"));
const { DIR, NAME, CPU } = process.env;
const manifest = {
  name: `iamauth-${NAME}`,
  version: main.version,
  description: `The native addon of iamauth for Linux ${CPU} (glibc)`,
  license: main.license,
  repository: main.repository,
  os: ["linux"],
  cpu: [CPU],
  libc: ["glibc"],
  main: `iamauth.${NAME}.node`,
  files: [`iamauth.${NAME}.node`, "README.md", "LICENSE-MIT", "LICENSE-APACHE"],
  engines: main.engines,
};
writeFileSync(`${DIR}/package.json`, JSON.stringify(manifest, null, 2) + "\n");
'
    optional+=("iamauth-$name")
    pack "$dir" >/dev/null
done

# 2. The JS package `iamauth`: the loader, the shared front-end (from bindings/js), the declarations; no .node.
echo "=== iamauth"
dir="$stage/iamauth"
mkdir -p "$dir"
cp "$here/index.js" "$here/index.mjs" "$here/index.d.ts" "$here/node.d.ts" "$here/README.md" "$dir/"
node "$root/bindings/js/emit.mjs" "$dir" # the shared front-end (bindings/js/README.md)
licenses "$dir"
DIR="$dir" OPTIONAL="${optional[*]}" HERE="$here" node -e '
const { readFileSync, writeFileSync } = require("node:fs");
const dev = JSON.parse(readFileSync(process.env.HERE + "/package.json", "utf8"));
const { scripts, devDependencies, napi, ...manifest } = dev;
manifest.files = ["index.js", "index.mjs", "index.d.ts", "node.d.ts", "api.cjs", "api.mjs", "README.md", "LICENSE-MIT", "LICENSE-APACHE"];
delete manifest.repository.directory;
manifest.optionalDependencies = Object.fromEntries(
  process.env.OPTIONAL.split(" ").map((name) => [name, dev.version]));
writeFileSync(process.env.DIR + "/package.json", JSON.stringify(manifest, null, 2) + "\n");
'
pack "$dir" >/dev/null

# 3. iamauth-wasm: built by wasm/build.mjs into wasm/pkg (in this same environment), packed as is.
echo "=== iamauth-wasm"
(cd "$root/wasm" && npm run --silent build >/dev/null)
pack "$root/wasm/pkg" >/dev/null

# Each tarball has its licenses and README; the wasm one exactly two .wasm (signing, verify).
status=0
for t in "$out"/*.tgz; do
    list="$(tar tzf "$t")"
    for f in README.md LICENSE-MIT LICENSE-APACHE package.json; do
        grep -qx "package/$f" <<<"$list" || { echo "dist.sh: $(basename "$t") lacks $f" >&2; status=1; }
    done
done
wasms="$(tar tzf "$out/iamauth-wasm-$DIST_VERSION.tgz" | grep -c '\.wasm$' || true)"
[ "$wasms" = 2 ] || { echo "dist.sh: iamauth-wasm has $wasms .wasm files, expected 2 (signing, verify)" >&2; status=1; }

echo "=== dist/npm ($DIST_VERSION)"
for t in "$out"/*.tgz; do
    printf '  %-40s %8d bytes\n' "$(basename "$t")" "$(stat -c %s "$t")"
done
for p in "${PLATFORMS[@]}"; do
    read -r name triple cpu <<<"$p"
    node_file="$stage/iamauth-$name/iamauth.$name.node"
    printf '  %-40s %8d bytes, needs GLIBC_%s\n' "iamauth.$name.node" "$(stat -c %s "$node_file")" "$(glibc_needed "$node_file")"
done
exit $status
