"""Caller mistakes a newcomer makes, and what they read: a wrong Python type is an
``IamAuthTypeError`` (an ``IamAuthError`` and a ``TypeError``) with the argument's code and a
message naming the argument, the type expected, the type received and the fix; never the value.
``credentials=None`` with nothing in the environment is the core's error, with a note that says
how to pass credentials."""

import datetime

import botocore.credentials
import pytest

import pyiamauth

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN"
HOST = "mydb.123456789012.us-east-1.rds.amazonaws.com"
DSQL = "abc.dsql.us-east-1.on.aws"
USER = "iam_user"
REGION = "us-east-1"
T0 = 1704164645
CREDS = pyiamauth.Credentials(AKID, SECRET)
TOKEN = pyiamauth.rds_token(HOST, 5432, USER, REGION, CREDS, time=T0)


def refusal(call):
    """The IamAuthTypeError `call` raises (it must raise one)."""
    with pytest.raises(pyiamauth.IamAuthTypeError) as err:
        call()
    e = err.value
    assert isinstance(e, pyiamauth.IamAuthError) and isinstance(e, TypeError)
    assert isinstance(e, ValueError)
    assert str(e) == f"{e.code}: {e.message}"
    return e


# --- the two the persona hit ------------------------------------------------------------------

@pytest.mark.parametrize("port", ["5432", " 5432", "", 5432.0])
def test_a_port_is_an_int_even_from_the_environment(port):
    e = refusal(lambda: pyiamauth.rds_token(HOST, port, USER, REGION, CREDS))
    assert e.code == "INVALID_PORT"
    assert e.message == (f"port: expected an int, got {type(port).__name__}; "
                         "convert it with int(...)")


def test_a_string_port_is_refused_everywhere_a_port_is_taken():
    calls = [
        lambda: pyiamauth.rds_token(HOST, "5432", USER, REGION, CREDS),
        lambda: pyiamauth.verify(TOKEN, CREDS, port="5432", now=T0),
        lambda: pyiamauth.TokenProvider(HOST, "5432", USER, REGION, CREDS),
        lambda: pyiamauth.AsyncTokenProvider(HOST, "5432", USER, REGION, CREDS),
    ]
    for call in calls:
        e = refusal(call)
        assert (e.code, e.message.split(";")[0]) == ("INVALID_PORT", "port: expected an int, got str")


def test_except_type_error_still_catches_it():
    try:
        pyiamauth.rds_token(HOST, "5432", USER, REGION, CREDS)
    except TypeError as e:
        assert getattr(e, "code", None) == "INVALID_PORT"
    else:
        pytest.fail("no error")


@pytest.mark.parametrize("port", [True, False])
def test_a_bool_is_not_a_port(port):
    e = refusal(lambda: pyiamauth.rds_token(HOST, port, USER, REGION, CREDS))
    assert e.code == "INVALID_PORT"
    assert e.message.startswith("port: expected an int, got bool")


def test_credentials_where_the_region_goes_names_the_argument_order():
    botocore_creds = botocore.credentials.Credentials(AKID, SECRET)
    cases = [
        (lambda c: pyiamauth.rds_token(HOST, 5432, USER, c), "host, port, user, region, credentials"),
        (lambda c: pyiamauth.TokenProvider(HOST, 5432, USER, c),
         "host, port, user, region, credentials"),
        (lambda c: pyiamauth.dsql_token(DSQL, c), "host, region, credentials"),
        (lambda c: pyiamauth.elasticache_token("my-cache", USER, c), "name, user, region, credentials"),
    ]
    for call, order in cases:
        for creds in (CREDS, botocore_creds):
            e = refusal(lambda: call(creds))
            assert e.code == "INVALID_REGION"
            assert e.message.startswith(
                f"region: expected a str, got {type(creds).__name__}; was the region left out?")
            assert f"The arguments are {order}, in this order" in e.message


def test_a_forgotten_port_names_the_argument_order_not_the_value():
    # rds_token(host, user, region, credentials): the user lands in `port`.
    e = refusal(lambda: pyiamauth.rds_token(HOST, USER, REGION, CREDS))
    assert e.code == "INVALID_PORT"
    assert e.message == ("port: expected an int, got str; was the port left out? The arguments "
                         "are host, port, user, region, credentials, in this order")
    assert USER not in str(e)


