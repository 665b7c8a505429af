"""TokenProvider / AsyncTokenProvider: reuse until the core's refresh point, never an expired
token, never past the credentials' expiration, one refresh for concurrent callers. A fake clock
drives every test (the tokens are then checked with ``inspect`` at that clock's time)."""

import asyncio
import datetime
import threading
import time

import botocore.credentials
import pytest

import pyiamauth

T0 = 1704164645  # 2024-01-02T03:04:05Z, the demo vector's time
HOST = "mydb.123456789012.us-east-1.rds.amazonaws.com"
AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
UTC = datetime.timezone.utc


class Clock:
    """A clock the test moves by hand; returns unix seconds, or an aware datetime."""

    def __init__(self, now=T0, as_datetime=False):
        self.now = now
        self.as_datetime = as_datetime

    def __call__(self):
        if self.as_datetime:
            return datetime.datetime.fromtimestamp(self.now, UTC)
        return self.now


def creds():
    return pyiamauth.Credentials(AKID, SECRET)


def provider(clock, **kw):
    kw.setdefault("credentials", creds())
    return pyiamauth.TokenProvider(HOST, 5432, "iam_user", "us-east-1", clock=clock, **kw)


def usable(token, now):
    info = pyiamauth.inspect(token, now=now)
    return info.status == "valid", info


# --- the rule ---------------------------------------------------------------------------------

def test_reuse_until_and_may_reuse_are_the_cores_rule():
    from pyiamauth import _native
    assert _native.reuse_until(1000, 900) == 1600 == pyiamauth.refresh_at(1000, 900)
    assert _native.reuse_until(1000, 900, None) == 1600
    assert _native.reuse_until(1000, 60) == 1030
    assert _native.reuse_until(1000, 900, 1300) == 1200
    at = datetime.datetime.fromtimestamp(1000, UTC)
    assert _native.reuse_until(at, 900, at + datetime.timedelta(seconds=300)) == 1200
    # Credentials already expired when signing: the core's error, code and message.
    for expiration in (1000, 999, at):
        with pytest.raises(pyiamauth.IamAuthError) as err:
            _native.reuse_until(1000, 900, expiration)
        e = err.value
        assert (e.code, e.message) == (
            "INVALID_CREDENTIALS",
            "credentials: expired (their expiration has passed), so no token made with them "
            "would be accepted")
        assert not isinstance(e, TypeError)
    with pytest.raises(pyiamauth.IamAuthTypeError) as err:
        _native.reuse_until(None, 900)
    assert err.value.code == "INVALID_TIME"
    with pytest.raises(pyiamauth.IamAuthTypeError) as err:
        _native.reuse_until(1000, "900")
    assert err.value.code == "INVALID_EXPIRY"
    assert _native.may_reuse(1000, 1000, 1600)
    assert _native.may_reuse(1599, 1000, 1600)
    assert not _native.may_reuse(1600, 1000, 1600)
    assert not _native.may_reuse(999, 1000, 1600)  # the clock went back
    assert _native.may_reuse(at, 1000, 1600)
    with pytest.raises(pyiamauth.IamAuthTypeError) as err:
        _native.may_reuse(None, 1000, 1600)
    assert err.value.code == "INVALID_TIME"


def test_the_providers_expired_error_is_the_cores():
    clock = Clock()
    p = provider(clock, expiration=T0)
    with pytest.raises(pyiamauth.IamAuthError) as from_provider:
        p()
    with pytest.raises(pyiamauth.IamAuthError) as from_core:
        pyiamauth._native.reuse_until(T0, pyiamauth.DEFAULT_EXPIRES_IN, T0)
    assert (from_provider.value.code, from_provider.value.message) == (
        from_core.value.code, from_core.value.message)


