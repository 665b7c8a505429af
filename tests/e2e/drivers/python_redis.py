"""redis-py with pyiamauth.RedisCredentialProvider (redis-py's CredentialProvider) against the
ElastiCache and MemoryDB stand-ins (tests/e2e/resp_server.py: AUTH checked by this project's
verify, each connection closed 4 s after its AUTH): redis.Redis and redis.asyncio.Redis
authenticate, reconnect after the server dropped them with a NEW token once the first (3 s)
expired (the RESP log: two OK AUTHs with different token hashes, then the first token refused
as EXPIRED_TOKEN), and are refused with a wrong key. The code is bindings/python/README.md's
redis block."""
import asyncio
import os
import time

import pyiamauth
import redis
import redis.asyncio

from python_readme import REGION, SKIP_POOLS, check, done, readme_block, resp_log, sha256

NAME = os.environ["E2E_RESP_NAME"]
CACHE_USER = os.environ["E2E_RESP_USER"]
PORTS = {"elasticache": int(os.environ["E2E_RESP_ELASTICACHE_PORT"]),
         "memorydb": int(os.environ["E2E_RESP_MEMORYDB_PORT"])}


class Recording(pyiamauth.RedisCredentialProvider):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen = []

    def get_credentials(self):
        user, token = super().get_credentials()
        self.seen.append(token)
        return user, token

    async def get_credentials_async(self):
        user, token = await super().get_credentials_async()
        self.seen.append(token)
        return user, token


def readme(service, credentials):
    return readme_block("RedisCredentialProvider(", CACHE_HOST="127.0.0.1", CACHE_PORT=PORTS[service],
                        TLS={}, credentials=credentials)


def provider(service, **kwargs):
    return Recording(NAME, CACHE_USER, REGION, service=service, **kwargs)


def new_auths(service, before):
    return resp_log(service)[before:]


def expect_refused_now(service, token, code):
    """A new connection AUTHs with `token`: refused, and the log says why."""
    r = redis.Redis(host="127.0.0.1", port=PORTS[service], username=CACHE_USER, password=token)
    try:
        r.ping()
    except redis.AuthenticationError:
        pass
    else:
        raise AssertionError("the token was accepted")
    finally:
        r.close()
    last = resp_log(service)[-1]
    assert last["code"] == code and last["token"] == sha256(token), f"RESP log's last AUTH: {last}"


def login(service):
    before = len(resp_log(service))
    creds = provider(service)
    client = readme(service, creds)["client"]
    try:
        assert client.ping() is True
        client.set("iamauth", service)
        assert client.get("iamauth") == service.encode()
    finally:
        client.close()
    auths = new_auths(service, before)
    assert [a["code"] for a in auths] == ["OK"], auths
    assert auths[0]["user"] == CACHE_USER and auths[0]["token"] == sha256(creds.seen[0])


async def async_login(service):
    before = len(resp_log(service))
    creds = provider(service)
    client = readme(service, creds)["async_client"]
    try:
        assert await client.ping() is True
    finally:
        await client.aclose()
    assert [a["code"] for a in new_auths(service, before)] == ["OK"]


def expect_reconnected(service, before, creds):
    auths = [a for a in new_auths(service, before) if a["code"] == "OK"]
    assert len(auths) >= 2, f"{len(auths)} OK AUTHs: the client did not reconnect"
    assert auths[0]["token"] != auths[-1]["token"], "the reconnect reused the first token"
    assert auths[-1]["token"] == sha256(creds.seen[-1])
    first = creds.seen[0]
    assert auths[0]["token"] == sha256(first)
    assert pyiamauth.inspect(first).status == "expired"
    expect_refused_now(service, first, "EXPIRED_TOKEN")


def across_expiry(service):
    before = len(resp_log(service))
    creds = provider(service, expires_in=3)
    client = readme(service, creds)["client"]
    try:
        assert client.ping() is True
        time.sleep(4.8)  # the token (3 s) expired; the server closed the connection (4 s)
        assert client.ping() is True  # redis-py reconnects: get_credentials() again
    finally:
        client.close()
    expect_reconnected(service, before, creds)


async def async_across_expiry(service):
    before = len(resp_log(service))
    creds = provider(service, expires_in=3)
    client = readme(service, creds)["async_client"]
    try:
        assert await client.ping() is True
        await asyncio.sleep(4.8)
        assert await client.ping() is True
    finally:
        await client.aclose()
    expect_reconnected(service, before, creds)


def wrong_key(service):
    creds = provider(service, credentials=pyiamauth.Credentials(
        os.environ["AWS_ACCESS_KEY_ID"], "not-the-secret-key-of-this-access-key-id"))
    client = readme(service, creds)["client"]
    try:
        client.ping()
    except redis.AuthenticationError:
        pass
    else:
        raise AssertionError("a token signed with a wrong key was accepted")
    finally:
        client.close()
    last = resp_log(service)[-1]
    assert last["code"] == "SIGNATURE_MISMATCH" and last["token"] == sha256(creds.seen[-1]), last


if __name__ == "__main__":
    v = redis.__version__
    for svc in ("elasticache", "memorydb"):
        check(f"Python: redis-py {v} RedisCredentialProvider, {svc} stand-in: AUTH user token", login, svc)
        check(f"Python: redis-py {v} asyncio, RedisCredentialProvider.get_credentials_async, {svc}",
              async_login, svc)
        if not SKIP_POOLS:
            check(f"Python: redis-py {v}, {svc}: dropped 4 s after AUTH, reconnects with a new token "
                  "(3 s tokens; the first then refused, EXPIRED_TOKEN)", across_expiry, svc)
            check(f"Python: redis-py {v} asyncio, {svc}: reconnects with a new token after expiry",
                  async_across_expiry, svc)
        check(f"Python: redis-py {v}, {svc}: a token signed with a wrong key is refused "
              "(SIGNATURE_MISMATCH)", wrong_key, svc)
    done()
