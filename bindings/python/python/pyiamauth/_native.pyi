"""Type stubs of the native module; import from ``pyiamauth``, not from here."""

import datetime
from typing import (
    Any,
    Callable,
    Dict,
    Literal,
    Mapping,
    Optional,
    Protocol,
    Tuple,
    TypedDict,
    Union,
    final,
)

__version__: str
__all__ = [
    "DEFAULT_EXPIRES_IN",
    "DEFAULT_SERVICE",
    "DEFAULT_SKEW",
    "ERROR_CODES",
    "EXEC_CREDENTIAL_API_VERSION",
    "MSK_USER_AGENT",
    "CredentialChain",
    "Credentials",
    "IamAuthError",
    "IamAuthTypeError",
    "Identity",
    "TokenInfo",
    "__version__",
    "dsql_token",
    "eks_exec_credential",
    "eks_token",
    "elasticache_token",
    "inspect",
    "may_reuse",
    "msk_token",
    "rds_token",
    "refresh_at",
    "reuse_until",
    "unix_time_of",
    "verify",
]

DEFAULT_EXPIRES_IN: int
"""A token's lifetime in seconds unless ``expires_in`` is given (the core's ``DEFAULT_EXPIRY``)."""
DEFAULT_SKEW: int
"""The seconds ``verify`` accepts a token signed in the future of ``now`` unless ``skew`` is given."""
DEFAULT_SERVICE: str
"""The service ``verify`` expects when ``service`` is None (RDS / Aurora's)."""
MSK_USER_AGENT: str
"""The User-Agent ``msk_token`` writes into a token unless ``user_agent`` is given
(``iamauth/<version>``)."""
EXEC_CREDENTIAL_API_VERSION: str
"""The ``apiVersion`` of ``eks_exec_credential``'s ``ExecCredential`` unless ``api_version`` is
given: ``client.authentication.k8s.io/v1beta1``, as ``aws eks get-token`` writes it."""
ERROR_CODES: Dict[str, Tuple[int, str]]
"""Every error code of the core, ``{name: (number, description)}`` in number order: the ``.code``
names ``IamAuthError`` carries, the numbers of the C ABI, one sentence each."""

_Time = Union[int, float, datetime.datetime, None]
"""Unix seconds (floats are floored) or a timezone-aware datetime; None means now."""

class _BotocoreLike(Protocol):
    """botocore's Credentials, ReadOnlyCredentials and RefreshableCredentials (and boto3's)."""

    @property
    def access_key(self) -> Optional[str]: ...
    @property
    def secret_key(self) -> Optional[str]: ...
    @property
    def token(self) -> Optional[str]: ...

_AnyCredentials = Union["Credentials", "CredentialChain", _BotocoreLike, None]
"""A ``CredentialChain`` is resolved (from its cache) at each call. None reads AWS_ACCESS_KEY_ID /
AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (only those: for ~/.aws profiles, SSO or roles pass
``pyiamauth.CredentialChain()`` or ``boto3.Session().get_credentials()``)."""

class IamAuthError(ValueError):
    """An input the core rejects."""

    code: str
    """The stable code name, e.g. ``INVALID_PORT``."""
    message: str
    """What is wrong, e.g. ``port: must be an integer from 1 to 65535``."""

class IamAuthTypeError(IamAuthError, TypeError):
    """An argument of the wrong Python type, e.g. ``port="5432"`` or a ``Credentials`` passed
    where the region goes: an :class:`IamAuthError` with the argument's code (``INVALID_PORT``,
    ``INVALID_REGION``, ...), that is also a ``TypeError``. The message names the argument, the
    type expected and the type received (never the value) and says how to fix it, e.g.
    ``port: expected an int, got str; convert it with int(...)``."""