def test_providers_read_the_region_from_the_host():
    clock = Clock()
    c = creds()
    expected = pyiamauth.rds_token(HOST, 5432, "iam_user", "us-east-1", c, time=T0)
    assert pyiamauth.TokenProvider(HOST, 5432, "iam_user", credentials=c, clock=clock)() == expected
    assert pyiamauth.TokenProvider(HOST, 5432, "iam_user", None, c, clock=clock)() == expected

    async def main():
        p = pyiamauth.AsyncTokenProvider(HOST, 5432, "iam_user", credentials=c, clock=clock)
        return await p()

    assert asyncio.run(main()) == expected
    # Positional calls with a region are as before.
    assert pyiamauth.TokenProvider(HOST, 5432, "iam_user", "us-east-1", c, clock=clock)() == expected


def test_refresh_at_is_the_cores_rule():
    assert pyiamauth.refresh_at(1000, 900) == 1600
    assert pyiamauth.refresh_at(1000, 120) == 1060
    assert pyiamauth.refresh_at(1000, 60) == 1030
    assert pyiamauth.refresh_at(1000, 900, 1300) == 1200
    assert pyiamauth.refresh_at(1000, 900, None) == 1600
    assert pyiamauth.refresh_at(1000, 900, 1000) <= 1000
    at = datetime.datetime.fromtimestamp(1000, UTC)
    assert pyiamauth.refresh_at(at, 900, at + datetime.timedelta(seconds=300)) == 1200
    assert pyiamauth.refresh_at(1000.9, 900) == 1600
    with pytest.raises(TypeError):
        pyiamauth.refresh_at(None, 900)
    with pytest.raises(TypeError):
        pyiamauth.refresh_at(1000, 900.0)
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.refresh_at(datetime.datetime(2024, 1, 1), 900)
    assert e.value.code == "INVALID_TIME"


# --- TokenProvider ----------------------------------------------------------------------------

@pytest.mark.parametrize("as_datetime", [False, True])
def test_every_second_of_an_hour(as_datetime):
    clock = Clock(as_datetime=as_datetime)
    asked = []

    def source():
        asked.append(clock.now)
        return creds()

    p = provider(clock, credentials=source)
    assert asked == []  # lazy: nothing is signed for real until the first call
    tokens = []
    for t in range(T0, T0 + 3600):
        clock.now = t
        token = p()
        ok, info = usable(token, t)
        assert ok, (t, info)
        assert info.seconds_left >= 300, (t, info)  # a third of 900 s
        if not tokens or tokens[-1] != token:
            tokens.append(token)
    # Signed at T0, T0+600, ..., T0+3000: once per 600 s, exactly at the rule's point.
    assert asked == [T0 + 600 * k for k in range(6)]
    assert len(tokens) == 6
    assert [pyiamauth.inspect(tok).signed_at for tok in tokens] == asked


def test_refresh_point_of_a_120_s_token():
    clock = Clock()
    p = provider(clock, expires_in=120)
    first = p()
    assert pyiamauth.inspect(first).expires_in == 120
    clock.now = T0 + 59
    assert p() is first
    clock.now = T0 + 60  # a minute left: replaced
    second = p()
    assert second != first and pyiamauth.inspect(second).signed_at == T0 + 60


def test_refresh_point_of_a_60_s_token_is_half_way():
    clock = Clock()
    p = provider(clock, expires_in=60)
    first = p()
    clock.now = T0 + 29
    assert p() is first
    clock.now = T0 + 30
    assert p() != first


def test_explicit_expiration_is_never_passed():
    clock = Clock()
    p = provider(clock, expiration=T0 + 300)
    handed = set()
    for t in range(T0, T0 + 300):
        clock.now = t
        token = p()
        handed.add(token)
        ok, info = usable(token, t)
        assert ok and t < T0 + 300
    # 100 s before they expire, then shorter and shorter: 200, 250, 275, ...
    signed = sorted(pyiamauth.inspect(tok).signed_at for tok in handed)
    assert signed[:4] == [T0, T0 + 200, T0 + 250, T0 + 275]
    clock.now = T0 + 300
    with pytest.raises(pyiamauth.IamAuthError) as e:
        p()
    assert e.value.code == "INVALID_CREDENTIALS"
    # An aware datetime works too.
    clock.now = T0
    q = provider(clock, expiration=datetime.datetime.fromtimestamp(T0 + 300, UTC))
    q()
    clock.now = T0 + 200
    assert pyiamauth.inspect(q()).signed_at == T0 + 200


