#!/usr/bin/env python3
"""Every version a user sees equals the Cargo workspace's, the one place versions live.

    python3 tests/check-versions.py          # exit 1 and one line per difference

Checked: every crate takes `version.workspace = true`; the npm manifests (bindings/node, wasm);
pyproject's version is dynamic (maturin takes Cargo's); the C header's IAMAUTH_VERSION (cbindgen
writes it from Cargo; a stale header shows here); CHANGELOG.md's newest entry.
"""

import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def main():
    table = re.search(r"^\[workspace\.package\]\n(.*?)(?=^\[)", read("Cargo.toml"), re.S | re.M)
    version = re.search(r'^version\s*=\s*"([^"]+)"', table.group(1), re.M).group(1)
    problems = []
    for manifest in sorted(glob.glob(os.path.join(ROOT, "**", "Cargo.toml"), recursive=True)):
        rel = os.path.relpath(manifest, ROOT)
        if rel == "Cargo.toml" or rel.startswith(("target", "dist")) or "node_modules" in rel:
            continue
        if "/target/" in rel:
            continue
        text = read(rel)
        # Test tooling outside the workspace (core/fuzz, tests/differential/rust): its own
        # [workspace], never published, so it has no version a user sees.
        if re.search(r"^\[workspace\]", text, re.M) and re.search(r"^publish\s*=\s*false", text, re.M):
            continue
        if not re.search(r"^version\.workspace\s*=\s*true", text, re.M):
            problems.append(f"{rel}: [package] must say version.workspace = true")
    for rel in ("bindings/node/package.json", "wasm/package.json"):
        got = json.loads(read(rel)).get("version")
        if got != version:
            problems.append(f"{rel}: version {got}, Cargo has {version}")
    if not re.search(r'^dynamic\s*=\s*\[[^\]]*"version"', read("bindings/python/pyproject.toml"), re.M):
        problems.append("bindings/python/pyproject.toml: the version must be dynamic (from Cargo)")
    header = re.search(r'#define IAMAUTH_VERSION "([^"]+)"', read("bindings/c/include/iamauth.h"))
    if not header or header.group(1) != version:
        problems.append(f"bindings/c/include/iamauth.h: IAMAUTH_VERSION {header and header.group(1)}, Cargo has {version}")
    newest = re.search(r"^## \[?([0-9][^\]\s]*)", read("CHANGELOG.md"), re.M)
    if not newest or newest.group(1) != version:
        problems.append(f"CHANGELOG.md: newest entry {newest and newest.group(1)}, Cargo has {version}")
    for p in problems:
        print(f"check-versions: {p}", file=sys.stderr)
    print(f"check-versions: {version} everywhere" if not problems else f"check-versions: {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