# --- every public function, every argument: its own code and its name ------------------------

C = CREDS
WRONG_TYPES = [
    # (call, code, argument, type received)
    (lambda: pyiamauth.rds_token(5432, 5432, USER, REGION, C), "INVALID_HOST", "host", "int"),
    (lambda: pyiamauth.rds_token(HOST, None, USER, REGION, C), "INVALID_PORT", "port", "NoneType"),
    (lambda: pyiamauth.rds_token(HOST, 5432, b"iam_user", REGION, C), "INVALID_USER", "user", "bytes"),
    (lambda: pyiamauth.rds_token(HOST, 5432, USER, 1, C), "INVALID_REGION", "region", "int"),
    (lambda: pyiamauth.dsql_token(DSQL, b"us-east-1", C), "INVALID_REGION", "region", "bytes"),
    (lambda: pyiamauth.rds_token(HOST, 5432, USER, REGION, C, expires_in="900"),
     "INVALID_EXPIRY", "expires_in", "str"),
    (lambda: pyiamauth.rds_token(HOST, 5432, USER, REGION, C, expires_in=None),
     "INVALID_EXPIRY", "expires_in", "NoneType"),
    (lambda: pyiamauth.rds_token(HOST, 5432, USER, REGION, C, time="2024-01-02T03:04:05Z"),
     "INVALID_TIME", "time", "str"),
    (lambda: pyiamauth.rds_token(HOST, 5432, USER, REGION, 42), "INVALID_CREDENTIALS",
     "credentials", "int"),
    (lambda: pyiamauth.dsql_token(None, REGION, C), "INVALID_HOST", "host", "NoneType"),
    (lambda: pyiamauth.dsql_token(DSQL, REGION, C, admin=1), "INVALID_ACTION", "admin", "int"),
    (lambda: pyiamauth.dsql_token(DSQL, REGION, C, expires_in=1.5), "INVALID_EXPIRY",
     "expires_in", "float"),
    (lambda: pyiamauth.elasticache_token(1, USER, REGION, C), "INVALID_HOST", "name", "int"),
    (lambda: pyiamauth.elasticache_token("c", USER, REGION, C, serverless="yes"),
     "INVALID_REQUEST", "serverless", "str"),
    (lambda: pyiamauth.elasticache_token("c", USER, REGION, C, service=None),
     "INVALID_SERVICE", "service", "NoneType"),
    (lambda: pyiamauth.inspect(TOKEN.encode()), "MALFORMED_TOKEN", "token", "bytes"),
    (lambda: pyiamauth.inspect(TOKEN, now=True), "INVALID_TIME", "now", "bool"),
    (lambda: pyiamauth.verify(TOKEN, 42), "INVALID_CREDENTIALS", "keys", "int"),
    (lambda: pyiamauth.verify(TOKEN, C, host=1), "INVALID_HOST", "host", "int"),
    (lambda: pyiamauth.verify(TOKEN, C, user=1), "INVALID_USER", "user", "int"),
    (lambda: pyiamauth.verify(TOKEN, C, region=1), "INVALID_REGION", "region", "int"),
    (lambda: pyiamauth.verify(TOKEN, C, service=1), "INVALID_SERVICE", "service", "int"),
    (lambda: pyiamauth.verify(TOKEN, C, skew=1.5), "INVALID_TIME", "skew", "float"),
    (lambda: pyiamauth.verify(TOKEN, {AKID: "secret"}, now=T0), "INVALID_CREDENTIALS",
     "credentials", "str"),
    (lambda: pyiamauth.refresh_at(None, 900), "INVALID_TIME", "signed_at", "NoneType"),
    (lambda: pyiamauth.refresh_at(1000, "900"), "INVALID_EXPIRY", "expires_in", "str"),
    (lambda: pyiamauth.refresh_at(1000, 900, "soon"), "INVALID_TIME", "credentials_expiration",
     "str"),
    (lambda: pyiamauth.Credentials(1, SECRET), "INVALID_CREDENTIALS", "access_key_id", "int"),
    (lambda: pyiamauth.Credentials(AKID, None), "INVALID_CREDENTIALS", "secret_access_key",
     "NoneType"),
    (lambda: pyiamauth.Credentials(AKID, SECRET, 5), "INVALID_CREDENTIALS", "session_token", "int"),
    (lambda: pyiamauth.TokenProvider(HOST, 5432, 7, REGION, C), "INVALID_USER", "user", "int"),
    (lambda: pyiamauth.TokenProvider(HOST, 5432, USER, REGION, C, expires_in="900"),
     "INVALID_EXPIRY", "expires_in", "str"),
    (lambda: pyiamauth.TokenProvider(HOST, 5432, USER, REGION, "default"), "INVALID_CREDENTIALS",
     "credentials", "str"),
    (lambda: pyiamauth.TokenProvider(HOST, 5432, USER, REGION, C, clock=5), "INVALID_REQUEST",
     "clock", "int"),
    (lambda: pyiamauth.TokenProvider(HOST, 5432, USER, REGION, C, expiration="soon"),
     "INVALID_TIME", "expiration", "str"),
    (lambda: pyiamauth.TokenProvider(HOST, 5432, USER, REGION, C, clock=lambda: "now"),
     "INVALID_TIME", "clock()", "str"),
    (lambda: pyiamauth.AsyncTokenProvider(HOST, 5432, USER, 7, C), "INVALID_REGION", "region",
     "int"),
]


