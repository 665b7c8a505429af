#!/usr/bin/env python3
"""Times a warm `pyiamauth.rds_token` against botocore's `generate_db_auth_token`, in one process,
for the core's benchmark inputs (the `rds-demo` vector of tests/vectors/tokens.json).

    bindings/python/test.sh --bench     # builds, runs this in the test venv, then the tests

or, in a venv with the wheel and botocore==1.44.8 installed: `python bindings/python/bench.py`.
Prints the median of several timeit repeats in microseconds per token, and the ratio.
"""

import datetime
import statistics
import sys
import timeit
from unittest import mock

import botocore
import botocore.auth
import botocore.session

import pyiamauth

REPEATS = 7
BOTOCORE = "1.44.8"  # the botocore the vectors come from (tests/vectors/botocore_venv.py)

HOST = "mydb.123456789012.us-east-1.rds.amazonaws.com"
PORT = 5432
USER = "iam_user"
REGION = "us-east-1"
AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TIME = 1704164645  # 2024-01-02T03:04:05Z


def median_us(fn):
    timer = timeit.Timer(fn)
    loops, _ = timer.autorange()
    times = timer.repeat(repeat=REPEATS, number=loops)
    return statistics.median(times) / loops * 1e6, loops


def main():
    if botocore.__version__ != BOTOCORE:
        sys.exit(f"expected botocore {BOTOCORE}, found {botocore.__version__}")
    creds = pyiamauth.Credentials(AKID, SECRET)

    def ours():
        return pyiamauth.rds_token(HOST, PORT, USER, REGION, creds, time=TIME)

    # Client creation is per process, not per token: outside the timed call (as in
    # benches/botocore_bench.py).
    rds = botocore.session.get_session().create_client(
        "rds", region_name=REGION, aws_access_key_id=AKID, aws_secret_access_key=SECRET
    )

    def theirs():
        return rds.generate_db_auth_token(DBHostname=HOST, Port=PORT, DBUsername=USER, Region=REGION)

    # botocore reads "now" through this function; naive UTC, as it returns it.
    frozen = datetime.datetime.fromtimestamp(TIME, datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: frozen):
        expected = theirs()
        # Not `assert`: `python -O` would drop it and time something unchecked.
        if ours() != expected:
            sys.exit(f"pyiamauth and botocore made different tokens:\n{ours()}\n{expected}")
        ours_us, ours_loops = median_us(ours)
        theirs_us, theirs_loops = median_us(theirs)

    print(f"pyiamauth.rds_token (warm):       median {ours_us:8.2f} us per token "
          f"({REPEATS} repeats x {ours_loops} loops)")
    print(f"botocore generate_db_auth_token:  median {theirs_us:8.2f} us per token "
          f"({REPEATS} repeats x {theirs_loops} loops)")
    print(f"ratio: botocore / pyiamauth = {theirs_us / ours_us:.1f}x")


if __name__ == "__main__":
    main()
