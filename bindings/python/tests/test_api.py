"""The Python surface: credentials forms, times, environment, inspect, threads, types."""

import datetime
import importlib.metadata
import math
import os
import pathlib
import pickle
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import pyiamauth
from conftest import ROOT, TOKEN_CASES
from vectors import make_token, ours

DEMO = next(c for c in TOKEN_CASES if c["id"] == "rds-demo")
WITH_TOKEN = next(c for c in TOKEN_CASES if c["id"] == "rds-session-token-short")
DEMO_IN = DEMO["input"]
AKID = DEMO_IN["access_key_id"]
SECRET = DEMO_IN["secret_access_key"]
UTC = datetime.timezone.utc


def demo(credentials=None, **kw):
    kw.setdefault("time", DEMO_IN["time"])
    return pyiamauth.rds_token(DEMO_IN["host"], DEMO_IN["port"], DEMO_IN["user"], DEMO_IN["region"],
                             credentials, **kw)


def creds():
    return pyiamauth.Credentials(AKID, SECRET)


# --- packaging -------------------------------------------------------------------------------

def test_installed_wheel_not_source_tree():
    # The suite must exercise the installed package, never bindings/python/python/pyiamauth.
    here = pathlib.Path(pyiamauth.__file__).resolve()
    assert "site-packages" in here.parts
    assert (here.parent / "py.typed").is_file()
    assert (here.parent / "_native.pyi").is_file()


def test_version_matches_cargo():
    text = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    section = text.split("[workspace.package]", 1)[1]
    cargo = re.search(r'^version\s*=\s*"([^"]+)"', section, re.M).group(1)
    assert pyiamauth.__version__ == cargo
    assert importlib.metadata.version("pyiamauth") == cargo


def test_public_names():
    assert set(pyiamauth.__all__) == {"AsyncTokenProvider", "CredentialChain", "Credentials",
                                    "DEFAULT_EXPIRES_IN",
                                    "DEFAULT_SERVICE", "DEFAULT_SKEW", "ERROR_CODES",
                                    "EXEC_CREDENTIAL_API_VERSION", "MSK_USER_AGENT",
                                    "IamAuthError", "IamAuthTypeError", "Identity",
                                    "MskTokenProvider", "RedisCredentialProvider", "TokenInfo",
                                    "TokenProvider", "__version__", "dsql_token",
                                    "eks_exec_credential", "eks_token",
                                    "elasticache_token", "inspect", "msk_token",
                                    "psycopg_pool_kwargs", "rds_token", "refresh_at", "verify"}
    for name in pyiamauth.__all__:
        assert getattr(pyiamauth, name) is not None
    assert issubclass(pyiamauth.IamAuthError, ValueError)
    assert pyiamauth.IamAuthError.__module__ == "pyiamauth"
    assert issubclass(pyiamauth.IamAuthTypeError, pyiamauth.IamAuthError)
    assert issubclass(pyiamauth.IamAuthTypeError, TypeError)
    assert pyiamauth.IamAuthTypeError.__module__ == "pyiamauth"


# --- credentials -----------------------------------------------------------------------------

def test_credentials_repr_redacts():
    c = pyiamauth.Credentials(AKID, SECRET, "SESSIONTOKENVALUE")
    for text in (repr(c), str(c)):
        assert AKID in text
        assert SECRET not in text and "SESSIONTOKENVALUE" not in text
        assert "<redacted>" in text
    assert "session_token=None" in repr(creds())
    assert c.access_key_id == AKID and c.has_session_token
    assert not hasattr(c, "secret_access_key")


def test_credentials_immutable_and_unpicklable():
    c = creds()
    with pytest.raises(AttributeError):
        c.access_key_id = "X"
    with pytest.raises(TypeError):
        pickle.dumps(c)


def test_credentials_validated_when_built():
    with pytest.raises(pyiamauth.IamAuthError) as err:
        pyiamauth.Credentials("AKID EXAMPLE", SECRET)
    assert err.value.code == "INVALID_CREDENTIALS"
    assert SECRET not in str(err.value)