def test_botocore_refreshable_credentials_expiring_soon():
    clock = Clock()
    now = lambda: datetime.datetime.fromtimestamp(clock.now, UTC)  # noqa: E731
    refreshes = []

    def refresh():
        refreshes.append(clock.now)
        return {"access_key": "ASIAEXAMPLE", "secret_key": SECRET, "token": "SESSION%d" % clock.now,
                "expiry_time": (now() + datetime.timedelta(seconds=1000)).isoformat()}

    bc = botocore.credentials.RefreshableCredentials(
        "ASIAEXAMPLE", SECRET, "SESSION0", now() + datetime.timedelta(seconds=300), refresh,
        "test", time_fetcher=now)
    # botocore refreshes only in the expiration's last second, so the provider alone keeps
    # tokens inside it (botocore's own 0 would hand out credentials AT their expiration).
    bc._advisory_refresh_timeout = 1
    bc._mandatory_refresh_timeout = 1
    p = provider(clock, credentials=bc)
    for t in range(T0, T0 + 1800):
        clock.now = t
        token = p()
        ok, info = usable(token, t)
        assert ok, (t, info)
        assert t < bc._expiry_time.timestamp()
        # The token carries the session token of credentials that have not expired at t.
        assert info.has_session_token
    assert refreshes == [T0 + 300, T0 + 1300]
    assert pyiamauth.inspect(p()).signed_at >= T0 + 1300


