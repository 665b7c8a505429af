#!/usr/bin/env bash
# Regenerates include/iamauth.h with the pinned cbindgen (feature `header`, see build.rs) into a
# temporary file and diffs it against the committed header; fails on any difference.
#   ./check-header.sh           verify (CI)
#   ./check-header.sh --write   regenerate the committed header after an API change
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

( cd "$root" && IAMAUTH_HEADER_OUT="$tmp/iamauth.h" cargo build --quiet -p iamauth-c --features header )
if [ ! -s "$tmp/iamauth.h" ]; then
    echo "check-header: cbindgen wrote no header" >&2
    exit 1
fi
if [ "${1:-}" = "--write" ]; then
    cp "$tmp/iamauth.h" "$here/include/iamauth.h"
    echo "check-header: wrote include/iamauth.h"
    exit 0
fi
if ! diff -u "$here/include/iamauth.h" "$tmp/iamauth.h"; then
    echo "check-header: include/iamauth.h is stale; run bindings/c/check-header.sh --write" >&2
    exit 1
fi
echo "check-header: include/iamauth.h is up to date"
