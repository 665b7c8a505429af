#!/usr/bin/env bash
# `make differential N=... SEED=...`: N seeded random valid cases (odd users, session tokens,
# the aws / aws-cn / aws-us-gov partitions, IPv4 and IPv6 hosts, ports, every kind and action,
# expiries, times from 1970 to 9999) signed by botocore (pinned, the vectors' throwaway venv; EKS
# tokens by awscli's TokenGenerator, MSK tokens by aws-msk-iam-sasl-signer-python), then
# by every surface, each ONE process reading the whole case file: Rust (core), C (libiamauth),
# Python (the pyiamauth wheel), the Node addon, wasm (its Node build) and Java (JNI). Every token
# must equal botocore's byte for byte; the Rust surface also verifies each botocore token with
# core's verify (the case's key and expectations, at a time inside its validity) -> the case's
# identity. The last line is the summary; a failure prints the seed, the first differing case and
# both tokens, and exits 1.
#
#   bash tests/differential/run.sh --n 10000 --seed 1 [--surfaces "rust c python node wasm java"]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../need.sh" # sets root

n=10000
seed=1
surfaces="rust c python node wasm java"
while [ $# -gt 0 ]; do
    case "$1" in
        --n) n="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --surfaces) surfaces="$2"; shift 2 ;;
        *) echo "usage: run.sh --n N --seed S [--surfaces LIST]" >&2; exit 2 ;;
    esac
done
work="$(cargo_target)/differential"
mkdir -p "$work"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/iamauth-differential.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
started=$SECONDS
has() { [[ " $surfaces " == *" $1 "* ]]; }

step "differential: building the surfaces ($surfaces)"
if has rust; then
    # Exactly the root's dependency versions.
    cp "$root/Cargo.lock" "$here/rust/Cargo.lock"
    (cd "$here/rust" && CARGO_TARGET_DIR="$(cargo_target)" cargo build --quiet --release)
fi
if has c; then
    (cd "$root" && cargo build --quiet --release -p iamauth-c)
    gcc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -Werror -I "$root/bindings/c/include" \
        "$here/driver.c" "$(cargo_target)/release/libiamauth.a" -lpthread -ldl -lm -o "$work/c-driver"
fi
# A build's chatter goes to a log, shown only when it fails.
quiet() { # NAME COMMAND...
    local name="$1"
    shift
    "$@" >"$work/build-$name.log" 2>&1 || { cat "$work/build-$name.log" >&2; return 1; }
}
venv="$work/venv" # kept between runs (maturin in it); the wheel is rebuilt and reinstalled each run
if has python; then
    need_venv
    if [ ! -x "$venv/bin/maturin" ]; then
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check maturin==1.16.0
    fi
    quiet python "$venv/bin/maturin" build --release -m "$root/bindings/python/Cargo.toml" -o "$tmp/wheels" \
        -i "$venv/bin/python"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index --force-reinstall \
        "$tmp"/wheels/pyiamauth-*.whl
fi
for pkg in node wasm; do
    has "$pkg" || continue
    dir="$root/bindings/node"
    [ "$pkg" = wasm ] && dir="$root/wasm"
    need_node
    [ -d "$dir/node_modules" ] || (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    (cd "$dir" && quiet "$pkg" npm run --silent build)
done
if has java; then
    need_jdk
    bash "$root/bindings/java/build.sh" "$work/java" >/dev/null
    javac -d "$work/java/driver" -cp "$work/java/iamauth.jar" "$here/Driver.java"
fi
built=$SECONDS

step "differential: $n cases, seed $seed, signed by botocore"
cases="$work/cases-$seed-$n.tsv"
python3 "$here/cases.py" --n "$n" --seed "$seed" --out "$cases"
signed=$SECONDS
# How many of each kind (rds, dsql, elasticache: botocore; eks: awscli; msk: the MSK signer).
kinds="$(cut -f 2 "$cases" | sort | uniq -c | awk '{printf "%s%s %s", sep, $2, $1; sep=", "}')"
echo "kinds: $kinds"

status=0
results=()
for s in $surfaces; do
    step "differential: $s"
    out="$work/$s.out"
    rc=0
    case "$s" in
        rust) "$(cargo_target)/release/iamauth-differential" <"$cases" >"$out" || rc=$? ;;
        c) "$work/c-driver" <"$cases" >"$out" || rc=$? ;;
        python) "$venv/bin/python" "$here/driver.py" "$cases" >"$out" || rc=$? ;;
        node | wasm) node "$here/driver.cjs" "$s" "$cases" >"$out" || rc=$? ;;
        java) java -Djava.library.path="$work/java" -cp "$work/java/iamauth.jar:$work/java/driver" Driver \
            "$cases" >"$out" || rc=$? ;;
        *) echo "unknown surface $s" >&2; exit 2 ;;
    esac
    tail -1 "$out"
    results+=("$(tail -1 "$out")")
    if [ "$rc" != 0 ]; then
        status=1
        # The first differing case, in full but for its secret, and both tokens.
        first="$(grep -m 1 -E '^(DIFF|VERIFY) ' "$out" || true)"
        echo "$s FAILED (seed $seed, n $n): $first" >&2
        id="$(cut -f 1 <<<"${first#* }")"
        [ -n "$id" ] && python3 - "$cases" "$id" <<'PY' >&2
import sys
names = ["id", "kind", "host", "port", "user", "region", "action", "service", "serverless", "time",
         "expires_in", "access_key_id", "secret_access_key", "session_token", "now", "botocore"]
with open(sys.argv[1], "rb") as f:
    for i, raw in enumerate(f):
        if i == int(sys.argv[2]):
            for k, v in zip(names, raw.rstrip(b"\n").decode().split("\t")):
                print(f"  {k}: {'<redacted>' if k == 'secret_access_key' else repr(v)}")
            break
PY
    fi
done
echo
verdict="all equal to botocore's, each verified by core"
[ "$status" = 0 ] || verdict="FAILED (see above; the cases are in $cases)"
# A million cases are about 1.4 GB: kept only when something failed.
[ "$status" != 0 ] || rm -f "$cases"
echo "differential: $n cases (seed $seed: $kinds) x ${#results[@]} surfaces ($surfaces): $verdict;" \
    "$((SECONDS - started))s (build $((built - started))s, botocore $((signed - built))s, surfaces $((SECONDS - signed))s)"
exit "$status"
