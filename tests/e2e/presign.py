"""An RDS IAM token with any X-Amz-Expires, from the standard library alone.

The iamauth signers refuse X-Amz-Expires above 900 (as botocore's callers cannot make one), so the
e2e suite makes its over-long token here, in botocore's layout (tests/vectors/tokens.json rds-demo):
GET / presigned with only host signed. Used with 900 first: the server must accept that one, so
that refusing 901 can only mean EXPIRES_TOO_LONG.

    python3 presign.py HOST PORT USER REGION EXPIRES [UNIX-TIME]   (keys from AWS_ACCESS_KEY_ID / _SECRET_)
"""
import hashlib
import hmac
import os
import sys
import time
from urllib.parse import quote


def enc(s):
    return quote(s, safe="-_.~")


def hmac256(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def rds_token(host, port, user, region, expires, akid, secret, now):
    amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
    scope = f"{amz_date[:8]}/{region}/rds-db/aws4_request"
    params = [("Action", "connect"), ("DBUser", user), ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
              ("X-Amz-Credential", f"{akid}/{scope}"), ("X-Amz-Date", amz_date),
              ("X-Amz-Expires", str(expires)), ("X-Amz-SignedHeaders", "host")]
    query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params))
    # Canonical request, string to sign, signing key, signature (SigV4's steps).
    canonical = "\n".join(["GET", "/", query, f"host:{host.lower()}:{port}", "", "host",
                           hashlib.sha256(b"").hexdigest()])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret).encode()
    for part in (amz_date[:8], region, "rds-db", "aws4_request"):
        key = hmac256(key, part)
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"{host}:{port}/?{query}&X-Amz-Signature={signature}"


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        # The rds-demo vector: botocore's own token for these inputs.
        t = rds_token("mydb.123456789012.us-east-1.rds.amazonaws.com", 5432, "iam_user", "us-east-1",
                      900, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", 1704164645)
        assert t.endswith("X-Amz-Signature=6162e47cc792ab818ec4732757b05fbe36dadabd428441ab694b2509461768db"), t
        print("ok")
        sys.exit(0)
    host, port, user, region, expires = sys.argv[1:6]
    now = int(sys.argv[6]) if len(sys.argv) > 6 else int(time.time())
    print(rds_token(host, int(port), user, region, int(expires), os.environ["AWS_ACCESS_KEY_ID"],
                    os.environ["AWS_SECRET_ACCESS_KEY"], now))
