"""`python rds_token.py N`: one warm-up `pyiamauth.rds_token`, then N measured calls, for
callgrind (benches/counts/check.py runs N and 2N and takes the difference). Inputs: the
rds-demo vector's, as bindings/python/bench.py."""

import sys

import pyiamauth

EXPECTED_END = "6162e47cc792ab818ec4732757b05fbe36dadabd428441ab694b2509461768db"


def main():
    n = int(sys.argv[1])
    creds = pyiamauth.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    host = "mydb.123456789012.us-east-1.rds.amazonaws.com"
    token = pyiamauth.rds_token(host, 5432, "iam_user", "us-east-1", creds, time=1704164645)
    if not token.endswith(EXPECTED_END):
        sys.exit("rds_token.py: token differs from the rds-demo vector")
    rds_token = pyiamauth.rds_token
    for _ in range(n):
        rds_token(host, 5432, "iam_user", "us-east-1", creds, time=1704164645)


main()
