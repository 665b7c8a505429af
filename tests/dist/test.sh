#!/usr/bin/env bash
# `make test-dist` / `make test-dist-all`: every artifact in dist/ installed as a user installs it,
# with no Rust toolchain on PATH, and run through its binding's suite.
#   bash tests/dist/test.sh          x86_64 glibc: the C tarball, the wheel, the npm packages, the jar
#   bash tests/dist/test.sh --all    the whole matrix: aarch64 under qemu, musl, the sdist
# Also: dist/SHA256SUMS verifies, and no .so / .node needs a glibc newer than 2.17.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
[ -f dist/SHA256SUMS ] || { echo "test-dist: no dist/SHA256SUMS; run make dist first" >&2; exit 2; }
start=$SECONDS
results=()
check() { # NAME CMD...: runs it, records pass/fail
    local name=$1 rc=0
    shift
    printf '\n== test-dist: %s (%ds)\n' "$name" $((SECONDS - start))
    "$@" || rc=$?
    if [ $rc = 0 ]; then results+=("ok     $name"); else results+=("FAILED $name (exit $rc)"); fi
}
check "SHA256SUMS" bash -c 'cd dist && sha256sum --quiet -c SHA256SUMS'
glibc_floor() { # every ELF .so / .node inside every artifact
    local tmp rc=0 f
    tmp="$(mktemp -d)"
    for f in dist/c/*gnu*.tar.gz; do mkdir -p "$tmp/c" && tar -xzf "$f" -C "$tmp/c"; done
    for f in dist/python/*.whl; do mkdir -p "$tmp/py/$(basename "$f")" && python3 -m zipfile -e "$f" "$tmp/py/$(basename "$f")"; done
    for f in dist/npm/iamauth-linux-*-gnu-*.tgz; do mkdir -p "$tmp/npm/$(basename "$f")" && tar -xzf "$f" -C "$tmp/npm/$(basename "$f")"; done
    for f in dist/java/*.jar; do mkdir -p "$tmp/jar" && python3 -m zipfile -e "$f" "$tmp/jar"; done
    mapfile -t elfs < <(find "$tmp" -type f \( -name '*.so' -o -name '*.so.*' -o -name '*.node' \) | sort)
    bash tests/dist/glibc-floor.sh "${elfs[@]}" || rc=$?
    rm -rf "$tmp"
    return $rc
}
check "glibc floor 2.17" glibc_floor
for family in c python npm java; do
    check "$family" bash "tests/dist/test-$family.sh" "$@"
done
printf '\n== test-dist summary (%ds)\n' $((SECONDS - start))
printf '%s\n' "${results[@]}"
failed=$(printf '%s\n' "${results[@]}" | grep -c '^FAILED' || true)
echo "test-dist$([ "${1:-}" = --all ] && echo "-all"): $(( ${#results[@]} - failed )) passed, $failed failed"
[ "$failed" = 0 ]
