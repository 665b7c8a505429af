#!/usr/bin/env bash
# What an attempt costs the PAM module with a 10,000-key keys file against a one-key file, each
# attempt in a new process as PostgreSQL pays it (bench_pam.c: fork, pam_start_confdir, which
# dlopens the module, pam_authenticate, pam_end), for a malformed token (refused before the keys
# file is opened) and a well-formed valid one (the whole file read and checked, one key kept).
# Also the floor: the same process with pam_permit.so alone. Medians; results in
# docs/benchmarks.md. A benchmark, not a test: nothing here fails on a slow machine.
#
#   bash bindings/pam/bench/bench.sh [N]      (N attempts per case, default 2000, interleaved)
#
# Issue 12's targets: a malformed token adds at most 0.2 ms per attempt with 10,000 keys over
# one key, a well-formed one at most 2 ms.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"
. "$root/tests/need.sh"
need_apt libpam0g-dev gcc
n=${1:-2000}

cargo build --quiet --release -p iamauth-pam -p iamauth-cli
target=$(cargo_target)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$target/release/libpam_iamauth.so" "$tmp/pam_iamauth.so"
cli="$target/release/iamauth"
gcc -std=c11 -O2 -Wall -Wextra -Werror -o "$tmp/bench_pam" "$here/bench_pam.c" -lpam

akid=AKIDEXAMPLE
secret='wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
# 10,000 keys (20-character ids, 40-character secrets, as AWS's), the signing key among them
# (in the middle, so neither end of the file is favoured); and the same key alone.
python3 - "$tmp" "$akid" "$secret" <<'PY'
import json, sys, random
tmp, akid, secret = sys.argv[1:]
rng = random.Random(12)
alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
keys = {}
while len(keys) < 9_999:
    kid = "AKIA" + "".join(rng.choice(alphabet) for _ in range(16))
    keys[kid] = {"secret_access_key": "".join(rng.choice(alphabet + "abcdefghijklmnopqrstuvwxyz/+") for _ in range(40))}
items = list(keys.items())
items.insert(5_000, (akid, {"secret_access_key": secret}))
with open(f"{tmp}/keys-10000.json", "w") as f:
    f.write("{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in items) + "\n}\n")
with open(f"{tmp}/keys-1.json", "w") as f:
    json.dump({akid: {"secret_access_key": secret}}, f)
PY
chmod 600 "$tmp"/keys-*.json

host=db.example.com
port=5432
region=us-east-1
mkdir "$tmp/pam.d"
for k in 1 10000; do
    printf 'auth required %s keys=%s host=%s port=%s region=%s\naccount required pam_permit.so\n' \
        "$tmp/pam_iamauth.so" "$tmp/keys-$k.json" "$host" "$port" "$region" >"$tmp/pam.d/keys-$k"
done
printf 'auth required pam_permit.so\naccount required pam_permit.so\n' >"$tmp/pam.d/floor"

env -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID=$akid AWS_SECRET_ACCESS_KEY=$secret \
    "$cli" rds --host "$host" --port "$port" --user app --region "$region" | tr -d '\n' >"$tmp/valid"
head -c 1500 /dev/urandom | base64 -w0 >"$tmp/malformed"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "keys files: $(wc -c <"$tmp/keys-1.json") and $(wc -c <"$tmp/keys-10000.json") bytes; $n attempts per case"
"$tmp/bench_pam" "$tmp/pam.d" app "$n" \
    floor:floor:"$tmp/valid":ok \
    malformed-1key:keys-1:"$tmp/malformed":auth_err \
    malformed-10000keys:keys-10000:"$tmp/malformed":auth_err \
    valid-1key:keys-1:"$tmp/valid":ok \
    valid-10000keys:keys-10000:"$tmp/valid":ok | tee "$tmp/out"

median() { grep "^$1 " "$tmp/out" | sed "s/.* $2=\\([0-9.]*\\).*/\\1/"; }
echo "load average before/after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$(median malformed-1key median_us)" "$(median malformed-10000keys median_us)" \
    "$(median valid-1key median_us)" "$(median valid-10000keys median_us)" \
    "$(median malformed-1key cpu_median_us)" "$(median malformed-10000keys cpu_median_us)" \
    "$(median valid-1key cpu_median_us)" "$(median valid-10000keys cpu_median_us)" <<'PY'
import sys
m1, m10k, v1, v10k, cm1, cm10k, cv1, cv10k = map(float, sys.argv[1:])
print(f"malformed token: 10,000 keys adds {(m10k - m1) / 1000:+.3f} ms wall, {(cm10k - cm1) / 1000:+.3f} ms CPU over one key (target <= 0.2 ms)")
print(f"valid token:     10,000 keys adds {(v10k - v1) / 1000:+.3f} ms wall, {(cv10k - cv1) / 1000:+.3f} ms CPU over one key (target <= 2 ms)")
PY
