#!/usr/bin/env python3
"""The last step of `make dist`: an SBOM per artifact, dist/SHA256SUMS, and the sizes.

    python3 tests/dist/finish.py [DIST]      (default: dist/)

- dist/sbom/<artifact>.cdx.json: CycloneDX 1.5, what is compiled into that artifact: the Rust
  packages `cargo tree` resolves for the crate it is built from, for its target (proc-macros,
  which run only at build time, left out) (name, version,
  license expression, purl), and the artifact itself with its SHA-256. For a library that handles
  credentials, what is compiled in matters. Deterministic (no random serial number; the
  timestamp is SOURCE_DATE_EPOCH), so two `make dist` runs give the same bytes.
- dist/SHA256SUMS: `sha256sum -c` format, every file under dist/ but itself, sorted.
- the sizes, one line per artifact (docs/packages.md quotes them).
"""

import hashlib
import json
import os
import re
import subprocess
import sys
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Which crate each artifact is built from, and for which Rust targets, by file name.
RULES = [
    (r"^npm/iamauth-linux-(x64|arm64)-(gnu|musl)-.*\.tgz$", ["iamauth-node"]),
    (r"^npm/iamauth-wasm-.*\.tgz$", ["iamauth-wasm"]),
    (r"^npm/iamauth-[0-9].*\.tgz$", []),  # JavaScript only: loads a platform package
    (r"^python/.*\.whl$", ["iamauth-python"]),
    (r"^python/.*\.tar\.gz$", ["iamauth-python"]),  # sdist: the same crates, built by the user
    (r"^java/.*\.jar$", ["iamauth-c"]),  # the JNI glue links the C ABI's static library
    (r"^c/.*\.tar\.gz$", ["iamauth-c", "iamauth-cli", "iamauth-pam"]),
]
ARCH = {"x64": "x86_64", "x86_64": "x86_64", "amd64": "x86_64", "arm64": "aarch64", "aarch64": "aarch64"}


def targets_of(rel):
    """The Rust target triples an artifact holds code for (by its name; jar and sdist: both)."""
    if "wasm" in rel:
        return ["wasm32-unknown-unknown"]
    libc = "musl" if "musl" in rel else "gnu"
    found = sorted({ARCH[a] for a in re.findall(r"x64|x86_64|amd64|arm64|aarch64", rel)})
    arches = found or ["x86_64", "aarch64"]
    return [f"{a}-unknown-linux-{libc}" for a in arches]


def cargo_packages(crates, target):
    """(name, version, license) of every package compiled into `crates` for `target`."""
    out = set()
    for crate in crates:
        text = subprocess.run(
            ["cargo", "tree", "--quiet", "-p", crate, "-e", "normal,no-proc-macro", "--target", target,
             "--prefix", "none", "--format", "{p}|{l}"],
            cwd=ROOT, check=True, capture_output=True, text=True).stdout
        for line in text.splitlines():
            # `name vX.Y.Z [(path)]|license [(*)]`; (*) marks a package cargo tree showed before.
            m = re.match(r"(\S+) v(\S+)(?: \([^)]*\))?\|(.*?)(?: \(\*\))?$", line.strip())
            if m:
                out.add((m.group(1), m.group(2), m.group(3).strip()))
    return sorted(out)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sbom(rel, digest, packages, epoch):
    """A CycloneDX 1.5 document for the artifact `rel`."""
    components = [{
        "type": "library",
        "bom-ref": f"pkg:cargo/{name}@{version}",
        "name": name,
        "version": version,
        "purl": f"pkg:cargo/{name}@{version}",
        **({"licenses": [{"expression": lic}]} if lic else {}),
    } for name, version, lic in packages]
    body = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch)),
            "component": {
                "type": "library",
                "bom-ref": os.path.basename(rel),
                "name": os.path.basename(rel),
                "hashes": [{"alg": "SHA-256", "content": digest}],
                "licenses": [{"expression": "MIT OR Apache-2.0"}],
            },
        },
        "components": components,
    }
    # A serial number derived from the content, so the same artifact gives the same document.
    serial = uuid.uuid5(uuid.NAMESPACE_URL, "iamauth-sbom:" + digest + json.dumps(components))
    return {"bomFormat": body.pop("bomFormat"), "specVersion": body.pop("specVersion"),
            "serialNumber": f"urn:uuid:{serial}", **body}


def main():
    dist = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "dist"))
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True).stdout)
    artifacts = []
    for top, dirs, files in os.walk(dist):
        dirs.sort()
        for f in sorted(files):
            rel = os.path.relpath(os.path.join(top, f), dist)
            if rel != "SHA256SUMS" and not rel.startswith("sbom/"):
                artifacts.append(rel)
    if not artifacts:
        print(f"finish: nothing in {dist}", file=sys.stderr)
        return 1
    os.makedirs(os.path.join(dist, "sbom"), exist_ok=True)
    for rel in artifacts:
        rule = next((crates for pattern, crates in RULES if re.match(pattern, rel)), None)
        if rule is None:
            print(f"finish: {rel}: no SBOM rule (what is it built from?)", file=sys.stderr)
            return 1
        packages = sorted({p for t in targets_of(rel) for p in cargo_packages(rule, t)}) if rule else []
        doc = sbom(rel, sha256(os.path.join(dist, rel)), packages, epoch)
        out = os.path.join(dist, "sbom", os.path.basename(rel) + ".cdx.json")
        with open(out, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2, sort_keys=False)
            f.write("\n")
    every = sorted(artifacts + ["sbom/" + f for f in os.listdir(os.path.join(dist, "sbom"))])
    with open(os.path.join(dist, "SHA256SUMS"), "w", encoding="utf-8") as f:
        for rel in every:
            f.write(f"{sha256(os.path.join(dist, rel))}  {rel}\n")
    width = max(len(r) for r in artifacts)
    for rel in artifacts:
        size = os.path.getsize(os.path.join(dist, rel))
        print(f"{rel.ljust(width)}  {size:>9,} B  ({size / 1024:.1f} KiB)")
    print(f"finish: {len(artifacts)} artifacts, {len(artifacts)} SBOMs, dist/SHA256SUMS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