def test_concurrent_callers_share_one_refresh():
    clock = Clock()
    calls = []
    gate = threading.Barrier(16)

    def slow():
        calls.append(1)
        time.sleep(0.05)
        return creds()

    p = provider(clock, credentials=slow)
    results = []

    def worker():
        gate.wait()
        results.append(p())

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(calls) == 1
    assert len(set(results)) == 1 and len(results) == 16
    # A refresh point passed under load: again one refresh.
    clock.now = T0 + 600
    gate.reset()
    results.clear()
    threads = [threading.Thread(target=worker) for _ in range(16)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(calls) == 2 and len(set(results)) == 1


def test_environment_credentials_and_invalidate(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", AKID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    clock = Clock()
    p = pyiamauth.TokenProvider(HOST, 5432, "iam_user", "us-east-1", clock=clock)
    token = p()
    assert token == pyiamauth.rds_token(HOST, 5432, "iam_user", "us-east-1", creds(), time=T0)
    p.invalidate()
    clock.now = T0 + 1
    assert pyiamauth.inspect(p()).signed_at == T0 + 1


def test_clock_going_back_is_not_served_a_future_token():
    clock = Clock(T0 + 100)
    p = provider(clock)
    p()
    clock.now = T0
    assert pyiamauth.inspect(p()).signed_at == T0


def test_system_clock_by_default():
    p = pyiamauth.TokenProvider(HOST, 5432, "iam_user", "us-east-1", creds())
    token = p()
    assert p() is token
    assert abs(pyiamauth.inspect(token).signed_at - time.time()) < 5


def test_misconfiguration_fails_at_construction():
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.TokenProvider(HOST, 0, "iam_user", "us-east-1", creds())
    assert e.value.code == "INVALID_PORT"
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.TokenProvider(HOST, 5432, "iam_user", "us-east-1", creds(), expires_in=901)
    assert e.value.code == "INVALID_EXPIRY"
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.AsyncTokenProvider("", 5432, "iam_user", "us-east-1", creds())
    assert e.value.code == "INVALID_HOST"
    with pytest.raises(TypeError):
        pyiamauth.TokenProvider(HOST, 5432, "iam_user", "us-east-1", creds(), clock=5)
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.TokenProvider(HOST, 5432, "iam_user", "us-east-1", creds(),
                              expiration=datetime.datetime(2024, 1, 1))
    assert e.value.code == "INVALID_TIME"
    with pytest.raises(pyiamauth.IamAuthError) as e:
        provider(Clock(), credentials=pyiamauth.Credentials("AKID", "secret", ""))()
    assert e.value.code == "INVALID_CREDENTIALS"


def test_sync_provider_refuses_async_credentials():
    async def source():
        return creds()

    p = provider(Clock(), credentials=source)
    with pytest.raises(TypeError, match="AsyncTokenProvider"):
        p()


# --- AsyncTokenProvider -----------------------------------------------------------------------

def test_async_reuse_refresh_and_one_refresh_for_many_awaiters():
    clock = Clock()
    calls = []

    async def source():
        calls.append(clock.now)
        await asyncio.sleep(0.02)
        return creds()

    p = pyiamauth.AsyncTokenProvider(HOST, 5432, "iam_user", "us-east-1", source, clock=clock)

    async def main():
        tokens = await asyncio.gather(*(p() for _ in range(20)))
        assert len(set(tokens)) == 1 and len(calls) == 1
        first = tokens[0]
        for t in range(T0, T0 + 3600):
            clock.now = t
            token = await p()
            ok, info = usable(token, t)
            assert ok and info.seconds_left >= 300, (t, info)
        assert calls == [T0 + 600 * k for k in range(6)]
        clock.now = T0 + 3600
        tokens = await asyncio.gather(*(p() for _ in range(20)))
        assert len(set(tokens)) == 1 and len(calls) == 7 and tokens[0] != first

    asyncio.run(main())


def test_async_credentials_forms_and_expiration():
    clock = Clock()

    class AioLike:
        """aiobotocore's credentials: get_frozen_credentials is a coroutine."""

        _expiry_time = datetime.datetime.fromtimestamp(T0 + 300, UTC)

        async def get_frozen_credentials(self):
            return botocore.credentials.ReadOnlyCredentials("ASIAEXAMPLE", SECRET, "SESSION")

    async def main():
        for source in (creds(), lambda: creds(), AioLike()):
            clock.now = T0
            p = pyiamauth.AsyncTokenProvider(HOST, 5432, "iam_user", "us-east-1", source,
                                           clock=clock, expires_in=120)
            token = await p()
            clock.now = T0 + 59
            assert await p() is token
            clock.now = T0 + 60
            assert await p() != token
        p = pyiamauth.AsyncTokenProvider(HOST, 5432, "iam_user", "us-east-1", AioLike(), clock=clock)
        clock.now = T0
        token = await p()
        assert pyiamauth.inspect(token).has_session_token
        clock.now = T0 + 199
        assert await p() is token
        clock.now = T0 + 200  # 100 s before the credentials expire
        assert await p() != token
        clock.now = T0 + 300
        with pytest.raises(pyiamauth.IamAuthError) as e:
            await p()
        assert e.value.code == "INVALID_CREDENTIALS"

    asyncio.run(main())


def test_async_cancelled_awaiter_does_not_cancel_the_shared_refresh():
    async def source():
        await asyncio.sleep(0.05)
        return creds()

    p = pyiamauth.AsyncTokenProvider(HOST, 5432, "iam_user", "us-east-1", source, clock=Clock())

    async def main():
        a = asyncio.ensure_future(p())
        b = asyncio.ensure_future(p())
        await asyncio.sleep(0.01)
        a.cancel()
        token = await b
        assert pyiamauth.inspect(token).signed_at == T0
        with pytest.raises(asyncio.CancelledError):
            await a

    asyncio.run(main())
