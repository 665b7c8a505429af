"""Token providers: the password source of a connection pool. Each hands out one cached RDS token
and signs a new one at the core's refresh point (``_native.reuse_until``: ``refresh_at``, when
less than a third of the token's usable life or a minute is left, whichever comes first, never
past the credentials' expiration; and ``INVALID_CREDENTIALS`` when they have already expired), as
long as ``_native.may_reuse`` says so. Only the caching, the locking and async live here; the
rule, its error, the defaults and the time conversions are the core's.

    >>> provider = pyiamauth.TokenProvider("mydb.example.com", 5432, "app_user", "us-east-1")
    >>> psycopg2.connect(host=..., user="app_user", password=provider(), sslmode="verify-full")

A provider checks its arguments when it is made, with the codes of ``rds_token``: a wrong value
raises ``IamAuthError``, a wrong Python type (``port="5432"``) ``IamAuthTypeError``.
"""

import asyncio
import inspect as _inspect
import threading
from typing import Any, Awaitable, Callable, Optional, Tuple, Union

from ._native import (
    DEFAULT_EXPIRES_IN,
    CredentialChain,
    Credentials,
    IamAuthError,
    IamAuthTypeError,
    may_reuse,
    rds_token,
    reuse_until,
    unix_time_of,
)

__all__ = ["AsyncTokenProvider", "TokenProvider"]

# Signs once at construction so that a misconfigured host, port, user, region or expiry fails at
# startup with its code, not at the first connection. The key is never used to connect.
_PROBE = Credentials("AKIDPROBE", "probe")


def _error(cls: type, code: str, message: str) -> IamAuthError:
    """An ``IamAuthError`` (or ``IamAuthTypeError``) as the native module makes them."""
    err: IamAuthError = cls(f"{code}: {message}")
    err.code = code
    err.message = message
    return err


def _fixed(creds: Any) -> bool:
    """Credentials that are read as they are (``pyiamauth.Credentials``, a frozen botocore tuple,
    or not credentials at all), rather than None, a callable, a ``CredentialChain`` (resolved at
    each refresh, not when the provider is made) or something botocore refreshes: those can be
    checked, type and value, when the provider is made."""
    return (creds is not None and not callable(creds)
            and not isinstance(creds, CredentialChain)
            and not hasattr(type(creds), "get_frozen_credentials"))


def _expiration_of(creds: Any) -> Any:
    """The expiration a credentials object knows: botocore's (and aiobotocore's)
    RefreshableCredentials keep it in ``_expiry_time`` (an aware datetime); other objects (such
    as ``pyiamauth.Credentials``, what a ``CredentialChain`` returns) may have ``expiration``.
    None: unknown (never expires, as far as the provider can tell)."""
    for name in ("_expiry_time", "expiration"):
        value = getattr(creds, name, None)
        if value is not None and not callable(value):
            return value
    return None


def _frozen(creds: Any) -> Any:
    """botocore's RefreshableCredentials refreshes in ``get_frozen_credentials()``: freeze it here
    so that the key signed with and the expiration read come from the same refresh."""
    freeze = getattr(creds, "get_frozen_credentials", None)
    return freeze() if callable(freeze) else creds


