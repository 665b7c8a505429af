"""Maps a vector's JSON input onto the Python API (one place, used by every test)."""

import pyiamauth

# The Python API spells the DSQL action as a flag.
DSQL_ADMIN = {"DbConnect": False, "DbConnectAdmin": True}


def make_token(case, credentials):
    """The token the Python API makes for `case` with `credentials` (any accepted form)."""
    i = case["input"]
    kind = case["kind"]
    if kind == "rds":
        return pyiamauth.rds_token(
            i["host"], i["port"], i["user"], i["region"], credentials,
            expires_in=i["expires_in"], time=i["time"],
        )
    if kind == "dsql":
        return pyiamauth.dsql_token(
            i["host"], i["region"], credentials,
            admin=DSQL_ADMIN[i["action"]], expires_in=i["expires_in"], time=i["time"],
        )
    if kind == "elasticache":
        return pyiamauth.elasticache_token(
            i["name"], i["user"], i["region"], credentials,
            serverless=i["serverless"], service=i["service"],
            expires_in=i["expires_in"], time=i["time"],
        )
    raise AssertionError(f"unknown kind {kind!r}")


def make_eks_token(case, credentials, exec_credential=False):
    """eks.json's `case` through `pyiamauth.eks_token` (or `eks_exec_credential`)."""
    i = case["input"]
    sign = pyiamauth.eks_exec_credential if exec_credential else pyiamauth.eks_token
    return sign(i["cluster"], i["region"], credentials, sts_endpoint=i["sts_endpoint"],
                time=i["time"])


def make_msk_token(case, credentials):
    """msk.json's `case` through `pyiamauth.msk_token`: (token, expiry_ms)."""
    i = case["input"]
    return pyiamauth.msk_token(i["region"], credentials, time=i["time"],
                               expires_in=i["expires_in"], user_agent=i["user_agent"])


def ours(case):
    i = case["input"]
    return pyiamauth.Credentials(i["access_key_id"], i["secret_access_key"], i["session_token"])


def botocore_creds(case):
    import botocore.credentials

    i = case["input"]
    return botocore.credentials.Credentials(
        i["access_key_id"], i["secret_access_key"], i["session_token"]
    )