@pytest.mark.parametrize("call,code,argument,got", WRONG_TYPES,
                         ids=[f"{w[2]}-{w[1]}-{i}" for i, w in enumerate(WRONG_TYPES)])
def test_each_wrong_type_has_the_arguments_code_and_name(call, code, argument, got):
    e = refusal(call)
    assert e.code == code
    assert e.message.startswith(f"{argument}: expected ")
    assert f", got {got}" in e.message


def test_credentials_of_a_wrong_type_say_what_is_accepted():
    e = refusal(lambda: pyiamauth.rds_token(HOST, 5432, USER, REGION, (AKID, SECRET)))
    assert e.code == "INVALID_CREDENTIALS"
    assert "got tuple" in e.message
    assert "pyiamauth.Credentials(" in e.message and "get_credentials()" in e.message

    class Half:
        access_key = AKID

    e = refusal(lambda: pyiamauth.rds_token(HOST, 5432, USER, REGION, Half()))
    assert e.code == "INVALID_CREDENTIALS" and "it has no secret_key" in e.message

    class Bytes:
        access_key = AKID
        secret_key = SECRET.encode()
        token = None

    e = refusal(lambda: pyiamauth.rds_token(HOST, 5432, USER, REGION, Bytes()))
    assert e.code == "INVALID_CREDENTIALS"
    assert e.message.startswith("credentials.secret_key: expected a str, got bytes")


def test_a_sync_provider_given_async_credentials():
    async def source():
        return CREDS

    p = pyiamauth.TokenProvider(HOST, 5432, USER, REGION, source)
    e = refusal(p)
    assert e.code == "INVALID_CREDENTIALS" and "AsyncTokenProvider" in e.message


def test_providers_check_fixed_credentials_when_made():
    with pytest.raises(pyiamauth.IamAuthError) as err:
        pyiamauth.TokenProvider(HOST, 5432, USER, REGION,
                              botocore.credentials.ReadOnlyCredentials("AKID EXAMPLE", SECRET, None))
    assert err.value.code == "INVALID_CREDENTIALS"
    # Refreshable or callable credentials are not read at construction (that may refresh them).
    pyiamauth.TokenProvider(HOST, 5432, USER, REGION, lambda: 42)
    pyiamauth.AsyncTokenProvider(HOST, 5432, USER, REGION, botocore.credentials.Credentials("A", "B"))


# --- never the value ---------------------------------------------------------------------------

SECRETS = [SECRET, SESSION]


