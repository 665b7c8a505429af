"""Amazon MSK tokens for Kafka clients (SASL/OAUTHBEARER): ``MskTokenProvider``, one object that
is confluent-kafka-python's ``oauth_cb`` and kafka-python's ``sasl_oauth_token_provider``.

Loaded at first use of ``pyiamauth.MskTokenProvider`` (so ``import pyiamauth`` imports no Kafka
client). The caching, the locking and the refresh rule are the token providers' (``providers``:
the core's ``reuse_until`` / ``may_reuse``); the token and its expiry are ``msk_token``'s.
"""

from abc import ABCMeta
from typing import Any, Callable, Dict, Optional, Tuple

from ._native import DEFAULT_EXPIRES_IN, msk_token
from .providers import _Sync


def _kafka_python_base() -> type:
    """kafka-python's ``AbstractTokenProvider`` (which its OAUTHBEARER mechanism checks with
    ``isinstance``), wherever the installed version keeps it: ``kafka.net.sasl.oauth`` (3.x),
    ``kafka.sasl.oauth`` (2.1 to 2.3), ``kafka.oauth.abstract`` (1.4.7 to 2.0). ``object`` when
    kafka-python is not installed: the provider is then duck-typed (``token()``,
    ``extensions()``)."""
    import importlib

    for module in ("kafka.net.sasl.oauth", "kafka.sasl.oauth", "kafka.oauth.abstract"):
        try:
            base = getattr(importlib.import_module(module), "AbstractTokenProvider", None)
        except ImportError:
            continue
        if isinstance(base, type):
            return base
    return object


def _msk_signer(region: str, expires_in: int,
                user_agent: Optional[str]) -> Callable[[Any, int], Tuple[str, int]]:
    def sign(creds: Any, time: int) -> Tuple[str, int]:
        return msk_token(region, creds, time=time, expires_in=expires_in, user_agent=user_agent)
    return sign


# ABCMeta whatever the base (kafka-python's is an ABC), so the class is the same kind of class
# with kafka-python installed or not.
class MskTokenProvider(_Sync, _kafka_python_base(), metaclass=ABCMeta):  # type: ignore[misc]
    """A thread-safe source of Amazon MSK IAM tokens for Kafka's SASL/OAUTHBEARER, cached until
    the core's refresh point (as ``TokenProvider``'s RDS tokens), in the two shapes the Python
    Kafka clients take:

    - confluent-kafka-python: ``"oauth_cb": provider`` (with ``"sasl.mechanism": "OAUTHBEARER"``):
      ``provider(config)`` returns ``(token, expiry)``, ``expiry`` in unix seconds (a float), as
      confluent-kafka documents ``oauth_cb``; ``config`` (``sasl.oauthbearer.config``) is ignored.
    - kafka-python: ``sasl_oauth_token_provider=provider``: ``provider.token()`` returns the
      token; ``extensions()`` returns ``{}``. A subclass of kafka-python's
      ``AbstractTokenProvider`` when kafka-python is installed.

    ``region``: the cluster's region. ``credentials``: as ``TokenProvider``'s (None: the AWS_*
    environment variables; a ``pyiamauth.Credentials``, a ``pyiamauth.CredentialChain``, botocore
    credentials, or a callable returning one of these), resolved at each refresh, their
    expiration honoured. ``expires_in``: the token's lifetime (1 to 900 seconds, default
    ``DEFAULT_EXPIRES_IN``); ``user_agent``: the token's User-Agent (default ``MSK_USER_AGENT``).
    Wrong arguments raise ``IamAuthError`` (a wrong type ``IamAuthTypeError``) when the provider
    is made. ``expiration`` and ``clock`` as ``TokenProvider``'s.
    """

    def __init__(
        self,
        region: str,
        credentials: Any = None,
        *,
        expires_in: int = DEFAULT_EXPIRES_IN,
        user_agent: Optional[str] = None,
        clock: Optional[Callable[[], Any]] = None,
        expiration: Any = None,
    ) -> None:
        super().__init__(_msk_signer(region, expires_in, user_agent), credentials, expires_in,
                         clock, expiration)

    def __call__(self, config: Any = None) -> Tuple[str, float]:  # type: ignore[override]
        """confluent-kafka's ``oauth_cb``: ``(token, expiry in unix seconds)``."""
        token, expiry_ms = self.token_and_expiry()
        return token, expiry_ms / 1000

    def token_and_expiry(self) -> Tuple[str, int]:
        """``(token, expiry_ms)``, as ``pyiamauth.msk_token`` returns them (the expiry in unix
        milliseconds): the cached token, or a new one."""
        token, expiry_ms = self._get()
        return token, expiry_ms

    def token(self) -> str:
        """kafka-python's ``AbstractTokenProvider.token()``: the token."""
        return self.token_and_expiry()[0]

    def extensions(self) -> Dict[str, str]:
        """kafka-python's SASL extensions: none (MSK takes none)."""
        return {}
