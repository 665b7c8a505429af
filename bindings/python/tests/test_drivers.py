"""The driver hooks (no server): ``psycopg_pool_kwargs`` (psycopg_pool's ``kwargs`` callable) and
``RedisCredentialProvider`` (redis-py's ``CredentialProvider``): their shapes, their caching (the
token providers' rule, driven by a fake clock) and their refusals of wrong types and values.
The drivers themselves log in, across token expiry, in tests/e2e/drivers/python_*.py."""

import asyncio
import inspect
import os
import subprocess
import sys

import pytest
import redis
import redis.asyncio

import pyiamauth

T0 = 1704164645
HOST = "mydb.123456789012.us-east-1.rds.amazonaws.com"
AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


class Clock:
    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now


def creds():
    return pyiamauth.Credentials(AKID, SECRET)


def redis_provider(clock, **kw):
    kw.setdefault("credentials", creds())
    return pyiamauth.RedisCredentialProvider("my-cache", "iam-user-01", "us-east-1", clock=clock, **kw)


# --- psycopg_pool_kwargs ----------------------------------------------------------------------

def test_psycopg_pool_kwargs_with_a_token_provider_is_a_plain_function():
    clock = Clock()
    provider = pyiamauth.TokenProvider(HOST, 5432, "iam_user", "us-east-1", creds(), clock=clock)
    kwargs = pyiamauth.psycopg_pool_kwargs(provider, sslmode="verify-full", sslrootcert="ca.pem")
    assert callable(kwargs) and not inspect.iscoroutinefunction(kwargs)
    first = kwargs()
    assert set(first) == {"sslmode", "sslrootcert", "password"}
    assert (first["sslmode"], first["sslrootcert"]) == ("verify-full", "ca.pem")
    info = pyiamauth.inspect(first["password"], now=T0)
    assert (info.kind, info.host, info.port, info.user, info.status) == (
        "rds", HOST, 5432, "iam_user", "valid")
    assert kwargs()["password"] == first["password"]  # the provider's cached token
    assert kwargs() is not kwargs()  # a new dict each time: the pool may change it
    clock.now += 900  # past the refresh point: a new token
    assert kwargs()["password"] != first["password"]


def test_psycopg_pool_kwargs_with_an_async_provider_is_a_coroutine_function():
    clock = Clock()
    provider = pyiamauth.AsyncTokenProvider(HOST, 5432, "iam_user", "us-east-1", creds(), clock=clock)
    kwargs = pyiamauth.psycopg_pool_kwargs(provider, sslmode="verify-full")

    async def run():
        return await kwargs(), await kwargs()

    assert inspect.iscoroutinefunction(kwargs)
    a, b = asyncio.run(run())
    assert a == b and a["sslmode"] == "verify-full"
    assert pyiamauth.inspect(a["password"], now=T0).status == "valid"


@pytest.mark.parametrize("provider", [None, "token", lambda: "token", object()])
def test_psycopg_pool_kwargs_refuses_what_is_not_a_provider(provider):
    with pytest.raises(pyiamauth.IamAuthTypeError) as e:
        pyiamauth.psycopg_pool_kwargs(provider)
    assert e.value.code == "INVALID_REQUEST" and isinstance(e.value, TypeError)
    assert "TokenProvider" in str(e.value)


def test_psycopg_pool_kwargs_refuses_a_password():
    provider = pyiamauth.TokenProvider(HOST, 5432, "iam_user", "us-east-1", creds())
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.psycopg_pool_kwargs(provider, password="secret")
    assert e.value.code == "INVALID_REQUEST" and not isinstance(e.value, TypeError)
    assert "secret" not in str(e.value)


# --- RedisCredentialProvider ------------------------------------------------------------------

def test_redis_credential_provider_is_redis_pys():
    p = redis_provider(Clock())
    assert isinstance(p, redis.CredentialProvider)
    # redis-py takes it as is (no connection is made here).
    redis.Redis(credential_provider=p).close()
    assert repr(p) == "RedisCredentialProvider(user='iam-user-01')"


