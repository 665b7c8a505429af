#!/usr/bin/env python3
"""Times botocore's generate_db_auth_token for the inputs of benches/peers.rs (the `rds-demo`
vector), so docs can set it beside the criterion numbers of the same machine.

    python3 benches/botocore_bench.py   # creates and removes a venv with botocore (pinned)

Prints one line: the median of several timeit repeats, in microseconds per token.
"""

import datetime
import json
import os
import statistics
import sys
import timeit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The botocore the vectors come from (one pin, in tests/vectors/botocore_venv.py).
sys.path.insert(0, os.path.join(ROOT, "tests", "vectors"))
import botocore_venv  # noqa: E402

REPEATS = 7


def rds_demo():
    with open(os.path.join(ROOT, "tests", "vectors", "tokens.json"), encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    return next(c for c in cases if c["id"] == "rds-demo")


def main():
    from unittest import mock

    import botocore.auth
    import botocore.session

    case = rds_demo()
    given = case["input"]
    # botocore reads "now" through this function; naive UTC, as it returns it.
    frozen = datetime.datetime.fromtimestamp(given["time"], datetime.timezone.utc).replace(tzinfo=None)
    # Client creation is per process, not per token: outside the timed call.
    rds = botocore.session.get_session().create_client(
        "rds",
        region_name=given["region"],
        aws_access_key_id=given["access_key_id"],
        aws_secret_access_key=given["secret_access_key"],
    )

    def token():
        return rds.generate_db_auth_token(
            DBHostname=given["host"], Port=given["port"], DBUsername=given["user"], Region=given["region"]
        )

    with mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: frozen):
        got = token()
        # Not `assert`: `python3 -O` would drop it and time something unchecked.
        if got != case["expected"]["token"]:
            sys.exit(f"botocore made another token than the rds-demo vector:\n{got}")
        timer = timeit.Timer(token)
        loops, _ = timer.autorange()
        times = timer.repeat(repeat=REPEATS, number=loops)
    median_us = statistics.median(times) / loops * 1e6
    print(f"botocore generate_db_auth_token: median {median_us:.1f} us per token ({REPEATS} repeats x {loops} loops)")


if __name__ == "__main__":
    botocore_venv.ensure(__file__)
    main()