@final
class Credentials:
    """AWS credentials; ``repr()`` shows the access key id (and the expiration) only."""

    def __new__(
        cls,
        access_key_id: str,
        secret_access_key: str,
        session_token: Optional[str] = None,
        *,
        expiration: _Time = None,
    ) -> "Credentials": ...
    @property
    def access_key_id(self) -> str: ...
    @property
    def has_session_token(self) -> bool: ...
    @property
    def expiration(self) -> Optional[int]:
        """When they expire, unix seconds (None: long-term keys, or unknown). Signing at or after
        it raises ``IamAuthError`` ``INVALID_CREDENTIALS``; the token providers never hand out a
        token past it."""

@final
class CredentialChain:
    """The standard AWS credential chain, in the AWS CLI's order, behind a cache: what
    ``boto3.Session().get_credentials()`` finds, without botocore. The environment's keys
    (``AWS_ACCESS_KEY_ID``, ...), the profile (``AWS_PROFILE`` or ``profile``; ``AWS_CONFIG_FILE``,
    ``AWS_SHARED_CREDENTIALS_FILE``: static keys, ``credential_process``, SSO, ``role_arn``, web
    identity), web identity (EKS IRSA), the container endpoint (ECS, EKS Pod Identity), IMDSv2.

    Pass it wherever credentials are taken (``rds_token(..., credentials=chain)``, the token
    providers): it is resolved at each call, from its cache (kept until 15 minutes before the
    credentials expire; concurrent callers share one fetch). Thread-safe; resolving releases the
    GIL and may do blocking network I/O (IMDS, STS, SSO, the container endpoint) or run a
    ``credential_process``. It reads the process environment when it resolves.

    No credentials anywhere, or a configured source that fails: ``IamAuthError``
    ``INVALID_CREDENTIALS`` naming each source tried and why (never a secret).
    ``repr()`` shows the profile and the last source only."""

    def __new__(
        cls, profile: Optional[str] = None, *, clock: Optional[Callable[[], _Time]] = None
    ) -> "CredentialChain":
        """``profile``: as the AWS CLI's ``--profile`` (it wins over ``AWS_PROFILE``; the
        environment's keys are then not used). ``clock``: returns unix seconds or an aware
        datetime (default: the system clock), read at each ``credentials()``; for tests."""
    def credentials(self) -> Credentials:
        """The credentials (with their ``expiration``), from the cache or fetched now."""
    @property
    def source(self) -> Optional[str]:
        """Which source answered last (``environment``, ``profile dev (credentials file)``,
        ``container endpoint``, ``IMDS``, ...); None before the first ``credentials()``."""
    @property
    def profile(self) -> Optional[str]:
        """The profile given (None: ``AWS_PROFILE``, else ``default``)."""

@final
class TokenInfo:
    """The fields of a token and its validity at the ``now`` given to ``inspect``.
    ``repr()`` leaves out the signature."""

    @property
    def kind(self) -> Literal["rds", "dsql", "elasticache", "eks", "msk"]: ...
    @property
    def host(self) -> str: ...
    @property
    def port(self) -> Optional[int]: ...
    @property
    def user(self) -> Optional[str]: ...
    @property
    def action(self) -> str: ...
    @property
    def serverless(self) -> bool: ...
    @property
    def region(self) -> str: ...
    @property
    def service(self) -> str: ...
    @property
    def access_key_id(self) -> str: ...
    @property
    def signed_at(self) -> int: ...
    @property
    def expires_in(self) -> int: ...
    @property
    def expires_at(self) -> int: ...
    @property
    def has_session_token(self) -> bool: ...
    @property
    def signature(self) -> str: ...
    @property
    def status(self) -> Literal["valid", "expired", "not_yet_valid"]: ...
    @property
    def seconds_left(self) -> Optional[int]: ...
    @property
    def seconds_ago(self) -> Optional[int]: ...
    @property
    def starts_in(self) -> Optional[int]: ...

