"""AWS IAM database authentication tokens (RDS / Aurora, Aurora DSQL, ElastiCache / MemoryDB),
byte for byte what botocore's ``generate_db_auth_token`` makes, and Amazon EKS and MSK tokens (as
``aws eks get-token`` and aws-msk-iam-sasl-signer-python make them), from a small Rust core.

    >>> import pyiamauth
    >>> creds = pyiamauth.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    >>> token = pyiamauth.rds_token("mydb.example.com", 5432, "app_user", "us-east-1", creds)

``credentials`` may also be a ``pyiamauth.CredentialChain`` (the standard AWS credential chain
without botocore: the environment, ``~/.aws`` profiles with ``credential_process``, SSO and roles,
web identity, the ECS / EKS container endpoint, IMDS; cached, resolved at each call), a botocore /
boto3 credentials object, or None for the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
AWS_SESSION_TOKEN environment variables only (``CredentialChain()`` is the full chain).
``region`` may be left out (None) for an RDS or DSQL endpoint host, which names its region.

    >>> chain = pyiamauth.CredentialChain()  # or CredentialChain(profile="dev")
    >>> token = pyiamauth.rds_token("mydb.example.com", 5432, "app_user", "us-east-1", chain)

Errors: ``pyiamauth.IamAuthError`` (a ``ValueError``) with ``.code``, the same code names as every
other binding. An argument of the wrong Python type (``port="5432"``, a ``Credentials`` where the
region goes) raises ``pyiamauth.IamAuthTypeError``, an ``IamAuthError`` with the argument's code
(``INVALID_PORT``, ``INVALID_REGION``, ...) that is also a ``TypeError``. A port is an ``int``:
convert a ``str`` from the environment with ``int(...)``. ``pyiamauth.ERROR_CODES`` is the core's
table of every code: ``{name: (number, description)}``, in number order (the numbers are the C
ABI's).

EKS: ``pyiamauth.eks_token(cluster, region, credentials)`` is the ``k8s-aws-v1.`` token kubectl
sends; ``pyiamauth.eks_exec_credential(...)`` the ``ExecCredential`` dict ``aws eks get-token``
prints (``json.dumps`` it in a kubeconfig ``exec:`` plugin). MSK (Kafka SASL/OAUTHBEARER):
``pyiamauth.msk_token(region, credentials)`` returns ``(token, expiry_ms)`` as
aws-msk-iam-sasl-signer-python's ``generate_auth_token`` does; ``pyiamauth.MskTokenProvider``
caches it and is both confluent-kafka's ``oauth_cb`` and kafka-python's
``sasl_oauth_token_provider``. ``inspect`` and ``verify`` read EKS and MSK tokens as they are
(``verify(..., cluster=...)`` for an EKS token).

The core's defaults: ``DEFAULT_EXPIRES_IN`` (a token's ``expires_in``), ``DEFAULT_SKEW`` and
``DEFAULT_SERVICE`` (``verify``'s ``skew`` and ``service``).

For a connection pool, ``pyiamauth.TokenProvider`` (threads) and ``pyiamauth.AsyncTokenProvider``
(asyncio) cache one token and replace it at the core's refresh point (``pyiamauth.refresh_at``).
An ``AsyncTokenProvider`` is asyncpg's ``password`` as it is (asyncpg awaits what the callable
returns, at each new connection). ``pyiamauth.psycopg_pool_kwargs`` is psycopg_pool's ``kwargs``
callable, ``pyiamauth.RedisCredentialProvider`` redis-py's ``CredentialProvider`` for ElastiCache
and MemoryDB (both loaded at first use, so ``import pyiamauth`` does not import redis).
"""

from typing import TYPE_CHECKING, Any

from ._native import (
    DEFAULT_EXPIRES_IN,
    DEFAULT_SERVICE,
    DEFAULT_SKEW,
    ERROR_CODES,
    EXEC_CREDENTIAL_API_VERSION,
    MSK_USER_AGENT,
    CredentialChain,
    Credentials,
    IamAuthError,
    IamAuthTypeError,
    Identity,
    TokenInfo,
    __version__,
    dsql_token,
    eks_exec_credential,
    eks_token,
    elasticache_token,
    inspect,
    msk_token,
    rds_token,
    refresh_at,
    verify,
)
from .providers import AsyncTokenProvider, TokenProvider

if TYPE_CHECKING:
    from ._drivers import RedisCredentialProvider, psycopg_pool_kwargs
    from ._kafka import MskTokenProvider


def __getattr__(name: str) -> Any:
    # The driver hooks: their module imports redis (when installed), so only on first use.
    if name in ("RedisCredentialProvider", "psycopg_pool_kwargs"):
        from . import _drivers

        return getattr(_drivers, name)
    if name == "MskTokenProvider":
        # Its base class is kafka-python's when that is installed: imported on first use.
        from . import _kafka

        return _kafka.MskTokenProvider
    raise AttributeError(f"module 'pyiamauth' has no attribute {name!r}")

__all__ = [
    "DEFAULT_EXPIRES_IN",
    "DEFAULT_SERVICE",
    "DEFAULT_SKEW",
    "ERROR_CODES",
    "EXEC_CREDENTIAL_API_VERSION",
    "MSK_USER_AGENT",
    "AsyncTokenProvider",
    "CredentialChain",
    "Credentials",
    "IamAuthError",
    "IamAuthTypeError",
    "Identity",
    "MskTokenProvider",
    "RedisCredentialProvider",
    "TokenInfo",
    "TokenProvider",
    "__version__",
    "dsql_token",
    "eks_exec_credential",
    "eks_token",
    "elasticache_token",
    "inspect",
    "msk_token",
    "psycopg_pool_kwargs",
    "rds_token",
    "refresh_at",
    "verify",
]