def test_botocore_credentials():
    import botocore.credentials as bc

    i = WITH_TOKEN["input"]
    expected = WITH_TOKEN["expected"]["token"]
    plain = bc.Credentials(i["access_key_id"], i["secret_access_key"], i["session_token"])
    assert make_token(WITH_TOKEN, plain) == expected
    assert make_token(WITH_TOKEN, plain.get_frozen_credentials()) == expected
    frozen = bc.ReadOnlyCredentials(i["access_key_id"], i["secret_access_key"], i["session_token"])
    assert make_token(WITH_TOKEN, frozen) == expected


def test_botocore_refreshable_credentials():
    import botocore.credentials as bc

    i = WITH_TOKEN["input"]
    expiry = (datetime.datetime.now(UTC) + datetime.timedelta(hours=1)).isoformat()
    metadata = {"access_key": i["access_key_id"], "secret_key": i["secret_access_key"],
                "token": i["session_token"], "expiry_time": expiry}
    calls = []

    def refresh():
        calls.append(1)
        return metadata

    refreshable = bc.RefreshableCredentials.create_from_metadata(
        metadata=metadata, refresh_using=refresh, method="test")
    assert make_token(WITH_TOKEN, refreshable) == WITH_TOKEN["expected"]["token"]
    assert calls == []  # far from expiry: no refresh


def test_botocore_refreshable_credentials_refresh_when_expired():
    import botocore.credentials as bc

    i = DEMO_IN
    past = (datetime.datetime.now(UTC) - datetime.timedelta(hours=1)).isoformat()
    future = (datetime.datetime.now(UTC) + datetime.timedelta(hours=1)).isoformat()
    stale = {"access_key": "STALEKEY", "secret_key": "stale", "token": None, "expiry_time": past}
    fresh = {"access_key": i["access_key_id"], "secret_key": i["secret_access_key"],
             "token": None, "expiry_time": future}
    refreshable = bc.RefreshableCredentials.create_from_metadata(
        metadata=stale, refresh_using=lambda: fresh, method="test")
    assert demo(refreshable) == DEMO["expected"]["token"]


def test_duck_typed_credentials():
    class Plain:
        access_key = AKID
        secret_key = SECRET
        token = None

    assert demo(Plain()) == DEMO["expected"]["token"]


@pytest.mark.parametrize("bad", [42, "AKIDEXAMPLE", object(), (AKID, SECRET)])
def test_credentials_wrong_type(bad):
    with pytest.raises(TypeError):
        demo(bad)


def test_credentials_attribute_wrong_type():
    class Bad:
        access_key = AKID
        secret_key = b"bytes"
        token = None

    with pytest.raises(TypeError):
        demo(Bad())


def test_credentials_attribute_none_is_invalid_credentials():
    class NoKey:
        access_key = None
        secret_key = SECRET
        token = None

    with pytest.raises(pyiamauth.IamAuthError) as err:
        demo(NoKey())
    assert err.value.code == "INVALID_CREDENTIALS"


@pytest.mark.parametrize("args", [(1, SECRET), (AKID, None), (AKID, SECRET, 5)])
def test_credentials_constructor_types(args):
    with pytest.raises(TypeError):
        pyiamauth.Credentials(*args)


# --- environment -----------------------------------------------------------------------------

def test_env_credentials(no_aws_env):
    no_aws_env.setenv("AWS_ACCESS_KEY_ID", AKID)
    no_aws_env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    assert demo() == DEMO["expected"]["token"]
    assert demo(None) == DEMO["expected"]["token"]


def test_env_empty_session_token_is_none(no_aws_env):
    no_aws_env.setenv("AWS_ACCESS_KEY_ID", AKID)
    no_aws_env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    no_aws_env.setenv("AWS_SESSION_TOKEN", "")
    assert demo() == DEMO["expected"]["token"]


def test_env_session_token(no_aws_env):
    i = WITH_TOKEN["input"]
    no_aws_env.setenv("AWS_ACCESS_KEY_ID", i["access_key_id"])
    no_aws_env.setenv("AWS_SECRET_ACCESS_KEY", i["secret_access_key"])
    no_aws_env.setenv("AWS_SESSION_TOKEN", i["session_token"])
    assert make_token(WITH_TOKEN, None) == WITH_TOKEN["expected"]["token"]


# The core's reader (iamauth::EnvironmentCredentials): its code and its one message.
ENV_MISSING = ("credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set and not empty "
               "(and AWS_SESSION_TOKEN for temporary credentials)")


