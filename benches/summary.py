#!/usr/bin/env python3
"""Prints the medians of the last `cargo bench -p iamauth-benches` run (criterion's own
estimates, target/criterion/*/new/estimates.json) as one table with ratios to the hash floor."""

import glob
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "criterion")


def medians():
    out = {}
    for path in glob.glob(os.path.join(ROOT, "**", "new", "estimates.json"), recursive=True):
        with open(path) as f:
            m = json.load(f)["median"]
        name = os.path.relpath(os.path.dirname(os.path.dirname(path)), ROOT)
        out[name] = (m["point_estimate"], m["confidence_interval"]["lower_bound"], m["confidence_interval"]["upper_bound"])
    return out


def main():
    found = medians()
    if not found:
        raise SystemExit("no criterion results: run cargo bench -p iamauth-benches first")
    floor = found.get("floor_hash_only_rds_warm", (None,))[0]
    print(f"{'benchmark':45} {'median':>10} {'95% CI':>22} {'x floor':>8}")
    for name, (median, lo, hi) in sorted(found.items()):
        ratio = f"{median / floor:8.2f}" if floor else ""
        print(f"{name:45} {median:8.0f} ns [{lo:8.0f}, {hi:8.0f}] ns {ratio}")
    sigv4 = found.get("peers/aws_sigv4_rds_token")
    ours = found.get("peers/iamauth_rds_token_warm")
    if sigv4 and ours:
        print(f"aws-sigv4 / iamauth (warm RDS token, same run): {sigv4[0] / ours[0]:.1f}x")


if __name__ == "__main__":
    main()