def secret_calls(s):
    """A secret-looking str (or its bytes) where it does not belong, in every function."""
    b = s.encode()
    return [
        lambda: pyiamauth.rds_token(HOST, s, USER, REGION, CREDS),
        lambda: pyiamauth.rds_token(HOST, 5432, USER, REGION, s),
        lambda: pyiamauth.rds_token(HOST, 5432, USER, REGION, CREDS, expires_in=s),
        lambda: pyiamauth.rds_token(HOST, 5432, USER, REGION, CREDS, time=s),
        lambda: pyiamauth.rds_token(HOST, 5432, b, REGION, CREDS),
        lambda: pyiamauth.rds_token(HOST, 5432, USER, pyiamauth.Credentials(AKID, s)),
        lambda: pyiamauth.rds_token(HOST, 5432, USER, botocore.credentials.Credentials(AKID, s, s)),
        lambda: pyiamauth.dsql_token(DSQL, REGION, CREDS, admin=s),
        lambda: pyiamauth.elasticache_token("c", USER, REGION, CREDS, serverless=s),
        lambda: pyiamauth.inspect(b),
        lambda: pyiamauth.verify(TOKEN, s, now=T0),
        lambda: pyiamauth.verify(TOKEN, CREDS, port=s, now=T0),
        lambda: pyiamauth.verify(TOKEN, {AKID: s}, now=T0),
        lambda: pyiamauth.refresh_at(s, 900),
        lambda: pyiamauth.Credentials(AKID, b),
        lambda: pyiamauth.Credentials(AKID, SECRET, b),
        lambda: pyiamauth.Credentials(b, SECRET),
        lambda: pyiamauth.TokenProvider(HOST, 5432, USER, REGION, s),
        lambda: pyiamauth.TokenProvider(HOST, 5432, USER, REGION, CREDS, expiration=s),
        lambda: pyiamauth.TokenProvider(HOST, 5432, USER, REGION, CREDS, clock=lambda: s),
    ]


@pytest.mark.parametrize("s", SECRETS, ids=["secret", "session-token"])
def test_no_message_contains_the_value(s):
    for call in secret_calls(s):
        with pytest.raises(pyiamauth.IamAuthError) as err:
            call()
        e = err.value
        texts = [str(e), repr(e), e.message, *map(str, e.args), *getattr(e, "__notes__", [])]
        for text in texts:
            assert s not in text, text
            assert s[:12] not in text, text


# --- credentials=None and an empty environment -------------------------------------------------

@pytest.mark.parametrize("present", [None, "AWS_ACCESS_KEY_ID"])
def test_no_credentials_says_how_to_pass_them(no_aws_env, present):
    if present:
        no_aws_env.setenv(present, AKID)
    calls = [
        lambda: pyiamauth.rds_token(HOST, 5432, USER, REGION),
        lambda: pyiamauth.dsql_token(DSQL, REGION),
        lambda: pyiamauth.elasticache_token("my-cache", USER, REGION, None),
        pyiamauth.TokenProvider(HOST, 5432, USER, REGION),
    ]
    for call in calls:
        with pytest.raises(pyiamauth.IamAuthError) as err:
            call()
        e = err.value
        assert e.code == "INVALID_CREDENTIALS"
        assert not isinstance(e, TypeError)  # a missing value, not a wrong type
        # The core's message (it names the variables); how to pass credentials is a note,
        # shown under the traceback (Python 3.11+), outside the code and the message.
        assert e.message.startswith("credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ")
        (note,) = e.__notes__
        assert "credentials=None reads only the AWS_* environment variables" in note
        assert "credentials=boto3.Session().get_credentials()" in note
        assert "pyiamauth.Credentials(" in note
        assert 'eval "$(aws configure export-credentials --format env)"' in note
        assert AKID not in e.message and AKID not in note


def test_the_hint_is_true_botocore_credentials_work_as_they_are():
    # What the message recommends (boto3.Session().get_credentials() returns these classes).
    token = pyiamauth.rds_token(HOST, 5432, USER, REGION, botocore.credentials.Credentials(AKID, SECRET),
                              time=T0)
    assert token == TOKEN


def test_datetime_times_still_work_and_naive_ones_are_value_errors():
    aware = datetime.datetime.fromtimestamp(T0, datetime.timezone.utc)
    assert pyiamauth.rds_token(HOST, 5432, USER, REGION, CREDS, time=aware) == TOKEN
    with pytest.raises(pyiamauth.IamAuthError) as err:
        pyiamauth.rds_token(HOST, 5432, USER, REGION, CREDS, time=aware.replace(tzinfo=None))
    assert err.value.code == "INVALID_TIME" and not isinstance(err.value, TypeError)