@pytest.mark.parametrize("present", ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", None])
@pytest.mark.parametrize("empty", ["", None], ids=["empty", "unset"])
def test_env_missing(no_aws_env, present, empty):
    if present:
        no_aws_env.setenv(present, "AKIDEXAMPLE")
    if empty is not None:  # set but empty is unset, as in the AWS CLI
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            if name != present:
                no_aws_env.setenv(name, empty)
    for call in (demo, lambda: pyiamauth.dsql_token("abc.dsql.us-east-1.on.aws", "us-east-1")):
        with pytest.raises(pyiamauth.IamAuthError) as err:
            call()
        e = err.value
        assert (e.code, e.message) == ("INVALID_CREDENTIALS", ENV_MISSING)
        assert str(e) == f"INVALID_CREDENTIALS: {ENV_MISSING}"
        assert not isinstance(e, TypeError)


@pytest.mark.skipif(not hasattr(os, "environb"), reason="no bytes environment (Windows)")
def test_env_not_utf8_is_the_cores_error(no_aws_env):
    no_aws_env.setitem(os.environb, b"AWS_ACCESS_KEY_ID", b"AKID\xffEXAMPLE")
    no_aws_env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    with pytest.raises(pyiamauth.IamAuthError) as err:
        demo()
    assert (err.value.code, err.value.message) == (
        "INVALID_CREDENTIALS",
        "credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN must be UTF-8")


@pytest.mark.parametrize("variable,value", [
    ("AWS_ACCESS_KEY_ID", "AKID EXAMPLE"),
    ("AWS_SECRET_ACCESS_KEY", "x" * 5000),
    ("AWS_SESSION_TOKEN", "token with a space"),
])
def test_env_values_are_checked_by_the_cores_credential_rules(no_aws_env, variable, value):
    env = {"AWS_ACCESS_KEY_ID": AKID, "AWS_SECRET_ACCESS_KEY": SECRET, variable: value}
    for name, v in env.items():
        no_aws_env.setenv(name, v)
    with pytest.raises(pyiamauth.IamAuthError) as from_env:
        demo()
    # The same rule, code and message as the same values given to Credentials.
    with pytest.raises(pyiamauth.IamAuthError) as given:
        pyiamauth.Credentials(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"],
                              env.get("AWS_SESSION_TOKEN"))
    assert from_env.value.code == "INVALID_CREDENTIALS"
    assert (from_env.value.code, from_env.value.message) == (given.value.code, given.value.message)
    assert value not in str(from_env.value)


# --- times -----------------------------------------------------------------------------------

EXPECTED = DEMO["expected"]["token"]
SIGNED = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize("when", [
    SIGNED,
    SIGNED.replace(microsecond=999999),
    SIGNED.astimezone(datetime.timezone(datetime.timedelta(hours=5, minutes=30))),
    SIGNED.astimezone(datetime.timezone(datetime.timedelta(hours=-8), "PST")),
    1704164645,
    1704164645.0,
    1704164645.999,
], ids=["utc", "utc-micro", "ist", "pst", "int", "float", "float-floor"])
def test_time_forms(when):
    assert demo(creds(), time=when) == EXPECTED


def test_time_zoneinfo():
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        tz = zoneinfo.ZoneInfo("America/New_York")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no tz database")
    assert demo(creds(), time=SIGNED.astimezone(tz)) == EXPECTED


def test_time_none_is_now():
    token = demo(creds(), time=None)
    info = pyiamauth.inspect(token)
    now = datetime.datetime.now(UTC).timestamp()
    assert abs(info.signed_at - now) < 60
    assert info.status == "valid"


def test_naive_datetime_is_invalid_time():
    with pytest.raises(pyiamauth.IamAuthError) as err:
        demo(creds(), time=datetime.datetime(2024, 1, 2, 3, 4, 5))
    assert err.value.code == "INVALID_TIME"
    assert "naive" in err.value.message and "tzinfo" in err.value.message


@pytest.mark.parametrize("when", [math.nan, math.inf, -math.inf, -0.5, 2.0**80, 2**80, -(2**80),
                                  253402300800])
def test_out_of_range_times(when):
    with pytest.raises(pyiamauth.IamAuthError) as err:
        demo(creds(), time=when)
    assert err.value.code == "INVALID_TIME"


@pytest.mark.parametrize("when", [True, False, "1704164645", datetime.date(2024, 1, 2), [1]])
def test_time_wrong_type(when):
    with pytest.raises(TypeError):
        demo(creds(), time=when)


def test_time_edges():
    assert pyiamauth.inspect(demo(creds(), time=0)).signed_at == 0
    last = datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert pyiamauth.inspect(demo(creds(), time=last)).signed_at == 253402300799


# --- inspect ---------------------------------------------------------------------------------

def test_inspect_rds_fields():
    info = pyiamauth.inspect(EXPECTED, now=DEMO_IN["time"] + 100)
    assert info.kind == "rds"
    assert info.host == DEMO_IN["host"]
    assert info.port == 5432 and isinstance(info.port, int)
    assert info.user == "iam_user"
    assert info.action == "connect"
    assert info.serverless is False
    assert info.region == "us-east-1"
    assert info.service == "rds-db"
    assert info.access_key_id == AKID
    assert info.signed_at == DEMO_IN["time"]
    assert info.expires_in == 900
    assert info.expires_at == DEMO_IN["time"] + 900
    assert info.has_session_token is False
    assert info.signature == DEMO["expected"]["signature"]
    assert (info.status, info.seconds_left, info.seconds_ago, info.starts_in) == ("valid", 800, None, None)


def test_inspect_other_kinds():
    by_id = {c["id"]: c for c in TOKEN_CASES}
    dsql = pyiamauth.inspect(by_id["dsql-admin-session-token"]["expected"]["token"], now=0)
    assert (dsql.kind, dsql.port, dsql.user, dsql.action, dsql.service, dsql.has_session_token) == (
        "dsql", None, None, "DbConnectAdmin", "dsql", True)
    cache = pyiamauth.inspect(by_id["memorydb-serverless-flag"]["expected"]["token"], now=0)
    assert (cache.kind, cache.serverless, cache.service, cache.port) == (
        "elasticache", True, "memorydb", None)
    assert cache.user == by_id["memorydb-serverless-flag"]["input"]["user"]


@pytest.mark.parametrize("case", TOKEN_CASES, ids=[c["id"] for c in TOKEN_CASES])
def test_inspect_every_vector(case):
    i = case["input"]
    info = pyiamauth.inspect(case["expected"]["token"], now=i["time"])
    assert info.kind == case["kind"]
    assert info.signed_at == i["time"]
    assert info.expires_in == i["expires_in"]
    assert info.access_key_id == i["access_key_id"]
    assert info.has_session_token == (i["session_token"] is not None)
    assert info.signature == case["expected"]["signature"]
    if case["kind"] != "dsql":
        assert info.user == i["user"]
    assert info.status == "valid" and info.seconds_left == i["expires_in"]


def test_inspect_validity():
    t = DEMO_IN["time"]
    expired = pyiamauth.inspect(EXPECTED, now=t + 1000)
    assert (expired.status, expired.seconds_left, expired.seconds_ago, expired.starts_in) == (
        "expired", None, 100, None)
    at_expiry = pyiamauth.inspect(EXPECTED, now=t + 900)
    assert (at_expiry.status, at_expiry.seconds_ago) == ("expired", 0)
    early = pyiamauth.inspect(EXPECTED, now=t - 5)
    assert (early.status, early.seconds_left, early.seconds_ago, early.starts_in) == (
        "not_yet_valid", None, None, 5)
    aware = pyiamauth.inspect(EXPECTED, now=SIGNED + datetime.timedelta(seconds=10))
    assert aware.seconds_left == 890
    assert pyiamauth.inspect(EXPECTED).status == "expired"  # now = the clock, 2024 is long past


def test_inspect_repr_hides_signature():
    info = pyiamauth.inspect(EXPECTED, now=DEMO_IN["time"])
    text = repr(info)
    assert info.signature not in text
    assert "signature" not in text
    assert "kind='rds'" in text and "port=5432" in text and "status='valid'" in text


def test_inspect_immutable():
    info = pyiamauth.inspect(EXPECTED, now=DEMO_IN["time"])
    with pytest.raises(AttributeError):
        info.port = 1
    with pytest.raises(TypeError):
        pyiamauth.TokenInfo()


def test_inspect_errors():
    with pytest.raises(pyiamauth.IamAuthError) as err:
        pyiamauth.inspect("not a token")
    assert err.value.code == "MALFORMED_TOKEN"
    with pytest.raises(pyiamauth.IamAuthError) as err:
        pyiamauth.inspect(EXPECTED, now=datetime.datetime(2024, 1, 1))
    assert err.value.code == "INVALID_TIME"
    with pytest.raises(pyiamauth.IamAuthError) as err:
        pyiamauth.inspect(EXPECTED, now=-1)
    assert err.value.code == "INVALID_TIME"
    with pytest.raises(TypeError):
        pyiamauth.inspect(EXPECTED.encode())
    with pytest.raises(TypeError):
        pyiamauth.inspect(EXPECTED, now=True)


# --- argument types --------------------------------------------------------------------------

H, U, R = DEMO_IN["host"], DEMO_IN["user"], DEMO_IN["region"]


@pytest.mark.parametrize("call", [
    lambda c: pyiamauth.rds_token(H, "5432", U, R, c),
    lambda c: pyiamauth.rds_token(H, 5432.0, U, R, c),
    lambda c: pyiamauth.rds_token(H, None, U, R, c),
    lambda c: pyiamauth.rds_token(H, True, U, R, c),
    lambda c: pyiamauth.rds_token(None, 5432, U, R, c),
    lambda c: pyiamauth.rds_token(123, 5432, U, R, c),
    lambda c: pyiamauth.rds_token(H, 5432, b"iam_user", R, c),
    lambda c: pyiamauth.rds_token(H, 5432, U, 1, c),  # None: the region from the host
    lambda c: pyiamauth.rds_token(H, 5432, U, R, c, expires_in="900"),
    lambda c: pyiamauth.rds_token(H, 5432, U, R, c, expires_in=900.0),
    lambda c: pyiamauth.rds_token(H, 5432, U, R, c, expires_in=None),
    lambda c: pyiamauth.rds_token(H, 5432, U, R, c, expires_in=False),
    lambda c: pyiamauth.rds_token(H, 5432, U, R, c, 900),  # expires_in is keyword-only
    lambda c: pyiamauth.dsql_token(H, R, c, admin=1),
    lambda c: pyiamauth.dsql_token(H, R, c, admin="DbConnectAdmin"),
    lambda c: pyiamauth.dsql_token(H, R, c, admin=None),
    lambda c: pyiamauth.elasticache_token("my-cache", U, R, c, serverless="yes"),
    lambda c: pyiamauth.elasticache_token("my-cache", U, R, c, service=None),
    lambda c: pyiamauth.elasticache_token("my-cache", U, R, c, service=b"memorydb"),
], ids=lambda f: None)
def test_type_errors(call):
    with pytest.raises(TypeError) as err:
        call(creds())
    # Ours carry a code; Python's own (too many positional arguments) do not.
    assert isinstance(err.value, pyiamauth.IamAuthTypeError) or "positional" in str(err.value)


@pytest.mark.parametrize("port", [2**70, -(2**70), 2**63, 0, 65536])
def test_big_ports_are_invalid_port(port):
    with pytest.raises(pyiamauth.IamAuthError) as err:
        pyiamauth.rds_token(H, port, U, R, creds(), time=0)
    assert err.value.code == "INVALID_PORT"


@pytest.mark.parametrize("expires_in", [2**70, -(2**70), 0, 901])
def test_big_expiry_is_invalid_expiry(expires_in):
    with pytest.raises(pyiamauth.IamAuthError) as err:
        demo(creds(), expires_in=expires_in)
    assert err.value.code == "INVALID_EXPIRY"


def test_int_subclasses_accepted():
    class Port(int):
        pass

    assert pyiamauth.rds_token(H, Port(5432), U, R, creds(), time=DEMO_IN["time"]) == EXPECTED


def test_keyword_defaults():
    c = creds()
    assert demo(c, expires_in=pyiamauth.DEFAULT_EXPIRES_IN) == demo(c)
    dsql = pyiamauth.dsql_token("abc.dsql.us-east-1.on.aws", R, c, time=0)
    assert "Action=DbConnect&" in dsql
    cache = pyiamauth.elasticache_token("my-cache", "u", R, c, time=0)
    assert pyiamauth.inspect(cache, now=0).service == "elasticache"


# --- the core's defaults, codes and region rule ----------------------------------------------

def test_defaults_are_the_cores():
    c = creds()
    t = DEMO_IN["time"]
    # A token made without expires_in lasts DEFAULT_EXPIRES_IN, in every kind.
    for token in (demo(c),
                  pyiamauth.dsql_token("abc.dsql.us-east-1.on.aws", R, c, time=t),
                  pyiamauth.elasticache_token("my-cache", "u", R, c, time=t)):
        assert pyiamauth.inspect(token, now=t).expires_in == pyiamauth.DEFAULT_EXPIRES_IN
    # verify: DEFAULT_SKEW seconds early are accepted, one more is not; service=None expects
    # DEFAULT_SERVICE, which is what an RDS token is signed for.
    token = demo(c)
    assert pyiamauth.verify(token, c, now=t - pyiamauth.DEFAULT_SKEW).service == pyiamauth.DEFAULT_SERVICE
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.verify(token, c, now=t - pyiamauth.DEFAULT_SKEW - 1)
    assert e.value.code == "NOT_YET_VALID"
    assert pyiamauth.verify(token, c, service=None, now=t).service == pyiamauth.DEFAULT_SERVICE
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.verify(pyiamauth.dsql_token("abc.dsql.us-east-1.on.aws", R, c, time=t), c, now=t)
    assert e.value.code == "WRONG_SERVICE"
    # The native module's names are the package's.
    from pyiamauth import _native
    assert (_native.DEFAULT_EXPIRES_IN, _native.DEFAULT_SKEW, _native.DEFAULT_SERVICE) == (
        pyiamauth.DEFAULT_EXPIRES_IN, pyiamauth.DEFAULT_SKEW, pyiamauth.DEFAULT_SERVICE)


def test_signatures_show_the_cores_defaults():
    import inspect
    sig = inspect.signature(pyiamauth.rds_token)
    assert sig.parameters["expires_in"].default == pyiamauth.DEFAULT_EXPIRES_IN
    assert sig.parameters["region"].default is None
    assert inspect.signature(pyiamauth.dsql_token).parameters["region"].default is None
    assert (inspect.signature(pyiamauth.elasticache_token).parameters["expires_in"].default
            == pyiamauth.DEFAULT_EXPIRES_IN)
    verify = inspect.signature(pyiamauth.verify).parameters
    assert verify["skew"].default == pyiamauth.DEFAULT_SKEW
    assert verify["service"].default is None
    for provider in (pyiamauth.TokenProvider, pyiamauth.AsyncTokenProvider):
        params = inspect.signature(provider).parameters
        assert params["expires_in"].default == pyiamauth.DEFAULT_EXPIRES_IN
        assert params["region"].default is None


def test_error_codes_are_the_cores_table():
    table = pyiamauth.ERROR_CODES
    numbers = [n for n, _ in table.values()]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert table["INVALID_UTF8"][0] == 101
    assert table["INVALID_HOST"][0] == 1
    assert table["INSECURE_KEYS_FILE"][0] == 26
    assert table["INVALID_CLUSTER"][0] == 27 and table["INVALID_USER_AGENT"][0] == 28
    for name, (number, description) in table.items():
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", name)
        assert isinstance(number, int) and description.endswith(".")
    # Every code the suites and the vectors name is in it.
    from conftest import ERROR_CASES
    assert {c["error"] for c in ERROR_CASES} <= set(table)
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.rds_token(H, 5432, "u\udfff", R, creds())
    assert e.value.code in table


RDS_HOSTS = {
    "mydb.123456789012.eu-west-1.rds.amazonaws.com": "eu-west-1",
    "MyDB.cluster-ro-abc.ap-southeast-2.RDS.AMAZONAWS.COM": "ap-southeast-2",
    "mydb.abc.cn-north-1.rds.amazonaws.com.cn": "cn-north-1",
}


@pytest.mark.parametrize("host", sorted(RDS_HOSTS))
def test_rds_region_from_the_host(host):
    c = creds()
    t = DEMO_IN["time"]
    region = RDS_HOSTS[host]
    expected = pyiamauth.rds_token(host, 5432, "u", region, c, time=t)
    assert pyiamauth.rds_token(host, 5432, "u", None, c, time=t) == expected
    assert pyiamauth.rds_token(host, 5432, "u", credentials=c, time=t) == expected
    assert pyiamauth.rds_token(host, 5432, "u", region=None, credentials=c, time=t) == expected
    assert pyiamauth.inspect(expected).region == region


def test_dsql_region_from_the_host():
    c = creds()
    host = "abc123.dsql.eu-central-1.on.aws"
    expected = pyiamauth.dsql_token(host, "eu-central-1", c, time=0)
    assert pyiamauth.dsql_token(host, None, c, time=0) == expected
    assert pyiamauth.dsql_token(host, credentials=c, time=0) == expected
    assert pyiamauth.dsql_token(host, credentials=c, admin=True, time=0) == (
        pyiamauth.dsql_token(host, "eu-central-1", c, admin=True, time=0))


def test_a_region_given_wins_over_the_host():
    c = creds()
    host = "mydb.123456789012.eu-west-1.rds.amazonaws.com"
    token = pyiamauth.rds_token(host, 5432, "u", "us-east-1", c, time=0)
    assert pyiamauth.inspect(token).region == "us-east-1"


@pytest.mark.parametrize("call", [
    lambda c: pyiamauth.rds_token("db.example.com", 5432, "u", None, c),
    lambda c: pyiamauth.rds_token("db.example.com", 5432, "u", credentials=c),
    # An RDS-looking host whose "region" breaks the region rule names none.
    lambda c: pyiamauth.rds_token("db.abc.not_a_region.rds.amazonaws.com", 5432, "u", credentials=c),
    lambda c: pyiamauth.dsql_token("abc123.dsql.example.com", credentials=c),
    lambda c: pyiamauth.dsql_token("mydb.123456789012.us-east-1.rds.amazonaws.com.example",
                                   credentials=c),
    lambda c: pyiamauth.TokenProvider("db.example.com", 5432, "u", credentials=c),
    lambda c: pyiamauth.AsyncTokenProvider("db.example.com", 5432, "u", None, c),
])
def test_no_region_and_a_host_that_names_none_is_invalid_region(call):
    with pytest.raises(pyiamauth.IamAuthError) as err:
        call(creds())
    e = err.value
    assert e.code == "INVALID_REGION" and not isinstance(e, TypeError)
    assert e.message.startswith("region: not given")


# --- threads ---------------------------------------------------------------------------------

def test_eight_threads_make_vector_tokens():
    start = threading.Barrier(8)
    prepared = [(case, ours(case)) for case in TOKEN_CASES]

    def work(_):
        start.wait()
        bad = []
        for _round in range(20):
            for case, c in prepared:
                if make_token(case, c) != case["expected"]["token"]:
                    bad.append(case["id"])
        return bad

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    assert results == [[]] * 8


def test_type_error_names_the_argument():
    with pytest.raises(TypeError) as err:
        pyiamauth.rds_token(H, "5432", U, R, creds())
    assert str(err.value).startswith("INVALID_PORT: port: ")


def test_lone_surrogates_are_an_iamauth_error_with_a_code():
    # A str with no UTF-8 form: the code C and Java use for invalid UTF-8, never a crash.
    creds = pyiamauth.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    calls = [
        lambda: pyiamauth.rds_token("db\ud800.example.com", 5432, "u", "us-east-1", creds),
        lambda: pyiamauth.rds_token("db.example.com", 5432, "u\udfff", "us-east-1", creds),
        lambda: pyiamauth.dsql_token("abc.dsql.us-east-1.on.aws", "us-east-\ud800", creds),
        lambda: pyiamauth.elasticache_token("cache\ud800", "u", "us-east-1", creds),
        lambda: pyiamauth.inspect("token\ud800"),
        lambda: pyiamauth.Credentials("AKID\ud800", "secret"),
    ]
    for call in calls:
        with pytest.raises(pyiamauth.IamAuthError) as info:
            call()
        assert info.value.code == "INVALID_UTF8"
