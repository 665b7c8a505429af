"""Driver hooks in the shape each driver expects, over the token providers (thin: the caching
and the refresh rule are the providers', the rules the core's).

- ``psycopg_pool_kwargs``: psycopg_pool's ``kwargs`` as a callable (psycopg_pool 3.3+ calls it for
  each new connection; ``AsyncConnectionPool`` awaits an async one).
- ``RedisCredentialProvider``: redis-py's ``CredentialProvider`` (``get_credentials`` and
  ``get_credentials_async``) for ElastiCache and MemoryDB. It subclasses redis-py's class when
  redis is installed; without it, the same two methods serve clients that duck-type it
  (valkey-py's ``CredentialProvider`` has the same interface).

asyncpg needs no helper: its ``password`` may be a callable returning an awaitable, which an
``AsyncTokenProvider`` is (``asyncpg.connect(..., password=provider)``).
"""

from typing import Any, Awaitable, Callable, Dict, Optional, Tuple, Union

from ._native import DEFAULT_EXPIRES_IN, IamAuthError, IamAuthTypeError, elasticache_token
from .providers import AsyncTokenProvider, TokenProvider, _Async, _error, _Sync

try:  # redis-py is optional: subclass its CredentialProvider when it is there.
    from redis.credentials import CredentialProvider as _RedisBase
except ImportError:  # pragma: no cover - exercised only without redis installed
    _RedisBase = object  # type: ignore[assignment,misc]

__all__ = ["RedisCredentialProvider", "psycopg_pool_kwargs"]


def psycopg_pool_kwargs(
    provider: Union[TokenProvider, AsyncTokenProvider], **kwargs: Any
) -> Union[Callable[[], Dict[str, Any]], Callable[[], Awaitable[Dict[str, Any]]]]:
    """psycopg_pool's ``kwargs=`` as a callable: ``kwargs`` plus ``password``, the provider's
    (cached) token, each time the pool opens a connection. A ``TokenProvider`` gives a plain
    function (``ConnectionPool``), an ``AsyncTokenProvider`` an async one
    (``AsyncConnectionPool``).

        pool = psycopg_pool.ConnectionPool(conninfo, kwargs=pyiamauth.psycopg_pool_kwargs(
            provider, sslmode="verify-full", sslrootcert="global-bundle.pem"))

    Another provider type raises ``IamAuthTypeError`` ``INVALID_REQUEST``, a ``password`` in
    ``kwargs`` ``IamAuthError`` ``INVALID_REQUEST`` (the token is the password)."""
    if "password" in kwargs:
        raise _error(IamAuthError, "INVALID_REQUEST",
                     "password: the token is the password; leave it out of kwargs")
    fixed = dict(kwargs)
    if isinstance(provider, AsyncTokenProvider):
        async_provider = provider

        async def async_kwargs() -> Dict[str, Any]:
            return {**fixed, "password": await async_provider()}

        return async_kwargs
    if isinstance(provider, TokenProvider):
        sync_provider = provider

        def sync_kwargs() -> Dict[str, Any]:
            return {**fixed, "password": sync_provider()}

        return sync_kwargs
    raise _error(IamAuthTypeError, "INVALID_REQUEST",
                 f"provider: expected a pyiamauth.TokenProvider or AsyncTokenProvider, "
                 f"got {type(provider).__name__}")


class RedisCredentialProvider(_RedisBase):  # type: ignore[misc,valid-type]
    """redis-py's ``CredentialProvider`` for ElastiCache / MemoryDB IAM authentication:
    ``get_credentials()`` (and ``await get_credentials_async()``, what ``redis.asyncio`` calls)
    return ``(user, token)``, the token cached until the core's refresh point, as the token
    providers do. redis-py asks at each new connection, so a client that reconnects after its
    connection was closed (ElastiCache closes IAM connections after 12 hours) presents a fresh
    token.

        r = redis.Redis(host=..., port=6379, ssl=True, credential_provider=
                        pyiamauth.RedisCredentialProvider("my-cache", "iam-user-01", "us-east-1"))

    ``name``, ``user``, ``region``, ``serverless``, ``service`` (``"elasticache"`` or
    ``"memorydb"``; None: the core's default, ElastiCache) and ``expires_in`` are
    ``elasticache_token``'s; ``credentials``, ``clock`` and ``expiration`` the token providers'.
    Wrong values raise ``IamAuthError``, wrong types ``IamAuthTypeError``, when it is made."""

    def __init__(
        self,
        name: str,
        user: str,
        region: str,
        credentials: Any = None,
        *,
        service: Optional[str] = None,
        serverless: bool = False,
        expires_in: int = DEFAULT_EXPIRES_IN,
        clock: Optional[Callable[[], Any]] = None,
        expiration: Any = None,
    ) -> None:
        options: Dict[str, Any] = {"serverless": serverless, "expires_in": expires_in}
        if service is not None:  # not given: the core's default service
            options["service"] = service

        def sign(creds: Any, time: int) -> str:
            return elasticache_token(name, user, region, creds, time=time, **options)

        self._user = user
        # One cache for threads, one for the event loop (each signs its own first token).
        self._sync = _Sync(sign, credentials, expires_in, clock, expiration)
        self._async = _Async(sign, credentials, expires_in, clock, expiration)

    def get_credentials(self) -> Tuple[str, str]:
        """``(user, token)``: the cached token, or a new one past the refresh point."""
        return self._user, self._sync()

    async def get_credentials_async(self) -> Tuple[str, str]:
        """``(user, token)`` for ``redis.asyncio``; credentials are resolved off the loop."""
        return self._user, await self._async()

    def invalidate(self) -> None:
        """Forgets the cached tokens (e.g. after the cache refused one)."""
        self._sync.invalidate()
        self._async.invalidate()

    def __repr__(self) -> str:
        return f"RedisCredentialProvider(user={self._user!r})"