def _earliest(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return a if unix_time_of(a) <= unix_time_of(b) else b


class _Base:
    """The cache, the clock and the checks shared by every provider; ``sign(credentials, time)``
    makes one token (``rds_token`` or ``elasticache_token`` with the provider's arguments; for
    ``MskTokenProvider``, ``msk_token``'s ``(token, expiry_ms)``), cached as it is."""

    def __init__(
        self,
        sign: Callable[[Any, int], Any],
        credentials: Any,
        expires_in: int,
        clock: Optional[Callable[[], Any]],
        expiration: Any,
    ) -> None:
        if clock is not None and not callable(clock):
            raise _error(IamAuthTypeError, "INVALID_REQUEST",
                         f"clock: expected a callable returning unix seconds or an aware "
                         f"datetime, got {type(clock).__name__}")
        self._sign = sign
        self._credentials = credentials
        self._expires_in = expires_in
        self._clock = clock
        self._expiration = expiration
        if expiration is not None:
            unix_time_of(expiration, "expiration")  # an unreadable expiration fails now
        sign(credentials if _fixed(credentials) else _PROBE, self._now())
        self._token: Any = None
        self._signed_at = 0
        self._reuse_until = 0

    def _now(self) -> int:
        if self._clock is None:
            return unix_time_of(None)
        return unix_time_of(self._clock(), "clock()")

    def _cached(self, now: int) -> Any:
        if self._token is not None and may_reuse(now, self._signed_at, self._reuse_until):
            return self._token
        return None

    def _mint(self, creds: Any, expiration: Any) -> Any:
        """Signs at the clock's time with resolved credentials and caches the token."""
        now = self._now()
        token = self._sign(creds, now)
        # The core's decision; expired credentials raise its INVALID_CREDENTIALS here.
        until = reuse_until(now, self._expires_in, _earliest(self._expiration, expiration))
        self._token, self._signed_at, self._reuse_until = token, now, until
        return token

    def invalidate(self) -> None:
        """Forgets the cached token (e.g. after the database refused it)."""
        self._token = None


class _Sync(_Base):
    """The thread-safe cache: ``provider()`` under a lock."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._lock = threading.Lock()

    def _resolve(self) -> Tuple[Any, Any]:
        source = self._credentials
        if callable(source) and not isinstance(source, Credentials):
            source = source()
            if _inspect.isawaitable(source):
                if hasattr(source, "close"):
                    source.close()  # no "never awaited" warning
                raise _error(IamAuthTypeError, "INVALID_CREDENTIALS",
                             "credentials: the callable returned an awaitable; use "
                             "pyiamauth.AsyncTokenProvider for async credentials")
        if isinstance(source, CredentialChain):
            source = source.credentials()  # cached by the chain; carries its expiration
        frozen = _frozen(source)
        return frozen, _expiration_of(source)

    def __call__(self) -> str:
        token: str = self._get()
        return token

    def _get(self) -> Any:
        """The cached value, or a new one signed now."""
        with self._lock:
            cached = self._cached(self._now())
            if cached is not None:
                return cached
            creds, expiration = self._resolve()
            return self._mint(creds, expiration)


class _Async(_Base):
    """The asyncio cache: ``await provider()``; concurrent awaiters share one refresh."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._pending: Optional["asyncio.Future[str]"] = None

    async def _refresh(self) -> str:
        try:
            source = self._credentials
            if callable(source) and not isinstance(source, Credentials):
                source = source()
            if _inspect.isawaitable(source):
                source = await source
            if isinstance(source, CredentialChain):
                # The chain may do network I/O (it releases the GIL): off the event loop.
                source = await asyncio.get_running_loop().run_in_executor(None, source.credentials)
            frozen: Union[Any, Awaitable[Any]] = _frozen(source)
            if _inspect.isawaitable(frozen):
                frozen = await frozen
            return self._mint(frozen, _expiration_of(source))
        finally:
            self._pending = None

    async def __call__(self) -> str:
        cached = self._cached(self._now())
        if cached is not None:
            return cached
        if self._pending is None:
            self._pending = asyncio.ensure_future(self._refresh())
        # shield: one caller's cancellation does not cancel the refresh the others await.
        return await asyncio.shield(self._pending)


def _rds_signer(host: str, port: int, user: str, region: Optional[str],
                expires_in: int) -> Callable[[Any, int], str]:
    def sign(creds: Any, time: int) -> str:
        return rds_token(host, port, user, region, creds, expires_in=expires_in, time=time)
    return sign


class TokenProvider(_Sync):
    """A thread-safe, callable source of RDS / Aurora IAM tokens: ``provider()`` returns the
    cached token until the core's refresh point, then signs a new one with fresh credentials.
    Concurrent callers share one refresh.

    ``region``: None reads it from an RDS endpoint host (``IamAuthError`` ``INVALID_REGION`` when
    the host names none), as ``rds_token`` does.
    ``credentials``: None (the AWS_* environment variables only, read at each refresh),
    ``pyiamauth.Credentials`` (an ``expiration`` given to it is honoured), a
    ``pyiamauth.CredentialChain`` (the whole AWS chain without botocore, resolved at each refresh,
    its credentials' expiration honoured), a botocore / boto3 credentials object such as
    ``boto3.Session().get_credentials()`` (for ~/.aws profiles, SSO and roles; botocore refreshes
    RefreshableCredentials and their expiration is honoured), or a callable returning one of
    these.
    ``port`` is an ``int``; arguments of a wrong type raise ``IamAuthTypeError`` (a ``TypeError``)
    with the argument's code, wrong values ``IamAuthError``, both when the provider is made.
    ``expiration``: when the credentials expire (unix seconds or an aware datetime), if the
    provider cannot read it from them. ``clock``: returns unix seconds or an aware datetime
    (default: the system clock); for tests.
    """

    def __init__(
        self,
        host: str,
        port: int,
        user: str,
        region: Optional[str] = None,
        credentials: Any = None,
        *,
        expires_in: int = DEFAULT_EXPIRES_IN,
        clock: Optional[Callable[[], Any]] = None,
        expiration: Any = None,
    ) -> None:
        super().__init__(_rds_signer(host, port, user, region, expires_in), credentials,
                         expires_in, clock, expiration)


class AsyncTokenProvider(_Async):
    """The asyncio form of :class:`TokenProvider` (e.g. asyncpg's ``password=provider``):
    ``await provider()``. Concurrent awaiters share one refresh. ``credentials`` may also be an
    async callable returning credentials, or aiobotocore's credentials (whose
    ``get_frozen_credentials`` is a coroutine); a ``CredentialChain`` is resolved in the event
    loop's default executor."""

    def __init__(
        self,
        host: str,
        port: int,
        user: str,
        region: Optional[str] = None,
        credentials: Any = None,
        *,
        expires_in: int = DEFAULT_EXPIRES_IN,
        clock: Optional[Callable[[], Any]] = None,
        expiration: Any = None,
    ) -> None:
        super().__init__(_rds_signer(host, port, user, region, expires_in), credentials,
                         expires_in, clock, expiration)
