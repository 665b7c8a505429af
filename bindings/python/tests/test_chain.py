"""CredentialChain: the standard AWS credential chain (the iamauth-credentials crate) without
botocore. A container-endpoint mock (EKS Pod Identity's shape: AWS_CONTAINER_CREDENTIALS_FULL_URI
to loopback, AWS_CONTAINER_AUTHORIZATION_TOKEN) runs in this process, in a Python thread: every
test that reaches it also shows that the chain resolves with the GIL released (with the GIL held,
the mock could not answer and the chain would time out).

The chain reads the PROCESS environment (Rust's std::env::var): monkeypatch.setenv changes
os.environ, which calls putenv, so the chain sees each test's variables."""

import asyncio
import datetime
import http.server
import json
import os
import sys
import threading
import time

import pytest

import pyiamauth

# The interpreter a child process runs: this one, unless the harness names a wrapper (the
# release tests run the aarch64 wheel under qemu, where this interpreter cannot be exec'd
# directly).
CHILD_PYTHON = os.environ.get("IAMAUTH_TEST_PYTHON", sys.executable)

HOST = "mydb.123456789012.us-east-1.rds.amazonaws.com"
DSQL_HOST = "abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws"
AKID = "ASIACHAINEXAMPLE"
SECRET = "chainSecretKey/DoNotPrint+0123456789ABCDEF"
AUTH = "pod-identity-token-DoNotPrint"
UTC = datetime.timezone.utc


def rfc3339(t):
    return datetime.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Clock:
    """A clock the test moves by hand (unix seconds), shared by the chain, the provider and the mock."""

    def __init__(self, now=None):
        self.now = int(time.time()) if now is None else now

    def __call__(self):
        return self.now