def rds_token(
    host: str,
    port: int,
    user: str,
    region: Optional[str] = None,
    credentials: _AnyCredentials = None,
    *,
    expires_in: int = ...,
    time: _Time = None,
) -> str:
    """An RDS / Aurora IAM authentication token (``aws rds generate-db-auth-token``).
    ``region=None``: the one the RDS endpoint host names (``INVALID_REGION`` if it names none);
    ``expires_in`` defaults to ``DEFAULT_EXPIRES_IN``.

    ``port`` is an ``int`` (a ``str`` such as ``"5432"`` is ``INVALID_PORT``). A wrong Python type
    raises :class:`IamAuthTypeError` with the argument's code; a wrong value
    :class:`IamAuthError`."""

def dsql_token(
    host: str,
    region: Optional[str] = None,
    credentials: _AnyCredentials = None,
    *,
    admin: bool = False,
    expires_in: int = ...,
    time: _Time = None,
) -> str:
    """An Aurora DSQL token: ``DbConnectAdmin`` if ``admin`` else ``DbConnect``.
    ``region=None``: the one the DSQL endpoint host names (``INVALID_REGION`` if it names none);
    ``expires_in`` defaults to ``DEFAULT_EXPIRES_IN``."""

def elasticache_token(
    name: str,
    user: str,
    region: str,
    credentials: _AnyCredentials = None,
    *,
    serverless: bool = False,
    service: Literal["elasticache", "memorydb"] = "elasticache",
    expires_in: int = ...,
    time: _Time = None,
) -> str:
    """An ElastiCache or MemoryDB IAM authentication token (``expires_in`` defaults to
    ``DEFAULT_EXPIRES_IN``)."""

def eks_token(
    cluster: str,
    region: str,
    credentials: _AnyCredentials = None,
    *,
    sts_endpoint: Literal["regional", "global"] = "regional",
    time: _Time = None,
) -> str:
    """An Amazon EKS token (``k8s-aws-v1.`` + URL-safe base64 of a presigned STS
    ``GetCallerIdentity`` URL signing ``x-k8s-aws-id: cluster``), byte for byte awscli's
    ``aws eks get-token``. ``sts_endpoint="global"``: the legacy ``sts.amazonaws.com`` where
    botocore's ``sts_regional_endpoints = legacy`` sends the region (another value:
    ``INVALID_REQUEST``). A bad cluster name is ``INVALID_CLUSTER``."""

class _ExecCredentialStatus(TypedDict):
    expirationTimestamp: str
    token: str

_ExecCredential = TypedDict(
    "_ExecCredential",
    {"kind": str, "apiVersion": str, "spec": Dict[str, Any], "status": _ExecCredentialStatus},
)
"""The ``ExecCredential`` kubectl's exec plugin reads."""

def eks_exec_credential(
    cluster: str,
    region: str,
    credentials: _AnyCredentials = None,
    *,
    sts_endpoint: Literal["regional", "global"] = "regional",
    time: _Time = None,
    api_version: str = ...,
) -> _ExecCredential:
    """``eks_token``'s token in the ``ExecCredential`` ``aws eks get-token`` prints:
    ``{"kind": "ExecCredential", "apiVersion": api_version, "spec": {}, "status":
    {"expirationTimestamp": "<signing time + 14 min, RFC 3339 UTC>", "token": ...}}``;
    ``api_version`` defaults to ``EXEC_CREDENTIAL_API_VERSION`` (a kubectl exec plugin takes
    the one ``KUBERNETES_EXEC_INFO`` names)."""

def msk_token(
    region: str,
    credentials: _AnyCredentials = None,
    *,
    time: _Time = None,
    expires_in: int = ...,
    user_agent: Optional[str] = None,
) -> Tuple[str, int]:
    """An Amazon MSK IAM token for Kafka's SASL/OAUTHBEARER and its expiry in unix milliseconds,
    ``(token, expiry_ms)``, as aws-msk-iam-sasl-signer-python's ``generate_auth_token`` returns
    them (the token: URL-safe base64 of the presigned ``kafka-cluster:Connect`` URL, with
    ``User-Agent`` appended unsigned). ``expires_in``: 1 to 900 seconds (default
    ``DEFAULT_EXPIRES_IN``); ``user_agent``: default ``MSK_USER_AGENT`` (printable ASCII, 1 to
    256 characters: ``INVALID_USER_AGENT``)."""

