"""pyiamauth.verify: every vector token verifies (with each form of keys), and each check refuses
with its own code."""

import json

import pytest

import pyiamauth
from conftest import TOKEN_CASES

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
HOST = "mydb.123456789012.us-east-1.rds.amazonaws.com"
T0 = 1704164645
CREDS = pyiamauth.Credentials(AKID, SECRET)
TOKEN = pyiamauth.rds_token(HOST, 5432, "iam_user", "us-east-1", CREDS, time=T0)
EXPECT = dict(host=HOST, port=5432, user="iam_user", region="us-east-1")


def service(case):
    return {"rds": "rds-db", "dsql": "dsql"}.get(case["kind"]) or case["input"]["service"]


def grants(case):
    i = case["input"]
    if case["kind"] == "rds":
        return dict(host=i["host"], port=i["port"], user=i["user"])
    if case["kind"] == "dsql":
        return dict(host=i["host"])
    return dict(host=i["name"], user=i["user"])


def key_forms(i):
    creds = pyiamauth.Credentials(i["access_key_id"], i["secret_access_key"], i["session_token"])
    entry = {"secret_access_key": i["secret_access_key"], "session_token": i["session_token"]}
    return {
        "credentials": creds,
        "mapping": {i["access_key_id"]: creds},
        "callable": lambda akid: creds if akid == i["access_key_id"] else None,
        "keys-file text": json.dumps({i["access_key_id"]: entry}),
    }


@pytest.mark.parametrize("form", ["credentials", "mapping", "callable", "keys-file text"])
@pytest.mark.parametrize("case", TOKEN_CASES, ids=[c["id"] for c in TOKEN_CASES])
def test_every_vector_verifies(case, form):
    i = case["input"]
    who = pyiamauth.verify(
        case["expected"]["token"], key_forms(i)[form], region=i["region"],
        service=service(case), now=i["time"], **grants(case),
    )
    assert (who.kind, who.access_key_id, who.region, who.service) == (
        case["kind"], i["access_key_id"], i["region"], service(case))
    assert (who.signed_at, who.expires_at) == (i["time"], i["time"] + i["expires_in"])
    assert who.user == i.get("user")
    assert "Identity(kind=" in repr(who) and SECRET not in repr(who)


def code(token=TOKEN, keys=CREDS, **kw):
    args = {**EXPECT, "now": T0, **kw}
    try:
        pyiamauth.verify(token, keys, **args)
    except pyiamauth.IamAuthError as e:
        assert SECRET not in str(e) and token not in str(e)
        return e.code
    return "OK"


def test_each_check_has_its_code():
    assert code() == "OK"
    assert code(now=T0 + 899) == "OK"
    assert code(now=T0 + 900) == "EXPIRED_TOKEN"
    assert code(now=T0 - 300) == "OK"
    assert code(now=T0 - 301) == "NOT_YET_VALID"
    assert code(now=T0 - 1, skew=0) == "NOT_YET_VALID"
    assert code(keys={}) == "UNKNOWN_ACCESS_KEY"
    assert code(keys=lambda akid: None) == "UNKNOWN_ACCESS_KEY"
    assert code(keys=pyiamauth.Credentials("AKIDOTHER", SECRET)) == "UNKNOWN_ACCESS_KEY"
    assert code(keys=pyiamauth.Credentials(AKID, SECRET[:-1] + "Z")) == "SIGNATURE_MISMATCH"
    sig = TOKEN.index("X-Amz-Signature=") + 16
    flipped = TOKEN[:sig] + ("1" if TOKEN[sig] == "0" else "0") + TOKEN[sig + 1:]
    assert code(flipped) == "SIGNATURE_MISMATCH"
    assert code(TOKEN.replace("DBUser=iam_user", "DBUser=admin"), user="admin") == "SIGNATURE_MISMATCH"
    assert code(host="other.example.com") == "WRONG_HOST"
    assert code(host=HOST.upper()) == "OK"
    assert code(port=3306) == "WRONG_PORT"
    assert code(user="someone") == "WRONG_USER"
    assert code(region="eu-west-1") == "WRONG_REGION"
    assert code(service="dsql") == "WRONG_SERVICE"
    with_session = pyiamauth.Credentials(AKID, SECRET, "FwoGZXIvYXdzEXAMPLE")
    assert code(keys=with_session) == "SESSION_TOKEN_MISMATCH"
    session_token = pyiamauth.rds_token(HOST, 5432, "iam_user", "us-east-1", with_session, time=T0)
    assert code(session_token, keys=with_session) == "OK"
    assert code(session_token, keys=CREDS) == "SESSION_TOKEN_MISMATCH"
    assert code("not a token") == "MALFORMED_TOKEN"
    # Inputs checked by the core's rules first.
    assert code(port=0) == "INVALID_PORT"
    assert code(skew=-1) == "INVALID_TIME"
    assert code(skew=10**30) == "INVALID_TIME"
    assert code(now=-1) == "INVALID_TIME"
    assert code(keys="{not json") == "INVALID_CREDENTIALS"


def test_wrong_types():
    with pytest.raises(TypeError):
        pyiamauth.verify(TOKEN, 42)
    with pytest.raises(TypeError):
        pyiamauth.verify(TOKEN, CREDS, port="5432")
    with pytest.raises(TypeError):
        pyiamauth.verify(TOKEN, CREDS, skew=1.5)
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.verify("\ud800", CREDS)
    assert e.value.code == "INVALID_UTF8"