@pytest.mark.parametrize("options,service,serverless", [
    ({}, "elasticache", False),
    ({"service": "memorydb"}, "memorydb", False),
    ({"serverless": True}, "elasticache", True),
])
def test_redis_get_credentials_is_user_and_token(options, service, serverless):
    p = redis_provider(Clock(), **options)
    user, token = p.get_credentials()
    assert user == "iam-user-01"
    info = pyiamauth.inspect(token, now=T0)
    assert (info.kind, info.host, info.user, info.region, info.service, info.serverless) == (
        "elasticache", "my-cache", "iam-user-01", "us-east-1", service, serverless)
    assert info.status == "valid" and info.expires_in == pyiamauth.DEFAULT_EXPIRES_IN
    assert token == pyiamauth.elasticache_token("my-cache", "iam-user-01", "us-east-1", creds(),
                                                time=T0, **options)


def test_redis_tokens_are_cached_until_the_refresh_point():
    clock = Clock()
    p = redis_provider(clock, expires_in=60)
    _, first = p.get_credentials()
    clock.now = pyiamauth.refresh_at(T0, 60) - 1
    assert p.get_credentials()[1] == first
    clock.now += 1
    _, second = p.get_credentials()
    assert second != first and pyiamauth.inspect(second).signed_at == clock.now
    p.invalidate()
    assert p.get_credentials()[1] == second  # same second, same signature: re-signed all the same
    assert pyiamauth.inspect(p.get_credentials()[1], now=clock.now).status == "valid"


def test_redis_get_credentials_async():
    clock = Clock()
    p = redis_provider(clock, service="memorydb")

    async def run():
        return await asyncio.gather(*(p.get_credentials_async() for _ in range(5)))

    answers = asyncio.run(run())
    assert len({a for a in answers}) == 1
    user, token = answers[0]
    assert user == "iam-user-01" and pyiamauth.inspect(token, now=T0).service == "memorydb"
    # redis.asyncio takes it too.
    assert redis.asyncio.Redis(credential_provider=p) is not None


def test_redis_credentials_from_the_environment(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", AKID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    p = pyiamauth.RedisCredentialProvider("my-cache", "iam-user-01", "us-east-1")
    assert pyiamauth.inspect(p.get_credentials()[1]).access_key_id == AKID


@pytest.mark.parametrize("args,kwargs,code,is_type", [
    ((1, "u", "us-east-1"), {}, "INVALID_HOST", True),
    (("my-cache", None, "us-east-1"), {}, "INVALID_USER", True),
    (("my-cache", "u", None), {}, "INVALID_REGION", True),
    (("my-cache", "u", "us-east-1"), {"service": "rds-db"}, "INVALID_SERVICE", False),
    (("my-cache", "u", "us-east-1"), {"expires_in": 901}, "INVALID_EXPIRY", False),
    (("my-cache", "u", "us-east-1"), {"expires_in": "900"}, "INVALID_EXPIRY", True),
    (("my-cache", "u", "us-east-1"), {"serverless": "yes"}, "INVALID_REQUEST", True),
    (("my-cache", "u", "us-east-1"), {"clock": 5}, "INVALID_REQUEST", True),
])
def test_redis_provider_misconfiguration_fails_when_made(args, kwargs, code, is_type):
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.RedisCredentialProvider(*args, credentials=creds(), **kwargs)
    assert e.value.code == code, str(e.value)
    assert isinstance(e.value, TypeError) == is_type


def test_import_pyiamauth_does_not_import_redis():
    code = ("import sys, pyiamauth; assert 'redis' not in sys.modules; "
            "pyiamauth.RedisCredentialProvider; assert 'redis' in sys.modules")
    # A wrapper named by the harness where this interpreter cannot be exec'd (aarch64 under qemu).
    subprocess.run([os.environ.get("IAMAUTH_TEST_PYTHON", sys.executable), "-c", code], check=True)


def test_the_hooks_are_public_names():
    assert {"RedisCredentialProvider", "psycopg_pool_kwargs"} <= set(pyiamauth.__all__)
    with pytest.raises(AttributeError):
        pyiamauth.no_such_name  # noqa: B018
