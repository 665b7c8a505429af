#!/usr/bin/env python3
"""Times a warm `pyiamauth.rds_token` beside the core making the same token in a Rust loop inside
the same module (`_native._bench_core_rds_token`, built with the `bench` feature) and beside
botocore's `generate_db_auth_token`, all in one process, interleaved: about 31 rounds, each a
batch of every case (a batch is about 2 ms), so drift hits them alike. Inputs: the `rds-demo`
vector of tests/vectors/tokens.json (the core benchmark's).

    bindings/python/test.sh --bench     # builds (with the feature), runs this, then the tests

or, in a venv with that wheel and botocore==1.44.8 installed: `python bindings/python/bench.py`.
Prints medians per token and writes target/bench/python.json ($IAMAUTH_BENCH_DIR overrides the
directory; docs/benchmarks.md has the format). Exits non-zero if a token is wrong.
"""

import datetime
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

import botocore
import botocore.auth
import botocore.session

import pyiamauth
from pyiamauth import _native

BOTOCORE = "1.44.8"  # the botocore the vectors come from (tests/vectors/botocore_venv.py)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "31"))
BATCH_NS = 2_000_000  # about 2 ms a batch
TARGET_PLUS_NS = 700  # issue 15: Python at most +0.7 us over the core

HOST = "mydb.123456789012.us-east-1.rds.amazonaws.com"
PORT = 5432
USER = "iam_user"
REGION = "us-east-1"
AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TIME = 1704164645  # 2024-01-02T03:04:05Z
ROOT = Path(__file__).resolve().parents[2]


def batch_size(fn):
    """Calls per batch of about BATCH_NS: the largest of three short timings' estimates (one
    pause in a timing would make the batch far too small)."""
    best = 1
    for _ in range(3):
        n = 1
        while True:
            t0 = time.perf_counter_ns()
            fn(n)
            dt = time.perf_counter_ns() - t0
            if dt > BATCH_NS // 10 or n >= 1 << 20:
                best = max(best, BATCH_NS * n // max(dt, 1))
                break
            n *= 4
    return best


def stats(xs):
    s = sorted(xs)
    q = statistics.quantiles(s, n=10, method="inclusive")
    return {"ns": round(statistics.median(s), 1), "p10": round(q[0], 1), "p90": round(q[-1], 1)}


def main():
    if botocore.__version__ != BOTOCORE:
        sys.exit(f"expected botocore {BOTOCORE}, found {botocore.__version__}")
    core_loop = getattr(_native, "_bench_core_rds_token", None)
    creds = pyiamauth.Credentials(AKID, SECRET)
    rds_token = pyiamauth.rds_token

    def ours(n):
        for _ in range(n):
            rds_token(HOST, PORT, USER, REGION, creds, time=TIME)

    def core(n):
        core_loop(HOST, PORT, USER, REGION, creds, TIME, n)

    # Client creation is per process, not per token: outside the timed call.
    rds = botocore.session.get_session().create_client(
        "rds", region_name=REGION, aws_access_key_id=AKID, aws_secret_access_key=SECRET
    )

    def theirs(n):
        for _ in range(n):
            rds.generate_db_auth_token(DBHostname=HOST, Port=PORT, DBUsername=USER, Region=REGION)

    # botocore reads "now" through this function; naive UTC, as it returns it.
    frozen = datetime.datetime.fromtimestamp(TIME, datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: frozen):
        expected = rds.generate_db_auth_token(DBHostname=HOST, Port=PORT, DBUsername=USER, Region=REGION)
        token = rds_token(HOST, PORT, USER, REGION, creds, time=TIME)
        # Not `assert`: `python -O` would drop it and time something unchecked.
        if token != expected:
            sys.exit(f"pyiamauth and botocore made different tokens:\n{token}\n{expected}")
        cases = [("python.rds_token", ours)]
        if core_loop is not None:
            if core_loop(HOST, PORT, USER, REGION, creds, TIME, 1000) != 1000 * len(expected):
                sys.exit("the core's loop made tokens of another length")
            cases.append(("python.core", core))
        cases.append(("python.botocore", theirs))
        for _, fn in cases:  # warm-up
            fn(batch_size(fn))
        sizes = {name: batch_size(fn) for name, fn in cases}
        per = {name: [] for name, _ in cases}
        for _ in range(ROUNDS):
            for name, fn in cases:
                n = sizes[name]
                t0 = time.perf_counter_ns()
                fn(n)
                per[name].append((time.perf_counter_ns() - t0) / n)

    s = {name: stats(xs) for name, xs in per.items()}
    ours_ns, boto_ns = s["python.rds_token"]["ns"], s["python.botocore"]["ns"]
    print(f"pyiamauth.rds_token (warm):         median {ours_ns / 1000:8.3f} us per token "
          f"(p10 {s['python.rds_token']['p10'] / 1000:.3f}, p90 {s['python.rds_token']['p90'] / 1000:.3f}; "
          f"{ROUNDS} rounds x {sizes['python.rds_token']})")
    notes = [f"{ROUNDS} interleaved rounds; calls per batch: "
             + ", ".join(f"{name} {n}" for name, n in sizes.items())]
    results = []
    if core_loop is not None:
        core_ns = s["python.core"]["ns"]
        diffs = [a - b for a, b in zip(per["python.rds_token"], per["python.core"])]
        d = stats(diffs)
        overhead = ours_ns - core_ns
        print(f"core rds_token, Rust loop (same module): median {core_ns / 1000:8.3f} us per token")
        print(f"binding overhead: {overhead:+.0f} ns (medians; per-round differences: median "
              f"{d['ns']:+.0f}, p10 {d['p10']:+.0f}, p90 {d['p90']:+.0f}); target +{TARGET_PLUS_NS} ns: "
              f"{'MET' if overhead <= TARGET_PLUS_NS else 'NOT MET'}")
        notes.append(f"overhead {overhead:+.0f} ns (binding median - core median; per-round "
                     f"differences: median {d['ns']:+.0f}, p10 {d['p10']:+.0f}, p90 {d['p90']:+.0f})")
        results.append({"id": "python.core", "group": "python",
                        "label": "core rds_token, Rust loop in the same module (warm)",
                        "kind": "core", **s["python.core"]})
    else:
        notes.append("the module was built without the `bench` feature: no core loop, no overhead")
    print(f"botocore generate_db_auth_token:    median {boto_ns / 1000:8.3f} us per token")
    print(f"ratio: botocore / pyiamauth = {boto_ns / ours_ns:.1f}x")
    ours_row = {"id": "python.rds_token", "group": "python", "label": "pyiamauth.rds_token (warm)",
                "kind": "ours", **s["python.rds_token"]}
    if core_loop is not None:
        ours_row.update(vs="python.core", target={"plus_ns": TARGET_PLUS_NS})
    results.append(ours_row)
    results.append({"id": "python.botocore", "group": "python",
                    "label": f"botocore {botocore.__version__} generate_db_auth_token",
                    "kind": "peer", **s["python.botocore"], "vs": "python.rds_token"})
    notes.append(f"botocore / pyiamauth = {boto_ns / ours_ns:.1f}x (same process)")
    out = {
        "harness": "python",
        "command": "bash bindings/python/test.sh --bench",
        "when": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "env": {"python": platform.python_version(), "botocore": botocore.__version__,
                "pyiamauth": pyiamauth.__version__},
        "results": results,
        "notes": notes,
    }
    directory = Path(os.environ.get("IAMAUTH_BENCH_DIR") or ROOT / "target" / "bench")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "python.json"
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