class Endpoint:
    """The container credentials endpoint: answers the n-th request with session token
    ``SESSION<n>`` and ``Expiration`` = ``expiration()``; 401 without the right Authorization."""

    def __init__(self, expiration, delay=0.0):
        self.expiration = expiration
        self.delay = delay
        self.requests = 0
        self.authorizations = []
        self.lock = threading.Lock()
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with endpoint.lock:
                    endpoint.requests += 1
                    n = endpoint.requests
                    endpoint.authorizations.append(self.headers.get("Authorization"))
                if endpoint.delay:
                    time.sleep(endpoint.delay)
                if self.headers.get("Authorization") != AUTH:
                    self.answer(401, b'{"message": "no"}')
                    return
                body = json.dumps({
                    "AccessKeyId": AKID,
                    "SecretAccessKey": SECRET,
                    "Token": "SESSION%d" % n,
                    "Expiration": rfc3339(endpoint.expiration()),
                }).encode()
                self.answer(200, body)

            def answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/v1/credentials" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def env(monkeypatch, tmp_path):
    """Nothing configured: no AWS_* variables, an empty HOME, IMDS off."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return monkeypatch


@pytest.fixture
def endpoint(env):
    """A mock whose credentials expire in an hour, set in the environment."""
    e = Endpoint(lambda: int(time.time()) + 3600)
    env.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", e.url)
    env.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH)
    yield e
    e.close()


def serve(env, expiration, delay=0.0):
    e = Endpoint(expiration, delay)
    env.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", e.url)
    env.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH)
    return e


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- resolving ----------------------------------------------------------------------------------

def test_the_chain_sees_the_environment_set_from_python(env):
    # monkeypatch.setenv -> os.environ -> putenv: Rust's std::env::var reads the same variables.
    env.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    chain = pyiamauth.CredentialChain()
    c = chain.credentials()
    assert isinstance(c, pyiamauth.Credentials)
    assert c.access_key_id == "AKIDFROMENV" and not c.has_session_token
    assert c.expiration is None
    assert chain.source == "environment"


def test_resolves_from_the_container_endpoint(endpoint):
    chain = pyiamauth.CredentialChain()
    assert chain.source is None and chain.profile is None
    before = int(time.time())
    c = chain.credentials()
    assert c.access_key_id == AKID and c.has_session_token
    assert before + 3600 <= c.expiration <= int(time.time()) + 3600
    assert chain.source == "container endpoint"
    assert endpoint.authorizations == [AUTH]
    # Cached: a second call does not ask again.
    assert chain.credentials().expiration == c.expiration
    assert endpoint.requests == 1


def test_tokens_with_the_chain_equal_tokens_with_the_same_explicit_credentials(endpoint):
    chain = pyiamauth.CredentialChain()
    now = int(time.time())
    explicit = pyiamauth.Credentials(AKID, SECRET, "SESSION1")
    assert (pyiamauth.rds_token(HOST, 5432, "iam_user", "us-east-1", credentials=chain, time=now)
            == pyiamauth.rds_token(HOST, 5432, "iam_user", "us-east-1", explicit, time=now))
    assert (pyiamauth.dsql_token(DSQL_HOST, credentials=chain, admin=True, time=now)
            == pyiamauth.dsql_token(DSQL_HOST, None, explicit, admin=True, time=now))
    assert (pyiamauth.elasticache_token("cache", "u", "us-east-1", chain, serverless=True, time=now)
            == pyiamauth.elasticache_token("cache", "u", "us-east-1", explicit, serverless=True,
                                           time=now))
    # The credentials that chain.credentials() returns sign the same, too.
    assert (pyiamauth.rds_token(HOST, 5432, "iam_user", None, chain.credentials(), time=now)
            == pyiamauth.rds_token(HOST, 5432, "iam_user", None, explicit, time=now))
    assert endpoint.requests == 1  # resolved at each call, from the cache


def test_a_named_profile_with_static_keys(env, tmp_path):
    config = write(tmp_path / "config",
                   "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n"
                   "[profile x]\naws_access_key_id = AKIDPROFILEX\n"
                   "aws_secret_access_key = %s\n" % SECRET)
    env.setenv("AWS_CONFIG_FILE", config)
    env.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    chain = pyiamauth.CredentialChain(profile="x")
    assert chain.profile == "x"
    c = chain.credentials()
    assert c.access_key_id == "AKIDPROFILEX" and c.expiration is None
    assert chain.source.startswith("profile x")
    assert pyiamauth.CredentialChain().credentials().access_key_id == "AKIDDEFAULT"
    env.setenv("AWS_PROFILE", "x")
    assert pyiamauth.CredentialChain().credentials().access_key_id == "AKIDPROFILEX"
    # As the AWS CLI's --profile: the environment's keys then do not count.
    env.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    assert pyiamauth.CredentialChain("x").credentials().access_key_id == "AKIDPROFILEX"
    assert pyiamauth.CredentialChain().credentials().access_key_id == "AKIDFROMENV"
    # A profile that is not there is an error, not the next source.
    with pytest.raises(pyiamauth.IamAuthError) as err:
        pyiamauth.CredentialChain(profile="nope").credentials()
    assert err.value.code == "INVALID_CREDENTIALS" and "nope" in err.value.message


def test_a_credential_process_profile(env, tmp_path):
    expiration = int(time.time()) + 7200
    script = write(tmp_path / "creds.py", "import json\nprint(json.dumps(%r))\n" % {
        "Version": 1, "AccessKeyId": "ASIAPROCESS", "SecretAccessKey": SECRET,
        "SessionToken": "PROCESSTOKEN", "Expiration": rfc3339(expiration)})
    config = write(tmp_path / "config",
                   '[profile p]\ncredential_process = "%s" "%s"\n' % (CHILD_PYTHON, script))
    env.setenv("AWS_CONFIG_FILE", config)
    chain = pyiamauth.CredentialChain(profile="p")
    c = chain.credentials()
    assert (c.access_key_id, c.has_session_token, c.expiration) == ("ASIAPROCESS", True, expiration)
    assert chain.source == "profile p: credential_process"
    now = int(time.time())
    assert (pyiamauth.rds_token(HOST, 5432, "u", None, chain, time=now)
            == pyiamauth.rds_token(HOST, 5432, "u", None,
                                   pyiamauth.Credentials("ASIAPROCESS", SECRET, "PROCESSTOKEN"),
                                   time=now))


# --- errors -------------------------------------------------------------------------------------

def test_nothing_configured_is_invalid_credentials_naming_each_source(env):
    chain = pyiamauth.CredentialChain()
    for call in (chain.credentials,
                 lambda: pyiamauth.rds_token(HOST, 5432, "u", None, chain),
                 lambda: pyiamauth.TokenProvider(HOST, 5432, "u", credentials=chain)()):
        with pytest.raises(pyiamauth.IamAuthError) as err:
            call()
        e = err.value
        assert e.code == "INVALID_CREDENTIALS" and not isinstance(e, TypeError)
        assert "IMDS" in e.message and "AWS_EC2_METADATA_DISABLED" in e.message
        assert "container endpoint" in e.message and "environment" in e.message
        assert str(e) == "INVALID_CREDENTIALS: " + e.message
    assert chain.source is None


def test_a_failing_endpoint_stops_the_chain_without_showing_the_token(env):
    e = serve(env, lambda: int(time.time()) + 3600)
    env.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong-token-DoNotPrint")
    try:
        with pytest.raises(pyiamauth.IamAuthError) as err:
            pyiamauth.CredentialChain().credentials()
    finally:
        e.close()
    assert err.value.code == "INVALID_CREDENTIALS"
    assert "401" in err.value.message
    assert "DoNotPrint" not in str(err.value)


def test_wrong_types(env):
    with pytest.raises(pyiamauth.IamAuthTypeError) as err:
        pyiamauth.CredentialChain(profile=1)
    assert err.value.code == "INVALID_CREDENTIALS" and "profile" in err.value.message
    with pytest.raises(pyiamauth.IamAuthTypeError) as err:
        pyiamauth.CredentialChain(clock=1)
    assert err.value.code == "INVALID_REQUEST"
    chain = pyiamauth.CredentialChain()
    # A chain where the region goes: the argument left out is named, the chain is not resolved.
    with pytest.raises(pyiamauth.IamAuthTypeError) as err:
        pyiamauth.rds_token(HOST, 5432, "u", chain)
    assert err.value.code == "INVALID_REGION" and "left out" in err.value.message


def test_repr_and_str_never_show_a_secret(endpoint):
    chain = pyiamauth.CredentialChain(profile=None)
    assert repr(chain) == "CredentialChain(profile=None, source=None)"
    c = chain.credentials()
    assert repr(chain) == str(chain) == "CredentialChain(profile=None, source='container endpoint')"
    for text in (repr(c), str(c)):
        assert AKID in text and "expiration=%d" % c.expiration in text
        assert SECRET not in text and "SESSION1" not in text and AUTH not in text
    assert not hasattr(c, "secret_access_key") and not hasattr(c, "session_token")
    assert repr(pyiamauth.CredentialChain("it's")) == 'CredentialChain(profile="it\'s", source=None)'


# --- expiration -----------------------------------------------------------------------------------

def test_credentials_take_an_expiration_keyword(env):
    c = pyiamauth.Credentials(AKID, SECRET, "T", expiration=1_000_000_000)
    assert c.expiration == 1_000_000_000
    at = datetime.datetime.fromtimestamp(1_000_000_000, UTC)
    assert pyiamauth.Credentials(AKID, SECRET, expiration=at).expiration == 1_000_000_000
    assert pyiamauth.Credentials(AKID, SECRET).expiration is None
    assert "expiration" not in repr(pyiamauth.Credentials(AKID, SECRET))
    with pytest.raises(TypeError):
        pyiamauth.Credentials(AKID, SECRET, "T", 1_000_000_000)  # keyword-only
    with pytest.raises(pyiamauth.IamAuthTypeError) as err:
        pyiamauth.Credentials(AKID, SECRET, expiration="tomorrow")
    assert err.value.code == "INVALID_TIME"
    # Signing at or after the expiration is refused, before it works.
    assert pyiamauth.rds_token(HOST, 5432, "u", None, c, time=999_999_999)
    for t in (1_000_000_000, 1_000_000_001):
        with pytest.raises(pyiamauth.IamAuthError) as err:
            pyiamauth.rds_token(HOST, 5432, "u", None, c, time=t)
        assert err.value.code == "INVALID_CREDENTIALS" and "expired" in err.value.message
    # The request's own mistakes still come first.
    with pytest.raises(pyiamauth.IamAuthError) as err:
        pyiamauth.rds_token(HOST, 5432, "u", None, c, time=t, expires_in=0)
    assert err.value.code == "INVALID_EXPIRY"


def test_chain_credentials_expired_at_signing_time_are_refused(endpoint):
    chain = pyiamauth.CredentialChain()
    expiration = chain.credentials().expiration
    assert pyiamauth.rds_token(HOST, 5432, "u", None, chain, time=expiration - 1)
    with pytest.raises(pyiamauth.IamAuthError) as err:
        pyiamauth.rds_token(HOST, 5432, "u", None, chain, time=expiration)
    assert err.value.code == "INVALID_CREDENTIALS"


def test_the_token_provider_refreshes_when_the_chains_credentials_near_expiry(env):
    clock = Clock()
    t0 = clock.now
    e = serve(env, lambda: clock.now + 1200)  # each answer is good for 20 minutes
    try:
        chain = pyiamauth.CredentialChain(clock=clock)
        p = pyiamauth.TokenProvider(HOST, 5432, "iam_user", credentials=chain, clock=clock)
        assert e.requests == 0  # not resolved when the provider is made
        first = p()
        assert "SESSION1" in first and e.requests == 1
        # The core's refresh point of a 900 s token: 600 s. Until then, the cached token.
        clock.now = t0 + 599
        assert p() == first and e.requests == 1
        # Then a new token; the chain's credentials have 600 s left (< 15 min): fetched again.
        clock.now = t0 + 600
        second = p()
        assert second != first and "SESSION2" in second and e.requests == 2
        assert pyiamauth.inspect(second, now=clock.now).status == "valid"
        assert chain.credentials().expiration == t0 + 1800
    finally:
        e.close()


def test_the_token_provider_never_passes_the_chains_expiration(env):
    clock = Clock()
    t0 = clock.now
    e = serve(env, lambda: t0 + 1000)  # the endpoint keeps answering the same expiration
    try:
        chain = pyiamauth.CredentialChain(clock=clock)
        p = pyiamauth.TokenProvider(HOST, 5432, "iam_user", credentials=chain, clock=clock,
                                    expires_in=900)
        seen = set()
        for t in range(t0, t0 + 1000, 7):
            clock.now = t
            token = p()
            info = pyiamauth.inspect(token, now=t)
            assert info.status == "valid"
            seen.add(info.signed_at)
        assert len(seen) > 3
        # At the expiration the chain refuses what the endpoint hands over: no token.
        clock.now = t0 + 1000
        with pytest.raises(pyiamauth.IamAuthError) as err:
            p()
        assert err.value.code == "INVALID_CREDENTIALS" and "expired" in err.value.message
    finally:
        e.close()


def test_the_async_provider_takes_the_chain(endpoint):
    chain = pyiamauth.CredentialChain()

    async def main():
        p = pyiamauth.AsyncTokenProvider(HOST, 5432, "iam_user", credentials=chain)
        return await asyncio.gather(p(), p())

    a, b = asyncio.run(main())
    assert a == b and "SESSION1" in a
    assert endpoint.requests == 1


# --- concurrency ----------------------------------------------------------------------------------

def test_two_threads_resolving_at_once_share_one_request(env):
    e = serve(env, lambda: int(time.time()) + 3600, delay=0.5)
    try:
        chain = pyiamauth.CredentialChain()
        barrier = threading.Barrier(2)
        results, errors = [], []

        def resolve():
            barrier.wait()
            try:
                results.append(chain.credentials())
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=resolve) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert not errors
        assert len(results) == 2
        assert results[0].expiration == results[1].expiration
        assert e.requests == 1
    finally:
        e.close()
