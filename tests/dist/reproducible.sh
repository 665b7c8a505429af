#!/usr/bin/env bash
# `make dist-reproducible`: two `make dist` runs give byte-identical artifacts. The second runs in
# a fresh clone of HEAD at another path, with a cold build directory, so neither the checkout's
# path nor a warm cache can hide a difference. Prints each artifact that differs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# The second build is of HEAD: uncommitted changes would show up as differences.
if [ -n "$(git status --porcelain)" ]; then
    echo "dist-reproducible: commit first (the second build clones HEAD)" >&2
    exit 2
fi
bash tests/dist/dist.sh >/dev/null
other="$(mktemp -d /tmp/iamauth-repro.XXXXXX)"
trap 'rm -rf "$other"' EXIT
git clone --quiet "$root" "$other/elsewhere/iamauth"
[ -d "$root/../shared" ] && ln -s "$(cd "$root/../shared" && pwd)" "$other/elsewhere/shared"
(cd "$other/elsewhere/iamauth" && bash tests/dist/dist.sh >/dev/null)
a="$root/dist/SHA256SUMS" b="$other/elsewhere/iamauth/dist/SHA256SUMS"
if cmp -s "$a" "$b"; then
    echo "reproducible: all $(wc -l <"$a") files of dist/ are byte-identical across two builds (two paths, cold and warm)"
    exit 0
fi
echo "reproducible: these differ between the two builds:"
diff <(awk '{print $2, $1}' "$a") <(awk '{print $2, $1}' "$b") | sed -n 's/^< /  /p' | awk '{print "  " $1}'
exit 1
