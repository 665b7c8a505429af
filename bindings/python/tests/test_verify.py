"""pyiamauth.verify: every vector token verifies (with each form of keys); the Python key forms
and values. Each check's refusal code: test_verify_vectors.py (tests/vectors/verify.json)."""

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


def test_key_forms_and_python_values():
    """Each check's code, the check order and malformed expectations are in
    test_verify_vectors.py (tests/vectors/verify.json); here the Python key forms and values."""
    assert code() == "OK"
    assert code(keys={}) == "UNKNOWN_ACCESS_KEY"
    assert code(keys=lambda akid: None) == "UNKNOWN_ACCESS_KEY"
    assert code(keys=pyiamauth.Credentials("AKIDOTHER", SECRET)) == "UNKNOWN_ACCESS_KEY"
    assert code(keys=pyiamauth.Credentials(AKID, SECRET[:-1] + "Z")) == "SIGNATURE_MISMATCH"
    assert code(service=None) == "OK"  # the core's DEFAULT_SERVICE
    assert code(service=pyiamauth.DEFAULT_SERVICE) == "OK"
    with_session = pyiamauth.Credentials(AKID, SECRET, "FwoGZXIvYXdzEXAMPLE")
    assert code(keys=with_session) == "SESSION_TOKEN_MISMATCH"
    session_token = pyiamauth.rds_token(HOST, 5432, "iam_user", "us-east-1", with_session, time=T0)
    assert code(session_token, keys=with_session) == "OK"
    assert code(session_token, keys=CREDS) == "SESSION_TOKEN_MISMATCH"
    # An empty string is a value, not "any": refused by the core's rules.
    assert code(host="") == "INVALID_HOST"
    assert code(user="") == "INVALID_USER"
    assert code(service="") == "INVALID_SERVICE"
    assert code(skew=10**30) == "INVALID_TIME"
    assert code(action="") == "INVALID_ACTION"
    assert code(keys="{not json") == "INVALID_CREDENTIALS"


def test_grants_come_only_from_a_keys_file():
    """A keys file's ``users`` / ``hosts`` grants apply (their cases: verify.json); a key given
    as Credentials, a mapping or a callable has none, so it may sign for any user and host (and
    one written with ``users`` / ``hosts`` is refused, not taken without them)."""
    granted = json.dumps({AKID: {"secret_access_key": SECRET, "users": ["app", "report_*"]}})
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.verify(TOKEN, granted, **EXPECT, now=T0)
    assert e.value.code == "USER_NOT_ALLOWED"
    assert "not granted this user" in str(e.value)
    other_host = json.dumps({AKID: {"secret_access_key": SECRET, "hosts": ["other.example.com"]}})
    assert code(keys=other_host) == "HOST_NOT_ALLOWED"
    assert code(keys=json.dumps({AKID: {"secret_access_key": SECRET, "users": ["iam_*"]}})) == "OK"
    for form in (CREDS, {AKID: CREDS}, lambda akid: CREDS):
        assert code(keys=form) == "OK"
        assert code(keys=form, user="app") == "WRONG_USER"
    # Grants beside a key given another way are refused, never dropped (it would sign for anyone).
    class Granted:
        access_key, secret_key, token, users = AKID, SECRET, None, ["app"]

    for form in ({AKID: Granted()}, lambda akid: Granted()):
        with pytest.raises(pyiamauth.IamAuthError) as e:
            pyiamauth.verify(TOKEN, form, **EXPECT, now=T0)
        assert e.value.code == "INVALID_CREDENTIALS"
        assert "keys file's JSON text only" in str(e.value)


def test_action():
    """``action``: the DSQL action the token must carry (the codes: verify.json)."""
    host = "abc.dsql.us-east-1.on.aws"
    admin = pyiamauth.dsql_token(host, "us-east-1", CREDS, admin=True, time=T0)
    plain = pyiamauth.dsql_token(host, "us-east-1", CREDS, time=T0)
    expect = dict(service="dsql", now=T0)
    assert pyiamauth.verify(admin, CREDS, action="DbConnectAdmin", **expect).action == "DbConnectAdmin"
    assert pyiamauth.verify(plain, CREDS, action="DbConnect", **expect).action == "DbConnect"
    assert pyiamauth.verify(plain, CREDS, action=None, **expect).action == "DbConnect"
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.verify(plain, CREDS, action="DbConnectAdmin", **expect)
    assert e.value.code == "WRONG_ACTION"
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.verify(plain, CREDS, action="dbconnect", **expect)
    assert e.value.code == "INVALID_ACTION"
    assert code(action="DbConnect") == "WRONG_ACTION"  # an RDS token carries "connect"


def test_wrong_types():
    with pytest.raises(TypeError):
        pyiamauth.verify(TOKEN, 42)
    with pytest.raises(TypeError):
        pyiamauth.verify(TOKEN, CREDS, port="5432")
    with pytest.raises(TypeError):
        pyiamauth.verify(TOKEN, CREDS, skew=1.5)
    with pytest.raises(TypeError):
        pyiamauth.verify(TOKEN, CREDS, action=True)
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.verify("\ud800", CREDS)
    assert e.value.code == "INVALID_UTF8"