def inspect(token: str, *, now: _Time = None) -> TokenInfo:
    """Reads a token back (``IamAuthError`` MALFORMED_TOKEN if it is not one). EKS and MSK tokens
    are read as they are (their base64 decoded first)."""

@final
class Identity:
    """Who signed a verified token and what it grants."""

    @property
    def kind(self) -> Literal["rds", "dsql", "elasticache", "eks", "msk"]: ...
    @property
    def access_key_id(self) -> str: ...
    @property
    def user(self) -> Optional[str]: ...
    @property
    def action(self) -> str: ...
    @property
    def host(self) -> str: ...
    @property
    def port(self) -> Optional[int]: ...
    @property
    def region(self) -> str: ...
    @property
    def service(self) -> str: ...
    @property
    def signed_at(self) -> int: ...
    @property
    def expires_at(self) -> int: ...

_Keys = Union[
    str,
    "Credentials",
    Mapping[str, _AnyCredentials],
    Callable[[str], _AnyCredentials],
]
"""A keys file's JSON text (``{"AKID": {"secret_access_key": ..., "session_token": ...,
"users": [...], "hosts": [...]}}``: ``users`` and ``hosts`` are optional grants, exact names or a
prefix ending in ``*``), one key, a mapping of access key id to credentials, or a lookup (a key
given any way but the keys file's text has no grants: any user and host; one with ``users`` or
``hosts`` attributes is refused with INVALID_CREDENTIALS, not taken without them)."""

def verify(
    token: str,
    keys: _Keys,
    *,
    host: Optional[str] = None,
    port: Optional[int] = None,
    user: Optional[str] = None,
    action: Optional[str] = None,
    region: Optional[str] = None,
    service: Optional[str] = None,
    cluster: Optional[str] = None,
    skew: int = ...,
    now: _Time = None,
) -> Identity:
    """Verifies a token as the database would (``IamAuthError`` with the failed check's code; a
    malformed expectation first, under its own code: ``host="bad host"`` is ``INVALID_HOST``).
    ``action`` is ``"DbConnect"`` or ``"DbConnectAdmin"`` (DSQL; ``WRONG_ACTION`` for another
    token); a keys file's ``users`` / ``hosts`` grants refuse others with ``USER_NOT_ALLOWED`` /
    ``HOST_NOT_ALLOWED``. ``service=None`` expects ``DEFAULT_SERVICE`` (an EKS token needs
    ``service="sts"``, an MSK token ``service="kafka-cluster"``); ``skew`` defaults to
    ``DEFAULT_SKEW``. An EKS token signs its cluster without carrying it: ``cluster`` is required
    for one (``INVALID_CLUSTER`` without; another cluster's token is ``SIGNATURE_MISMATCH``)."""

def refresh_at(
    signed_at: Union[int, float, datetime.datetime],
    expires_in: int,
    credentials_expiration: _Time = None,
) -> int:
    """The unix second from which a cached token must be replaced (the core's refresh rule)."""

def reuse_until(
    signed_at: Union[int, float, datetime.datetime],
    expires_in: int,
    credentials_expiration: _Time = None,
) -> int:
    """Until when a token just signed at ``signed_at`` may be handed out again: ``refresh_at``, but
    ``IamAuthError`` ``INVALID_CREDENTIALS`` when the credentials have already expired (the
    token providers' rule, the core's)."""

def may_reuse(
    now: Union[int, float, datetime.datetime],
    signed_at: Union[int, float, datetime.datetime],
    reuse_until: Union[int, float, datetime.datetime],
) -> bool:
    """Whether a token cached at ``signed_at``, reusable until ``reuse_until``, may be handed out
    at ``now`` (not after the clock went back before ``signed_at``)."""

def unix_time_of(value: _Time = None, name: Optional[str] = None) -> int:
    """``value`` as whole unix seconds; None is the current time. ``name``: the argument's name
    in messages (default ``time``)."""
