#!/usr/bin/env bash
# The README's main job, part two: the demo token made from every language binding, printed side
# by side and compared byte for byte. Builds what it needs (release libraries, the C and Java
# examples of README.md, the jar and JNI library, the Python wheel in a venv kept under
# target/, the Node addon and the wasm package with npm) and installs what a new machine lacks
# (a JDK, python3-venv, the wasm32 rustup target and wasm-bindgen-cli), printing `[n/6] language`
# as it goes. Exits non-zero if any token differs from the Rust one.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/side-by-side"
mkdir -p "$work"
cd "$root"
. "$root/tests/need.sh"

start=$SECONDS
stage=0
progress() { # LANGUAGE WHAT: one line per stage, on stderr, with the time so far
    stage=$((stage + 1))
    printf '[%d/6] %-7s %s (%ds)\n' "$stage" "$1" "$2" $((SECONDS - start)) >&2
}

# The demo's inputs (AWS's documented example credentials; the environment is not read).
host=mydb.123456789012.us-east-1.rds.amazonaws.com port=5432 user=iam_user region=us-east-1
time=1704164645 # 2024-01-02T03:04:05Z
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
unset AWS_SESSION_TOKEN

printf '\nThe same token from every binding (the first run builds each one; on a new machine that takes several minutes):\n' >&2
progress Rust "the iamauth command"
cargo build --quiet --release -p iamauth-cli -p iamauth-c

rust="$(target/release/iamauth rds --host "$host" --port "$port" --user "$user" --region "$region" --time "$time")"

# C: the example of README.md, linked against the static library.
progress C "the README's C example, linked against libiamauth.a"
need_cmd gcc gcc
awk '/^```c$/ {on=1; next} /^```$/ {on=0} on' README.md > "$work/example.c"
gcc -std=c11 -O2 -I bindings/c/include "$work/example.c" target/release/libiamauth.a \
    -lpthread -ldl -lm -o "$work/example"
c="$("$work/example" | sed -n 1p)"

# Java: the jar and JNI library, and the README's Java example.
progress Java "the jar and libiamauth_jni.so, then the README's Java example"
need_jdk
bash bindings/java/build.sh "$work/java" >/dev/null
mkdir -p "$work/java-example"
python3 - README.md "$work/java-example/ReadmeExample.java" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
block = next(b for b in re.findall(r"```java\n(.*?)```", text, re.S) if "class ReadmeExample" in b)
open(sys.argv[2], "w", encoding="utf-8").write(block)
PY
javac -d "$work/java-example" -cp "$work/java/iamauth.jar" "$work/java-example/ReadmeExample.java"
java="$(java -Djava.library.path="$work/java" -cp "$work/java/iamauth.jar:$work/java-example" ReadmeExample | sed -n 1p)"

# Python: the wheel, installed into a venv that later runs reuse.
progress Python "the abi3 wheel (maturin), in a venv under target/side-by-side"
need_venv
if [ ! -x "$work/venv/bin/maturin" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/python" -m pip install --quiet maturin==1.16.0
fi
"$work/venv/bin/python" -m pip install --quiet --force-reinstall --no-deps ./bindings/python >/dev/null
python="$("$work/venv/bin/python" -c "
import pyiamauth
creds = pyiamauth.Credentials('$AWS_ACCESS_KEY_ID', '$AWS_SECRET_ACCESS_KEY')
print(pyiamauth.rds_token('$host', $port, '$user', '$region', creds, time=$time))")"

# Node: the napi-rs addon, and the wasm package in Node (both built with npm in place).
need_node
for pkg in bindings/node wasm; do
    if [ "$pkg" = wasm ]; then
        progress wasm "the wasm package (first time: the wasm32 target and wasm-bindgen-cli, ~4 min)"
    else
        progress Node "the napi-rs addon"
    fi
    if [ ! -d "$pkg/node_modules" ]; then
        (cd "$pkg" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    fi
    # Quiet unless it fails; then its whole output.
    if ! (cd "$pkg" && npm run --silent build) >"$work/build-$(basename "$pkg").log" 2>&1; then
        cat "$work/build-$(basename "$pkg").log" >&2
        echo "side-by-side: building $pkg failed (log above)" >&2
        exit 1
    fi
done
js_token() {
    node -e "
const { rdsToken } = require(process.argv[1]);
console.log(rdsToken({ host: '$host', port: $port, user: '$user', region: '$region', time: $time,
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY } }));" "$1"
}
node="$(js_token "$root/bindings/node")"
wasm="$(js_token "$root/wasm")"

printf '\nThe same token from every language (%s:%s, user %s, %s, 2024-01-02T03:04:05Z):\n' \
    "$host" "$port" "$user" "$region"
status=0
for lang in rust c java python node wasm; do
    token="${!lang}"
    printf '%-7s %s\n' "$lang" "$token"
    [ "$token" = "$rust" ] || status=1
done
if [ $status -eq 0 ]; then
    echo "identical: all tokens are byte-for-byte the same (and equal botocore's: vector rds-demo)"
else
    echo "DIFFERENT: the tokens above do not all match" >&2
fi
exit $status
