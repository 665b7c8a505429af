#!/usr/bin/env python3
"""Writes tests/vectors/{tokens,errors,layouts,verify,eks,msk}.json: the cross-language vectors.

Expected tokens come from botocore (pinned below), installed from PyPI into a throwaway venv,
with its clock frozen per case; the intermediate SigV4 steps are recorded from inside botocore.
Nothing here computes a signature itself.

    python3 tests/vectors/generate.py          # regenerate (creates and removes a venv)
    python3 tests/vectors/generate.py --check  # regenerate in memory and diff with the files

Error cases are this project's input rules (README "Input rules"), one invalid field per case.
eks.json comes from awscli's TokenGenerator (`aws eks get-token`) on the same botocore, checked
against the botocore that awscli bundles; msk.json from aws-msk-iam-sasl-signer-python (pinned
beside botocore) and aws-msk-iam-sasl-signer-js (npm, pinned by msk-js/package-lock.json and
installed there with `npm ci`; needs node and npm), each with its clock frozen per case.
Verify cases are botocore's tokens (or a described change of one) with the verifier's keys,
expectations and clock, and what `verify` must answer: the identity, or the first failed check's
code (core/src/verify.rs gives the order).
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import botocore_venv  # noqa: E402

# AWS's documented example credentials (fake).
AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
# A 744-character STS-shaped session token with '/', '+' and '=' in it (fake, deterministic).
LONG_TOKEN = (
    "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+EXAMPLE/tokenPart+with=signs"
    + "".join(f"Zm9vYmFy{i:03d}/+=EXAMPLE" for i in range(28))
    + "A" * 20
    + "=="
)
DEMO_TIME = "2024-01-02T03:04:05Z"


def unix(rfc3339):
    import datetime

    dt = datetime.datetime.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ")
    return int(dt.replace(tzinfo=datetime.timezone.utc).timestamp())


class Frozen:
    """Freezes botocore's clock at `when` and records the SigV4 steps it computes."""

    def __init__(self, when):
        self.when = when
        self.steps = {}

    def __enter__(self):
        import datetime
        from unittest import mock

        import botocore.auth as auth

        frozen = datetime.datetime.fromtimestamp(unix(self.when), datetime.timezone.utc)
        frozen = frozen.replace(tzinfo=None)
        steps = self.steps
        cls = auth.SigV4QueryAuth
        originals = (cls.canonical_request, cls.string_to_sign, cls.signature)

        def canonical_request(inner, request):
            steps["canonical_request"] = originals[0](inner, request)
            return steps["canonical_request"]

        def string_to_sign(inner, request, canonical):
            steps["string_to_sign"] = originals[1](inner, request, canonical)
            return steps["string_to_sign"]

        def signature(inner, sts, request):
            steps["signature"] = originals[2](inner, sts, request)
            return steps["signature"]

        self.patches = [
            mock.patch.object(auth, "get_current_datetime", lambda *a, **k: frozen),
            mock.patch.object(cls, "canonical_request", canonical_request),
            mock.patch.object(cls, "string_to_sign", string_to_sign),
            mock.patch.object(cls, "signature", signature),
        ]
        for p in self.patches:
            p.start()
        return self

    def __exit__(self, *exc):
        for p in reversed(self.patches):
            p.stop()


def credentials(case):
    from botocore.credentials import Credentials

    return Credentials(case["access_key_id"], case["secret_access_key"], case.get("session_token"))


def client(service, case):
    import botocore.session

    session = botocore.session.get_session()
    return session.create_client(
        service,
        region_name=case["region"],
        aws_access_key_id=case["access_key_id"],
        aws_secret_access_key=case["secret_access_key"],
        aws_session_token=case.get("session_token"),
    )


def rds(case):
    """botocore's generate_db_auth_token; for expiries other than its fixed 900, the same body
    with `expires_in` changed (botocore offers no parameter for it)."""
    if case["expires_in"] == 900:
        rds_client = client("rds", case)
        return rds_client.generate_db_auth_token(
            DBHostname=case["host"], Port=case["port"], DBUsername=case["user"], Region=case["region"]
        ), "botocore generate_db_auth_token"
    from botocore.awsrequest import prepare_request_dict

    rds_client = client("rds", case)
    request_dict = {
        "url_path": "/",
        "query_string": "",
        "headers": {},
        "body": {"Action": "connect", "DBUser": case["user"]},
        "method": "GET",
    }
    prepare_request_dict(request_dict, f"https://{case['host']}:{case['port']}")
    url = rds_client._request_signer.generate_presigned_url(
        operation_name="connect",
        request_dict=request_dict,
        region_name=case["region"],
        expires_in=case["expires_in"],
        signing_name="rds-db",
    )
    return url[len("https://"):], "botocore generate_db_auth_token's body with expires_in changed"


def dsql(case):
    dsql_client = client("dsql", case)
    method = (
        dsql_client.generate_db_connect_admin_auth_token
        if case["action"] == "DbConnectAdmin"
        else dsql_client.generate_db_connect_auth_token
    )
    return method(case["host"], case["region"], case["expires_in"]), (
        f"botocore generate_db_connect{'_admin' if case['action'] == 'DbConnectAdmin' else ''}_auth_token"
    )


def elasticache(case):
    """AWS's documented recipe: presign GET http://{name}/?Action=connect&User=... with botocore's
    RequestSigner (SigV4QueryAuth) and strip the scheme."""
    from urllib.parse import quote

    import botocore.session
    from botocore.model import ServiceId
    from botocore.signers import RequestSigner

    session = botocore.session.get_session()
    service = case["service"]
    signer = RequestSigner(
        ServiceId(service), case["region"], service, "v4", credentials(case),
        session.get_component("event_emitter"),
    )
    query = f"Action=connect&User={quote(case['user'], safe='')}"
    if case["serverless"]:
        query += "&ResourceType=ServerlessCache"
    url = signer.generate_presigned_url(
        {"method": "GET", "url": f"http://{case['name']}/?{query}", "body": {}, "headers": {}, "context": {}},
        operation_name="connect",
        expires_in=case["expires_in"],
        region_name=case["region"],
    )
    return url[len("http://"):], f"botocore RequestSigner ({service}) presign of GET http://name/?Action=connect&User=..."


def base(**kw):
    case = {"access_key_id": AKID, "secret_access_key": SECRET, "session_token": None, "region": "us-east-1",
            "time": DEMO_TIME, "expires_in": 900}
    case.update(kw)
    return case


DEMO_HOST = "mydb.123456789012.us-east-1.rds.amazonaws.com"


def rds_cases():
    c = []
    add = lambda id_, **kw: c.append((id_, base(**{"kind": "rds", "host": DEMO_HOST, "port": 5432, "user": "iam_user", **kw})))
    add("rds-demo")  # the README's example: `iamauth demo` prints this token
    add("rds-botocore-published", host="prod-instance.us-east-1.rds.amazonaws.com", port=3306,
        user="someusername", access_key_id="akid", secret_access_key="skid", time="2016-11-07T17:39:33Z")
    users = {
        "space": "iam user", "at": "user@example.com", "plus": "a+b", "slash": "a/b", "ampersand": "a&b",
        "equals": "a=b", "percent": "100%", "percent-escape": "a%20b", "tilde": "~tilde~", "unreserved": "A-Z_a.z~09",
        "latin1": "dbüser_ñ", "cjk": "用户", "emoji": "emoji🐘🔑", "injection-dbuser": "x&DBUser=admin",
        "injection-action": "x&Action=connect&DBUser=root", "leading-dash": "-admin", "quote-backslash": "o'neil\\\"",
        "hash-question": "a#b?c", "colon-semicolon": "a:b;c", "all-printable": "".join(chr(i) for i in range(32, 127)),
        "long-512": "u" * 512,
    }
    for name, user in users.items():
        add(f"rds-user-{name}", user=user)
    add("rds-session-token-long", session_token=LONG_TOKEN)
    add("rds-session-token-short", session_token="FwoGZXIvYXdzEXAMPLE")
    for region, host in [
        ("cn-north-1", "mydb.abc123.cn-north-1.rds.amazonaws.com.cn"),
        ("us-gov-west-1", "mydb.abc123.us-gov-west-1.rds.amazonaws.com"),
        ("us-isob-east-1", "mydb.abc123.us-isob-east-1.rds.sc2s.sgov.gov"),
        ("eusc-de-east-1", "mydb.abc123.eusc-de-east-1.rds.amazonaws.eu"),
        ("ap-southeast-2", "mydb.abc123.ap-southeast-2.rds.amazonaws.com"),
    ]:
        add(f"rds-region-{region}", region=region, host=host)
    add("rds-ipv4", host="10.0.12.34", port=3306)
    add("rds-ipv6", host="[2001:db8::1]", port=5432)
    add("rds-ipv6-loopback-upper", host="[::FFFF:127.0.0.1]", port=3306)
    add("rds-uppercase-host", host="MyDB.Cluster-ABC123.US-EAST-1.RDS.AmazonAWS.com")
    add("rds-port-443", port=443)
    add("rds-port-443-uppercase", host="MyDB.Example.COM", port=443)
    add("rds-port-1", port=1)
    add("rds-port-65535", port=65535)
    add("rds-aurora-cluster-long",
        host="my-very-long-aurora-postgresql-cluster-name-for-testing.cluster-ro-c9akciq32abc."
             "eu-central-1.rds.amazonaws.com", region="eu-central-1")
    add("rds-proxy", host="my-proxy.proxy-c9akciq32abc.us-west-2.rds.amazonaws.com", region="us-west-2")
    add("rds-localhost", host="localhost", port=5432)
    for n in (1, 60, 899):
        add(f"rds-expires-{n}", expires_in=n)
    add("rds-time-epoch", time="1970-01-01T00:00:00Z")
    add("rds-time-max", time="9999-12-31T23:59:59Z")
    add("rds-time-leap-day", time="2024-02-29T23:59:59Z")
    add("rds-access-key-long", access_key_id="ASIA" + "EXAMPLE0" * 15)
    return c


def dsql_cases():
    c = []
    host = "abcdefghijklmnopqrst123456.dsql.us-east-1.on.aws"
    add = lambda id_, **kw: c.append((id_, base(**{"kind": "dsql", "host": host, "action": "DbConnect", **kw})))
    add("dsql-connect")
    add("dsql-admin", action="DbConnectAdmin")
    for n in (1, 450, 3600, 604800):
        add(f"dsql-connect-expires-{n}", expires_in=n)
        add(f"dsql-admin-expires-{n}", action="DbConnectAdmin", expires_in=n)
    add("dsql-session-token", session_token=LONG_TOKEN)
    add("dsql-admin-session-token", action="DbConnectAdmin", session_token="FwoGZXIvYXdzEXAMPLE")
    add("dsql-eu-west-2", host="abc123.dsql.eu-west-2.on.aws", region="eu-west-2")
    add("dsql-uppercase-host", host="ABC123.DSQL.US-EAST-1.ON.AWS")
    add("dsql-botocore-published", host="test.dsql.us-east-1.on.aws", access_key_id="ACCESS_KEY",
        secret_access_key="SECRET_KEY", session_token="SESSION_TOKEN", time="2024-11-07T17:39:33Z")
    return c


def elasticache_cases():
    c = []
    add = lambda id_, **kw: c.append((id_, base(**{"kind": "elasticache", "name": "my-replication-group",
                                                   "user": "iam-user-01", "serverless": False,
                                                   "service": "elasticache", **kw})))
    add("elasticache-replication-group")
    add("elasticache-serverless", name="my-serverless-cache", serverless=True)
    add("memorydb-cluster", name="my-memorydb-cluster", service="memorydb")
    add("memorydb-serverless-flag", name="my-memorydb-cluster", service="memorydb", serverless=True)
    add("elasticache-user-special", user="user name+/=&@%~é")
    add("elasticache-session-token", session_token=LONG_TOKEN)
    add("elasticache-uppercase-name", name="My-Replication-Group")
    add("elasticache-region-cn", region="cn-northwest-1")
    for n in (1, 300):
        add(f"elasticache-expires-{n}", expires_in=n)
    return c


def make_token(case):
    kind = case["kind"]
    with Frozen(case["time"]) as frozen:
        token, source = {"rds": rds, "dsql": dsql, "elasticache": elasticache}[kind](case)
    return token, source, frozen.steps


def input_of(case):
    out = {k: v for k, v in case.items() if k != "kind"}
    out["time"] = unix(case["time"])
    return out


def token_vectors():
    import botocore

    cases = []
    for id_, case in rds_cases() + dsql_cases() + elasticache_cases():
        token, source, steps = make_token(case)
        cases.append({
            "id": id_,
            "kind": case["kind"],
            "source": f"{source}, botocore {botocore.__version__}, clock frozen at {case['time']}",
            "input": input_of(case),
            "expected": {
                "canonical_request": steps["canonical_request"],
                "string_to_sign": steps["string_to_sign"],
                "signature": steps["signature"],
                "token": token,
            },
        })
    return cases


# Invalid values shared by the error vectors of every kind (README, Input rules).
BAD_REGIONS = {
    "empty": "", "words": "US EAST", "slash": "us-east-1/x", "upper": "US-EAST-1", "underscore": "us_east_1",
    "no-dash": "useast1", "no-number": "us-east-", "trailing-space": "us-east-1 ", "short-prefix": "u-east-1",
    "zero": "us-east-0", "three-digit": "us-east-100", "non-ascii": "us-eäst-1", "too-long": "us-" + "a" * 40 + "-1",
}
BAD_CREDENTIALS = {
    "akid-empty": {"access_key_id": ""}, "akid-space": {"access_key_id": "AKID EXAMPLE"},
    "akid-slash": {"access_key_id": "AKID/EXAMPLE"}, "akid-non-ascii": {"access_key_id": "AKIDÉXAMPLE"},
    "akid-too-long": {"access_key_id": "A" * 129}, "secret-empty": {"secret_access_key": ""},
    "secret-too-long": {"secret_access_key": "s" * 129}, "token-empty": {"session_token": ""},
    "token-space": {"session_token": "abc def"}, "token-newline": {"session_token": "abc\ndef"},
    "token-too-long": {"session_token": "t" * 8193},
}
# Unix seconds out of range: before 1970, after 9999-12-31T23:59:59Z, and i64's ends.
BAD_TIMES = (-1, 253402300800, -9223372036854775808, 9223372036854775807)


def error_vectors():
    """One invalid field per case; every other field valid."""
    rules = "iamauth input rules (README, Input rules)"
    out = []

    def add(id_, kind, code, **kw):
        case = {
            "rds": base(host=DEMO_HOST, port=5432, user="iam_user"),
            "dsql": base(host="abc123.dsql.us-east-1.on.aws", action="DbConnect"),
            "elasticache": base(name="my-cache", user="iam-user", serverless=False, service="elasticache"),
        }[kind]
        case.update(kw)
        out.append({"id": id_, "kind": kind, "source": rules, "input": input_of(case), "error": code})

    for kind in ("rds", "dsql"):
        for name, host in {
            "empty": "", "too-long": "a" * 254, "space": "my db.example.com", "tab": "mydb\t.example.com",
            "newline": "mydb.example.com\n", "nul": "mydb\u0000.example.com", "slash": "mydb.example.com/x",
            "question": "mydb.example.com?x=1", "hash": "mydb#x", "at": "user@mydb.example.com",
            "backslash": "mydb\\x", "percent": "mydb%2eexample.com", "non-ascii": "bücher.example.com",
            "colon": "mydb.example.com:5432", "bare-ipv6": "2001:db8::1", "bad-ipv6": "[2001:db8::zz]",
            "unclosed-ipv6": "[2001:db8::1", "ipv6-zone": "[fe80::1%25eth0]", "brackets-name": "[mydb]",
        }.items():
            add(f"{kind}-host-{name}", kind, "INVALID_HOST", host=host)
    for name, host in {"empty": "", "space": "my cache", "slash": "a/b", "colon": "a:1"}.items():
        add(f"elasticache-name-{name}", "elasticache", "INVALID_HOST", name=host)
    for port in (0, -1, 65536, 99999999999, -9223372036854775808, 9223372036854775807):
        add(f"rds-port-{port}", "rds", "INVALID_PORT", port=port)
    for kind in ("rds", "elasticache"):
        for name, user in {
            "empty": "", "nul": "a\u0000b", "cr": "a\rb", "lf": "a\nb", "tab": "a\tb", "del": "a\u007fb",
            "c1": "a\u0085b", "escape": "\u001b[31m", "too-long": "u" * 513, "too-long-multibyte": "é" * 257,
        }.items():
            add(f"{kind}-user-{name}", kind, "INVALID_USER", user=user)
    for kind in ("rds", "dsql", "elasticache"):
        for name, region in BAD_REGIONS.items():
            add(f"{kind}-region-{name}", kind, "INVALID_REGION", region=region)
    for kind, values in {
        "rds": (0, -1, 901, 3600, 9223372036854775807),
        "dsql": (0, -900, 604801, 9223372036854775807),
        "elasticache": (0, 901),
    }.items():
        for n in values:
            add(f"{kind}-expires-{n}", kind, "INVALID_EXPIRY", expires_in=n)
    for kind in ("rds", "dsql", "elasticache"):
        for name, kw in BAD_CREDENTIALS.items():
            add(f"{kind}-credentials-{name}", kind, "INVALID_CREDENTIALS", **kw)
    for kind in ("rds", "dsql", "elasticache"):
        for t in BAD_TIMES:
            case_time = t
            add(f"{kind}-time-{t}", kind, "INVALID_TIME")
            out[-1]["input"]["time"] = case_time
    for action in ("DbConnectX", "dbconnect", "", "connect"):
        add(f"dsql-action-{action or 'empty'}", "dsql", "INVALID_ACTION", action=action)
    for service in ("redis", "", "ElastiCache", "rds-db"):
        add(f"elasticache-service-{service or 'empty'}", "elasticache", "INVALID_SERVICE", service=service)
    return out


# Parameter orders of the other SDKs, for `inspect`. The signature is botocore's: only the order
# (and Go's missing '/') differs, and SigV4 signs the sorted query, so each stays a valid token.
LAYOUTS = {
    "aws-sdk-js-v3": "sorted by name; '/?' after the port (@aws-sdk/rds-signer formatUrl)",
    "aws-sdk-go-v2": "sorted by name, no '/' before '?' (feature/rds/auth BuildAuthToken)",
    "aws-sdk-java-v2": "DBUser before Action, then X-Amz-Algorithm, Date, SignedHeaders, Expires, Credential (DefaultRdsUtilities)",
    "aws-sdk-rust": "Action, DBUser, then sorted X-Amz-* with the signature last (aws-sdk-rds auth_token)",
}


def relayout(token, sdk):
    authority, query = token.split("/?", 1)
    params = [p.split("=", 1) for p in query.split("&")]
    signature = [p for p in params if p[0] == "X-Amz-Signature"]
    rest = [p for p in params if p[0] != "X-Amz-Signature"]
    if sdk in ("aws-sdk-js-v3", "aws-sdk-go-v2"):
        rest.sort(key=lambda p: p[0])
    elif sdk == "aws-sdk-java-v2":
        order = ["DBUser", "Action", "X-Amz-Algorithm", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires",
                 "X-Amz-Credential", "X-Amz-Security-Token"]
        rest.sort(key=lambda p: order.index(p[0]))
    elif sdk == "aws-sdk-rust":
        head = [p for p in rest if not p[0].startswith("X-Amz-")]
        rest = head + sorted((p for p in rest if p[0].startswith("X-Amz-")), key=lambda p: p[0])
    sep = "?" if sdk == "aws-sdk-go-v2" else "/?"
    return authority + sep + "&".join("=".join(p) for p in rest + signature)


def layout_vectors(tokens):
    out = []
    wanted = ["rds-demo", "rds-user-space", "rds-session-token-long", "rds-ipv6", "rds-uppercase-host"]
    for case in tokens:
        if case["id"] not in wanted:
            continue
        for sdk, description in LAYOUTS.items():
            out.append({
                "id": f"{case['id']}-{sdk}",
                "of": case["id"],
                "layout": sdk,
                "source": f"botocore token of {case['id']} re-laid out in the {sdk} order: {description}",
                "token": relayout(case["expected"]["token"], sdk),
            })
    return out


KEYS = {AKID: {"secret_access_key": SECRET, "session_token": None}}
T0 = unix(DEMO_TIME)


def signed(kind, **kw):
    """A token botocore signs at DEMO_TIME (or kw's time), its provenance and the identity it
    grants (from the inputs given to botocore, not read back from the token)."""
    defaults = {
        "rds": dict(host=DEMO_HOST, port=5432, user="iam_user"),
        "dsql": dict(host="abcdefghijklmnopqrst123456.dsql.us-east-1.on.aws", action="DbConnect"),
        "elasticache": dict(name="my-replication-group", user="iam-user-01", serverless=False,
                            service="elasticache"),
    }[kind]
    case = base(**{"kind": kind, **defaults, **kw})
    token, source, _ = make_token(case)
    import botocore

    identity = {
        "kind": kind,
        "access_key_id": case["access_key_id"],
        "user": case.get("user"),
        "action": {"rds": "connect", "elasticache": "connect"}.get(kind) or case.get("action"),
        "host": case.get("host") or case.get("name"),
        "port": case.get("port"),
        "region": case["region"],
        "service": {"rds": "rds-db", "dsql": "dsql"}.get(kind) or case["service"],
        "signed_at": unix(case["time"]),
        "expires_at": unix(case["time"]) + case["expires_in"],
    }
    return token, f"{source}, botocore {botocore.__version__}, clock frozen at {case['time']}", identity


def mutate(token, old, new):
    assert token.count(old) == 1, (old, token)
    return token.replace(old, new)


def verify_vectors():
    """token, keys, expectations, now -> identity or code. Expectations absent are defaults:
    any host, port, user, region, action; service rds-db; skew 300. Keys may carry grants
    (`users`, `hosts`)."""
    out = []

    def add(name, token, source, outcome, expect=None, keys=None, now=T0 + 60):
        out.append({
            "name": name,
            "source": source,
            "token": token,
            "keys": KEYS if keys is None else keys,
            "expect": expect or {},
            "now": now,
            "outcome": outcome if "code" in outcome else {"identity": outcome},
        })

    rds_tok, rds_src, rds_id = signed("rds")
    full = {"host": DEMO_HOST, "port": 5432, "user": "iam_user", "region": "us-east-1", "service": "rds-db"}

    # Good tokens, one of each kind.
    add("rds-all-expectations", rds_tok, rds_src, rds_id, full)
    add("rds-no-expectations", rds_tok, rds_src, rds_id)
    add("rds-host-case-insensitive", rds_tok, rds_src + "; the expected host upper-cased", rds_id,
        {**full, "host": DEMO_HOST.upper()})
    tok, src, ident = signed("rds", host="MyDB.Cluster-ABC123.US-EAST-1.RDS.AmazonAWS.com", port=3306)
    add("rds-mixed-case-host-expected-lowercase", tok, src + "; the expected host lower-cased", ident,
        {"host": "mydb.cluster-abc123.us-east-1.rds.amazonaws.com", "port": 3306})
    tok, src, ident = signed("rds", user="app user/é")
    add("rds-user-percent-encoded", tok, src, ident, {"user": "app user/é"})
    session = "FwoGZXIvYXdzEXAMPLE/+="
    akid_s = "ASIAEXAMPLE"
    keys_s = {akid_s: {"secret_access_key": SECRET, "session_token": session}}
    ses_tok, ses_src, ses_id = signed("rds", access_key_id=akid_s, session_token=session)
    add("rds-session-token", ses_tok, ses_src, ses_id, full, keys_s)
    tok, src, ident = signed("rds", access_key_id=akid_s, session_token=LONG_TOKEN)
    add("rds-session-token-long", tok, src, ident, full,
        {akid_s: {"secret_access_key": SECRET, "session_token": LONG_TOKEN}})
    tok, src, ident = signed("dsql")
    dsql_host = ident["host"]
    add("dsql-connect", tok, src, ident, {"host": dsql_host, "region": "us-east-1", "service": "dsql"})
    add("dsql-default-service-refused", tok, src, {"code": "WRONG_SERVICE"}, {"host": dsql_host})
    tok, src, ident = signed("dsql", action="DbConnectAdmin", expires_in=3600)
    add("dsql-admin", tok, src, ident, {"service": "dsql"}, now=T0 + 3599)
    add("dsql-admin-expired", tok, src, {"code": "EXPIRED_TOKEN"}, {"service": "dsql"}, now=T0 + 3600)
    tok, src, ident = signed("elasticache")
    add("elasticache-replication-group", tok, src, ident,
        {"host": "my-replication-group", "user": "iam-user-01", "region": "us-east-1", "service": "elasticache"})
    add("elasticache-default-service-refused", tok, src, {"code": "WRONG_SERVICE"}, {"user": "iam-user-01"})
    tok, src, ident = signed("elasticache", name="my-serverless-cache", serverless=True)
    add("elasticache-serverless", tok, src, ident, {"host": "my-serverless-cache", "service": "elasticache"})
    tok, src, ident = signed("elasticache", name="my-memorydb-cluster", service="memorydb")
    add("memorydb", tok, src, ident, {"host": "my-memorydb-cluster", "user": "iam-user-01", "service": "memorydb"})
    add("memorydb-as-elasticache", tok, src, {"code": "WRONG_SERVICE"}, {"service": "elasticache"})
    tok, src, ident = signed("elasticache", expires_in=901)
    add("elasticache-expires-901", tok, src, {"code": "EXPIRES_TOO_LONG"}, {"service": "elasticache"})

    # Other SDKs' parameter orders (and Go's missing '/') of the same token.
    for sdk, description in LAYOUTS.items():
        add(f"rds-layout-{sdk}", relayout(rds_tok, sdk),
            f"{rds_src}; re-laid out in the {sdk} order: {description}", rds_id, full)
        add(f"rds-layout-{sdk}-wrong-user", relayout(rds_tok, sdk),
            f"{rds_src}; re-laid out in the {sdk} order", {"code": "WRONG_USER"}, {**full, "user": "admin"})

    # Time: valid [signed_at, expires_at); signed up to `skew` seconds in the future.
    add("time-last-valid-second", rds_tok, rds_src, rds_id, full, now=T0 + 899)
    add("time-expired-at-expiry", rds_tok, rds_src, {"code": "EXPIRED_TOKEN"}, full, now=T0 + 900)
    add("time-at-signing", rds_tok, rds_src, rds_id, full, now=T0)
    add("time-within-default-skew", rds_tok, rds_src, rds_id, full, now=T0 - 300)
    add("time-beyond-default-skew", rds_tok, rds_src, {"code": "NOT_YET_VALID"}, full, now=T0 - 301)
    add("time-skew-0-early", rds_tok, rds_src, {"code": "NOT_YET_VALID"}, {**full, "skew": 0}, now=T0 - 1)
    add("time-skew-0-on-time", rds_tok, rds_src, rds_id, {**full, "skew": 0}, now=T0)
    add("time-skew-max-within", rds_tok, rds_src, rds_id, {**full, "skew": 86400}, now=T0 - 86400)
    add("time-skew-max-beyond", rds_tok, rds_src, {"code": "NOT_YET_VALID"}, {**full, "skew": 86400},
        now=T0 - 86401)

    # The key and the signature.
    add("unknown-access-key", rds_tok, rds_src, {"code": "UNKNOWN_ACCESS_KEY"}, full,
        {"AKIDOTHER": {"secret_access_key": SECRET, "session_token": None}})
    add("no-keys", rds_tok, rds_src, {"code": "UNKNOWN_ACCESS_KEY"}, full, {})
    add("wrong-secret", rds_tok, rds_src, {"code": "SIGNATURE_MISMATCH"}, full,
        {AKID: {"secret_access_key": SECRET[:-1] + "Z", "session_token": None}})
    sig = rds_tok[-64:]
    flipped = sig[:-1] + ("1" if sig[-1] == "0" else "0")
    add("tampered-signature", mutate(rds_tok, sig, flipped),
        f"{rds_src}; the signature's last digit changed", {"code": "SIGNATURE_MISMATCH"}, full)
    add("tampered-user", mutate(rds_tok, "DBUser=iam_user", "DBUser=admin"),
        f"{rds_src}; DBUser=iam_user replaced by DBUser=admin after signing", {"code": "SIGNATURE_MISMATCH"},
        {**full, "user": "admin"})
    add("tampered-date", mutate(rds_tok, "X-Amz-Date=20240102T030405Z", "X-Amz-Date=20240102T030406Z"),
        f"{rds_src}; X-Amz-Date moved one second later after signing", {"code": "SIGNATURE_MISMATCH"}, full)
    add("tampered-port", mutate(rds_tok, ":5432/", ":5433/"),
        f"{rds_src}; port 5432 replaced by 5433 after signing", {"code": "SIGNATURE_MISMATCH"},
        {**full, "port": 5433})
    add("tampered-expires-shorter", mutate(rds_tok, "X-Amz-Expires=900", "X-Amz-Expires=899"),
        f"{rds_src}; X-Amz-Expires=900 replaced by 899 after signing", {"code": "SIGNATURE_MISMATCH"}, full)
    add("tampered-expires-longer", mutate(rds_tok, "X-Amz-Expires=900", "X-Amz-Expires=901"),
        f"{rds_src}; X-Amz-Expires=900 replaced by 901 after signing", {"code": "EXPIRES_TOO_LONG"}, full)
    tok, src, _ = signed("rds", expires_in=901)
    add("rds-expires-901", tok, src, {"code": "EXPIRES_TOO_LONG"}, full)
    tok, src, _ = signed("rds", expires_in=604800)
    add("rds-expires-604800", tok, src, {"code": "EXPIRES_TOO_LONG"}, full)

    # Session tokens: exactly the key's, or none if it has none.
    add("session-token-key-has-none", ses_tok, ses_src, {"code": "SESSION_TOKEN_MISMATCH"}, full,
        {akid_s: {"secret_access_key": SECRET, "session_token": None}})
    add("session-token-another", ses_tok, ses_src, {"code": "SESSION_TOKEN_MISMATCH"}, full,
        {akid_s: {"secret_access_key": SECRET, "session_token": session[:-1] + "X"}})
    add("session-token-missing", rds_tok, rds_src, {"code": "SESSION_TOKEN_MISMATCH"}, full,
        {AKID: {"secret_access_key": SECRET, "session_token": session}})
    add("session-token-stripped", mutate(ses_tok, "&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE%2F%2B%3D", ""),
        f"{ses_src}; X-Amz-Security-Token removed after signing", {"code": "SIGNATURE_MISMATCH"}, full,
        {akid_s: {"secret_access_key": SECRET, "session_token": None}})

    # What it grants.
    add("wrong-host", rds_tok, rds_src, {"code": "WRONG_HOST"}, {**full, "host": "other.example.com"})
    add("wrong-port", rds_tok, rds_src, {"code": "WRONG_PORT"}, {**full, "port": 3306})
    add("wrong-user", rds_tok, rds_src, {"code": "WRONG_USER"}, {**full, "user": "someone_else"})
    add("wrong-user-case", rds_tok, rds_src, {"code": "WRONG_USER"}, {**full, "user": "IAM_USER"})
    add("wrong-region", rds_tok, rds_src, {"code": "WRONG_REGION"}, {**full, "region": "eu-west-1"})
    add("wrong-service", rds_tok, rds_src, {"code": "WRONG_SERVICE"}, {**full, "service": "dsql"})
    tok, src, _ = signed("rds", port=3306)
    add("wrong-port-signed-3306", tok, src, {"code": "WRONG_PORT"}, full)
    tok, src, _ = signed("rds", user="someone_else")
    add("wrong-user-signed", tok, src, {"code": "WRONG_USER"}, full)

    # The key's grants: the keys file's `users` and `hosts` (checked after what the token is
    # expected to grant, before its time).
    def grant(**g):
        return {AKID: {"secret_access_key": SECRET, "session_token": None, **g}}

    first_label = DEMO_HOST.split(".")[0]
    add("grant-user-exact", rds_tok, rds_src, rds_id, full, grant(users=["iam_user"]))
    add("grant-user-prefix", rds_tok, rds_src, rds_id, full, grant(users=["app", "iam_*"]))
    add("grant-user-any", rds_tok, rds_src, rds_id, full, grant(users=["*"]))
    add("grant-user-refused", rds_tok, rds_src, {"code": "USER_NOT_ALLOWED"}, full,
        grant(users=["app", "report_*"]))
    add("grant-user-empty-list", rds_tok, rds_src, {"code": "USER_NOT_ALLOWED"}, full, grant(users=[]))
    add("grant-user-longer-prefix", rds_tok, rds_src, {"code": "USER_NOT_ALLOWED"}, full,
        grant(users=["iam_user_*"]))
    add("grant-user-exact-case", rds_tok, rds_src, {"code": "USER_NOT_ALLOWED"}, full,
        grant(users=["IAM_USER"]))
    add("grant-host-case-insensitive", rds_tok, rds_src, rds_id, full, grant(hosts=[DEMO_HOST.upper()]))
    add("grant-host-prefix", rds_tok, rds_src, rds_id, full, grant(hosts=[first_label + ".*"]))
    add("grant-host-refused", rds_tok, rds_src, {"code": "HOST_NOT_ALLOWED"}, full,
        grant(hosts=["other.example.com"]))
    add("grant-user-and-host", rds_tok, rds_src, rds_id, full, grant(users=["iam_user"], hosts=[DEMO_HOST]))
    add("order-user-grant-before-host-grant", rds_tok, rds_src, {"code": "USER_NOT_ALLOWED"}, full,
        grant(users=["app"], hosts=["other.example.com"]))
    add("order-signature-before-grant", rds_tok, rds_src, {"code": "SIGNATURE_MISMATCH"}, full,
        {AKID: {"secret_access_key": SECRET[:-1] + "Z", "session_token": None, "users": ["app"]}})
    add("order-wrong-user-before-grant", rds_tok, rds_src, {"code": "WRONG_USER"},
        {**full, "user": "someone_else"}, grant(users=["app"]))
    add("order-grant-before-expired", rds_tok, rds_src, {"code": "USER_NOT_ALLOWED"}, full,
        grant(users=["app"]), now=T0 + 900)
    tok, src, ident = signed("elasticache")
    add("grant-cache-user", tok, src, ident, {"service": "elasticache"}, grant(users=["iam-user-*"]))
    add("grant-cache-user-refused", tok, src, {"code": "USER_NOT_ALLOWED"}, {"service": "elasticache"},
        grant(users=["iam_user"]))

    # The DSQL action: DbConnect where DbConnectAdmin is required, or the reverse.
    tok, src, ident = signed("dsql")
    add("dsql-grant-users-means-no-dsql", tok, src, {"code": "USER_NOT_ALLOWED"}, {"service": "dsql"},
        grant(users=["admin"]))
    add("dsql-action-connect-expected", tok, src, ident, {"service": "dsql", "action": "DbConnect"})
    add("dsql-action-admin-expected", tok, src, {"code": "WRONG_ACTION"},
        {"service": "dsql", "action": "DbConnectAdmin"})
    tok, src, ident = signed("dsql", action="DbConnectAdmin")
    add("dsql-action-admin", tok, src, ident, {"service": "dsql", "action": "DbConnectAdmin"})
    add("dsql-action-connect-expected-admin-token", tok, src, {"code": "WRONG_ACTION"},
        {"service": "dsql", "action": "DbConnect"})
    add("rds-action-expected", rds_tok, rds_src, {"code": "WRONG_ACTION"}, {**full, "action": "DbConnect"})
    add("order-wrong-user-before-wrong-action", rds_tok, rds_src, {"code": "WRONG_USER"},
        {**full, "user": "someone_else", "action": "DbConnect"})

    # Not a token.
    for name, bad, why in [
        ("malformed-empty", "", "the empty string"),
        ("malformed-garbage", "garbage", "a word"),
        ("malformed-question-mark", "?", "a lone '?'"),
        ("malformed-truncated", rds_tok[:-1], f"{rds_src}; its last character cut"),
        ("malformed-signature-twice", rds_tok + "&X-Amz-Signature=00",
         f"{rds_src}; a second X-Amz-Signature appended"),
        ("malformed-no-signing-parameters", f"{DEMO_HOST}:5432/?Action=connect", "a host and an Action only"),
        ("malformed-date-renamed", mutate(rds_tok, "X-Amz-Date=", "X-Amz-Datum="),
         f"{rds_src}; X-Amz-Date renamed X-Amz-Datum"),
    ]:
        add(name, bad, why, {"code": "MALFORMED_TOKEN"}, full)

    # Two checks fail: the first in core/src/verify.rs's order wins.
    add("order-invalid-host-before-malformed", "garbage", "a word", {"code": "INVALID_HOST"},
        {"host": "bad host"})
    add("order-malformed-before-unknown-key", "garbage", "a word", {"code": "MALFORMED_TOKEN"}, full, {})
    add("order-service-before-unknown-key", rds_tok, rds_src, {"code": "WRONG_SERVICE"},
        {"service": "elasticache"}, {})
    add("order-expires-before-unknown-key", mutate(rds_tok, "X-Amz-Expires=900", "X-Amz-Expires=901"),
        f"{rds_src}; X-Amz-Expires=900 replaced by 901 after signing", {"code": "EXPIRES_TOO_LONG"}, full, {})
    add("order-unknown-key-before-wrong-host", rds_tok, rds_src, {"code": "UNKNOWN_ACCESS_KEY"},
        {**full, "host": "other.example.com"}, {})
    add("order-signature-before-session-token", rds_tok, rds_src, {"code": "SIGNATURE_MISMATCH"}, full,
        {AKID: {"secret_access_key": SECRET[:-1] + "Z", "session_token": session}})
    add("order-signature-before-wrong-user", mutate(rds_tok, "DBUser=iam_user", "DBUser=admin"),
        f"{rds_src}; DBUser=iam_user replaced by DBUser=admin after signing", {"code": "SIGNATURE_MISMATCH"},
        full)
    add("order-session-token-before-wrong-region", ses_tok, ses_src, {"code": "SESSION_TOKEN_MISMATCH"},
        {**full, "region": "eu-west-1"}, {akid_s: {"secret_access_key": SECRET, "session_token": None}})
    add("order-region-before-host", rds_tok, rds_src, {"code": "WRONG_REGION"},
        {**full, "region": "eu-west-1", "host": "other.example.com"})
    add("order-host-before-port", rds_tok, rds_src, {"code": "WRONG_HOST"},
        {**full, "host": "other.example.com", "port": 3306})
    add("order-port-before-user", rds_tok, rds_src, {"code": "WRONG_PORT"},
        {**full, "port": 3306, "user": "someone_else"})
    add("order-user-before-expired", rds_tok, rds_src, {"code": "WRONG_USER"},
        {**full, "user": "someone_else"}, now=T0 + 900)
    add("order-user-before-not-yet-valid", rds_tok, rds_src, {"code": "WRONG_USER"},
        {**full, "user": "someone_else"}, now=T0 - 301)

    # Malformed expectations: the signing rules' codes, before the token is read.
    for name, field, value, code in [
        ("expect-host-space", "host", "bad host", "INVALID_HOST"),
        ("expect-host-with-port", "host", "mydb.example.com:5432", "INVALID_HOST"),
        ("expect-port-0", "port", 0, "INVALID_PORT"),
        ("expect-user-control-character", "user", "iam\u0001user", "INVALID_USER"),
        ("expect-user-newline", "user", "iam_user\n", "INVALID_USER"),
        ("expect-action-lowercase", "action", "dbconnect", "INVALID_ACTION"),
        ("expect-action-connect", "action", "connect", "INVALID_ACTION"),
        ("expect-region-upper", "region", "US", "INVALID_REGION"),
        ("expect-region-words", "region", "us east 1", "INVALID_REGION"),
        ("expect-service-upper", "service", "RDS", "INVALID_SERVICE"),
        ("expect-service-slash", "service", "rds/db", "INVALID_SERVICE"),
        ("expect-service-well-formed-other", "service", "redis", "WRONG_SERVICE"),
        ("expect-skew-negative", "skew", -1, "INVALID_TIME"),
        ("expect-skew-above-a-day", "skew", 86401, "INVALID_TIME"),
    ]:
        add(name, rds_tok, rds_src, {"code": code}, {**full, field: value})
    add("now-negative", rds_tok, rds_src, {"code": "INVALID_TIME"}, full, now=-1)
    eks_and_msk_verify_cases(add)
    return out


def eks_and_msk_verify_cases(add):
    """verify of awscli's EKS tokens (the cluster is signed, not written: verify must be told it)
    and the python signer's MSK tokens (the User-Agent is not signed). Tokens as the clients send
    them (base64); the identity is the inputs', as for the other kinds."""
    import awscli
    import botocore

    def identity(kind, case, host, action, region, service, lifetime):
        return {"kind": kind, "access_key_id": case["access_key_id"], "user": None, "action": action,
                "host": host, "port": None, "region": region, "service": service,
                "signed_at": unix(case["time"]), "expires_at": unix(case["time"]) + lifetime}

    eks_case = eks_base()
    eks_tok = eks_expected(eks_case)["token"]
    eks_src = (f"awscli {awscli.__version__} TokenGenerator on botocore {botocore.__version__}, "
               f"clock frozen at {eks_case['time']}")
    # aws-iam-authenticator accepts an EKS token for 15 minutes whatever X-Amz-Expires (60) says.
    eks_id = identity("eks", eks_case, "sts.us-east-1.amazonaws.com", "GetCallerIdentity", "us-east-1", "sts", 900)
    eks_expect = {"service": "sts", "cluster": "my-cluster"}
    add("eks-cluster", eks_tok, eks_src, eks_id, {**eks_expect, "region": "us-east-1"})
    add("eks-after-the-url-expiry-within-15-minutes", eks_tok, eks_src, eks_id, eks_expect, now=T0 + 899)
    add("eks-expired-after-15-minutes", eks_tok, eks_src, {"code": "EXPIRED_TOKEN"}, eks_expect, now=T0 + 900)
    add("eks-other-cluster", eks_tok, eks_src + "; another cluster expected", {"code": "SIGNATURE_MISMATCH"},
        {**eks_expect, "cluster": "other-cluster"})
    add("eks-no-cluster", eks_tok, eks_src + "; no cluster expected", {"code": "INVALID_CLUSTER"},
        {"service": "sts"})
    add("eks-bad-cluster-expected", eks_tok, eks_src, {"code": "INVALID_CLUSTER"},
        {**eks_expect, "cluster": "my cluster"})
    add("eks-default-service", eks_tok, eks_src + "; the default service (rds-db) expected",
        {"code": "WRONG_SERVICE"}, {"cluster": "my-cluster"})
    glob_case = eks_base(region="eu-west-1", sts_endpoint="global")
    glob_tok = eks_expected(glob_case)["token"]
    add("eks-global-endpoint", glob_tok, eks_src.replace("clock", "sts endpoint global (legacy), clock"),
        identity("eks", glob_case, "sts.amazonaws.com", "GetCallerIdentity", "us-east-1", "sts", 900), eks_expect)

    msk_case = msk_base()
    msk_tok = msk_expected(msk_case)["token"]
    msk_src = (f"aws-msk-iam-sasl-signer-python 1.0.2 on botocore {botocore.__version__}, "
               f"clock frozen at {msk_case['time']}")
    msk_id = identity("msk", msk_case, "kafka.us-east-1.amazonaws.com", "kafka-cluster:Connect", "us-east-1",
                      "kafka-cluster", 900)
    msk_expect = {"service": "kafka-cluster", "region": "us-east-1"}
    add("msk-token", msk_tok, msk_src, msk_id, msk_expect)
    add("msk-expired", msk_tok, msk_src, {"code": "EXPIRED_TOKEN"}, msk_expect, now=T0 + 900)
    add("msk-default-service", msk_tok, msk_src + "; the default service (rds-db) expected",
        {"code": "WRONG_SERVICE"}, {"region": "us-east-1"})
    add("msk-other-region", msk_tok, msk_src, {"code": "WRONG_REGION"}, {**msk_expect, "region": "eu-west-1"})
    # The User-Agent is outside the signature: any other still verifies.
    url = decode_token(msk_tok)
    other_ua = base64_token(url.replace("aws-msk-iam-sasl-signer-python%2F1.0.2", "another-client%2F9"))
    add("msk-other-user-agent", other_ua, msk_src + "; its unsigned User-Agent replaced", msk_id, msk_expect)
    tampered = base64_token(url.replace("X-Amz-Expires=900", "X-Amz-Expires=899"))
    add("msk-tampered", tampered, msk_src + "; X-Amz-Expires changed", {"code": "SIGNATURE_MISMATCH"}, msk_expect)
    ses_case = msk_base(access_key_id="ASIAEXAMPLE", session_token="FwoGZXIvYXdzEXAMPLE/+=")
    ses_tok = msk_expected(ses_case)["token"]
    add("msk-session-token", ses_tok, msk_src, identity("msk", ses_case, "kafka.us-east-1.amazonaws.com",
        "kafka-cluster:Connect", "us-east-1", "kafka-cluster", 900), msk_expect,
        {"ASIAEXAMPLE": {"secret_access_key": SECRET, "session_token": "FwoGZXIvYXdzEXAMPLE/+="}})


def base64_token(url):
    """An MSK token: URL-safe base64 of `url`, padding stripped (as the signers write it)."""
    import base64

    return base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


# ---------------------------------------------------------------------------------------------
# EKS: awscli's `aws eks get-token` (TokenGenerator), on the pinned botocore.

AWSCLI = "awscli==1.46.3"
EKS_TOKEN_PREFIX = "k8s-aws-v1."
# awscli's names for the two STS endpoint modes: ours "global" is botocore's "legacy".
STS_MODES = {"regional": "regional", "global": "legacy"}


def decode_token(b64):
    """The URL inside a URL-safe base64 token whose padding was stripped."""
    import base64

    return base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4)).decode("utf-8")


def eks_base(**kw):
    """An EKS case: the demo's fields in our order (cluster, region, sts_endpoint, credentials, time)."""
    case = {"cluster": "my-cluster", "region": "us-east-1", "sts_endpoint": "regional"}
    case.update({k: v for k, v in base().items() if k not in ("region", "expires_in")})
    case.update(kw)
    return case


def eks_cases():
    c = []
    add = lambda id_, **kw: c.append((id_, eks_base(**kw)))
    add("eks-demo")
    for region in ("us-east-1", "eu-west-1", "ap-east-1", "ap-southeast-2"):
        add(f"eks-global-{region}", region=region, sts_endpoint="global")
    add("eks-regional-cn-north-1", region="cn-north-1")
    add("eks-global-cn-north-1", region="cn-north-1", sts_endpoint="global")
    for region in ("us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "eusc-de-east-1", "ap-southeast-2"):
        add(f"eks-region-{region}", region=region)
    add("eks-global-us-gov-west-1", region="us-gov-west-1", sts_endpoint="global")
    add("eks-session-token-long", session_token=LONG_TOKEN)
    add("eks-session-token-short", session_token="FwoGZXIvYXdzEXAMPLE")
    longest = "c" * 50 + "-" * 10 + "_" * 10 + "0123456789" * 3
    assert len(longest) == 100
    add("eks-cluster-max-100", cluster=longest)
    add("eks-cluster-one-char", cluster="a")
    add("eks-cluster-dash-underscore", cluster="my-cluster_prod-01")
    add("eks-cluster-uppercase", cluster="MyCluster")
    add("eks-cluster-outposts-id", cluster="5ec4bc1e-3b4e-4ba0-a2f1-7b4c0e2e9d0f")
    add("eks-cluster-digit-first", cluster="0cluster")
    add("eks-time-epoch", time="1970-01-01T00:00:00Z")
    add("eks-time-leap-day", time="2024-02-29T23:59:59Z")
    add("eks-time-max", time="9999-12-31T23:45:59Z")
    add("eks-access-key-long", access_key_id="ASIA" + "EXAMPLE0" * 15)
    add("eks-botocore-published", access_key_id="akid", secret_access_key="skid", time="2016-11-07T17:39:33Z")
    return c


def eks(case):
    """awscli's own code end to end: a session with the case's credentials and
    sts_regional_endpoints, STSClientFactory.get_sts_client (which registers the x-k8s-aws-id
    handlers), TokenGenerator.get_token, and GetTokenCommand.get_expiration_time with awscli's
    clock frozen too (botocore's is frozen by Frozen). Returns (token, expirationTimestamp)."""
    import datetime
    from unittest import mock

    import botocore.session
    from awscli.customizations.eks import get_token

    session = botocore.session.get_session()
    session.set_config_variable("sts_regional_endpoints", STS_MODES[case["sts_endpoint"]])
    session.set_credentials(case["access_key_id"], case["secret_access_key"], case["session_token"])
    sts = get_token.STSClientFactory(session).get_sts_client(region_name=case["region"])
    token = get_token.TokenGenerator(sts).get_token(case["cluster"])
    now = datetime.datetime.fromtimestamp(unix(case["time"]), datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch.object(get_token, "get_current_datetime", lambda *a, **k: now):
        expiration = get_token.GetTokenCommand(session).get_expiration_time()
    return token, expiration


def eks_expected(case):
    """expected.* of one EKS case: the SigV4 steps recorded inside botocore, the token, the URL
    it carries, and awscli's expirationTimestamp."""
    with Frozen(case["time"]) as frozen:
        token, expiration = eks(case)
    assert token.startswith(EKS_TOKEN_PREFIX), token
    return {**frozen.steps, "url": decode_token(token[len(EKS_TOKEN_PREFIX):]), "token": token,
            "expiration_timestamp": expiration}


def eks_bundled():
    """`--eks-bundled`: the EKS expectations as the `aws` command itself makes them. awscli
    1.46.3 bundles its own botocore (awscli/botocore, 1.43.62), which `import botocore` resolves
    to once awscli was imported first; this mode runs in a fresh interpreter where it was."""
    import botocore

    assert os.sep + "awscli" + os.sep in botocore.__file__, botocore.__file__
    out = {"botocore": botocore.__version__, "cases": {}}
    for id_, case in eks_cases():
        out["cases"][id_] = eks_expected(case)
    print(json.dumps(out))


def eks_bundled_check(cases):
    """Reruns the EKS cases with awscli's bundled botocore in a subprocess; every expectation
    must be the same as on the pinned botocore. Returns the bundled botocore's version."""
    import subprocess

    run = subprocess.run([sys.executable, os.path.abspath(__file__), "--eks-bundled"], check=True,
                         capture_output=True, text=True)
    bundled = json.loads(run.stdout)
    for case in cases:
        if bundled["cases"][case["id"]] != case["expected"]:
            sys.exit(f"{case['id']}: awscli's bundled botocore {bundled['botocore']} disagrees with the pinned one")
    return bundled["botocore"]


def eks_vectors():
    import botocore  # the pinned one: imported before awscli, so awscli does not alias its own

    import awscli

    assert os.sep + "awscli" + os.sep not in botocore.__file__, botocore.__file__

    cases = []
    for id_, case in eks_cases():
        cases.append({
            "id": id_,
            "source": f"awscli {awscli.__version__} TokenGenerator on botocore {botocore.__version__}, sts endpoint "
                      f"{case['sts_endpoint']} (sts_regional_endpoints={STS_MODES[case['sts_endpoint']]}), "
                      f"clock frozen at {case['time']}",
            "input": {**case, "time": unix(case["time"])},
            "expected": eks_expected(case),
        })
    return cases


def eks_errors():
    """One invalid field per case, in our field order (sts_endpoint, which every binding parses
    first; then cluster, region, credentials, time). Cluster: 1..=100 ASCII letters, digits, '-'
    and '_', the first a letter or a digit (EKS CreateCluster's name rule)."""
    rules = "iamauth input rules (README, Input rules)"
    out = []

    def add(id_, code, **kw):
        case = eks_base(**kw)
        out.append({"id": id_, "source": rules, "input": {**case, "time": unix(case["time"])}, "error": code})

    for name, cluster in {
        "empty": "", "too-long": "c" * 101, "leading-dash": "-cluster", "leading-underscore": "_cluster",
        "space": "my cluster", "dot": "my.cluster", "slash": "my/cluster", "non-ascii": "clüster",
        "control": "a\u0001b",
    }.items():
        add(f"eks-cluster-{name}", "INVALID_CLUSTER", cluster=cluster)
    for name, region in BAD_REGIONS.items():
        add(f"eks-region-{name}", "INVALID_REGION", region=region)
    add("eks-sts-endpoint-bogus", "INVALID_REQUEST", sts_endpoint="bogus")
    for name, kw in BAD_CREDENTIALS.items():
        add(f"eks-credentials-{name}", "INVALID_CREDENTIALS", **kw)
    for t in BAD_TIMES:
        add(f"eks-time-{t}", "INVALID_TIME")
        out[-1]["input"]["time"] = t
    return out


# ---------------------------------------------------------------------------------------------
# MSK: aws-msk-iam-sasl-signer-python (on the pinned botocore) and aws-msk-iam-sasl-signer-js.

MSK_JS = os.path.join(HERE, "msk-js")
MSK_JS_SIGNER = "aws-msk-iam-sasl-signer-js"
MSK_JS_LAYOUT = ("every parameter sorted by name, User-Agent included (second, after Action), so "
                 "X-Amz-Signature comes before X-Amz-SignedHeaders (@smithy/signature-v4 presign, "
                 "@aws-sdk/util-format-url); the python signer's order is botocore's, with "
                 "&User-Agent= last")


def msk_base(**kw):
    """An MSK case in our field order (region, credentials, time, expires_in, user_agent); the
    user agent is the python signer's own."""
    case = {"region": "us-east-1"}
    case.update({k: v for k, v in base().items() if k != "region"})
    case["user_agent"] = "aws-msk-iam-sasl-signer-python/1.0.2"
    case.update(kw)
    return case


def msk_cases():
    c = []
    add = lambda id_, **kw: c.append((id_, msk_base(**kw)))
    add("msk-demo")
    for region in ("eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1"):
        add(f"msk-region-{region}", region=region)
    add("msk-session-token-long", session_token=LONG_TOKEN)
    add("msk-session-token-short", session_token="FwoGZXIvYXdzEXAMPLE")
    add("msk-time-epoch", time="1970-01-01T00:00:00Z")
    add("msk-time-leap-day", time="2024-02-29T23:59:59Z")
    add("msk-time-max", time="9999-12-31T23:44:59Z")
    add("msk-access-key-long", access_key_id="ASIA" + "EXAMPLE0" * 15)
    return c


def msk_python(case):
    """aws-msk-iam-sasl-signer-python's generate_auth_token_from_credentials_provider with a
    botocore CredentialProvider that returns the case's credentials. It signs with botocore's
    SigV4QueryAuth (the clock Frozen stops) and computes the expiry from the URL's X-Amz-Date.
    Returns (token, expiry_ms, its User-Agent)."""
    from aws_msk_iam_sasl_signer import MSKAuthTokenProvider as signer
    from botocore.credentials import CredentialProvider

    class Provider(CredentialProvider):
        METHOD = "iamauth-vectors"

        def load(self):
            return credentials(case)

    token, expiry_ms = signer.generate_auth_token_from_credentials_provider(case["region"], Provider())
    return token, expiry_ms, signer.__get_user_agent__()


def msk_expected(case):
    """expected.* of one MSK case from the python signer: the SigV4 steps recorded inside
    botocore, the decoded URL (with its unsigned &User-Agent=), the token and the expiry."""
    with Frozen(case["time"]) as frozen:
        token, expiry_ms, user_agent = msk_python(case)
    assert user_agent == case["user_agent"], user_agent
    url = decode_token(token)
    assert f"X-Amz-Date={frozen.steps['string_to_sign'].split(chr(10))[1]}&" in url, "clock not frozen"
    return {**frozen.steps, "url": url, "token": token, "expiry_ms": expiry_ms}


def msk_js(cases):
    """aws-msk-iam-sasl-signer-js (pinned by msk-js/package-lock.json, installed there by
    `npm ci`) signs `cases`, each with Date frozen at its time (msk-js/sign.mjs). Returns
    {id: {token, expiry_ms, url}}."""
    import subprocess

    lock = os.path.join(MSK_JS, "package-lock.json")
    installed = os.path.join(MSK_JS, "node_modules", ".package-lock.json")
    with open(lock, encoding="utf-8") as f:
        wanted = json.load(f)["packages"]
    wanted.pop("")
    have = None
    if os.path.exists(installed):
        with open(installed, encoding="utf-8") as f:
            have = json.load(f)["packages"]
    if have != wanted:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=MSK_JS, check=True,
                       stdout=sys.stderr)
    payload = [{"id": id_, **{k: case[k] for k in ("region", "access_key_id", "secret_access_key",
                                                   "session_token")}, "time": unix(case["time"])}
               for id_, case in cases]
    run = subprocess.run(["node", os.path.join(MSK_JS, "sign.mjs")], input=json.dumps(payload), check=True,
                         capture_output=True, text=True)
    return {r["id"]: r for r in json.loads(run.stdout)}


def msk_js_version():
    with open(os.path.join(MSK_JS, "node_modules", MSK_JS_SIGNER, "package.json"), encoding="utf-8") as f:
        return json.load(f)["version"]


def without_param(url, name):
    """`url` less its `name=` query parameter, the rest in order."""
    path, query = url.split("?", 1)
    return path + "?" + "&".join(p for p in query.split("&") if not p.startswith(name + "="))


def query_params(url):
    return [p.split("=", 1)[0] for p in url.split("?", 1)[1].split("&")]


def msk_vectors():
    """The python signer's cases (whole tokens byte for byte with its User-Agent), and the same
    inputs signed by the js signer. The js cases go in `cases` (ids msk-js-*) if their URL is the
    python one with the js User-Agent; otherwise, as with 1.0.3, in `js_cases`, with the layout
    described in each and the signature checked equal to the python signer's."""
    import botocore

    py_version = msk_base()["user_agent"].split("/")[1]
    cases, js_cases = [], []
    inputs = msk_cases()
    for id_, case in inputs:
        cases.append({
            "id": id_,
            "source": f"aws-msk-iam-sasl-signer-python {py_version} generate_auth_token_from_credentials_provider "
                      f"on botocore {botocore.__version__}, clock frozen at {case['time']}",
            "input": {**case, "time": unix(case["time"])},
            "expected": msk_expected(case),
        })
    signed = msk_js([(id_, case) for id_, case in inputs])
    js_version = msk_js_version()
    js_ua = f"{MSK_JS_SIGNER}/{js_version}"
    for (id_, case), py in zip(inputs, cases):
        js = signed[id_]
        py_url = py["expected"]["url"]
        js_url = js["url"]
        assert without_param(js_url, "User-Agent").split("X-Amz-Signature=")[1][:64] == py["expected"]["signature"], id_
        assert js["expiry_ms"] == py["expected"]["expiry_ms"], id_
        same_layout = js_url == py_url.replace(py["input"]["user_agent"].replace("/", "%2F"), js_ua.replace("/", "%2F"))
        vector = {
            "id": "msk-js-" + id_[len("msk-"):],
            "source": f"{MSK_JS_SIGNER} {js_version} generateAuthTokenFromCredentialsProvider on node "
                      f"(package-lock.json), Date frozen at {case['time']}",
            "input": {**py["input"], "user_agent": js_ua},
        }
        if same_layout:
            vector["expected"] = {**{k: py["expected"][k] for k in ("canonical_request", "string_to_sign",
                                                                  "signature")},
                                  "url": js_url, "token": js["token"], "expiry_ms": js["expiry_ms"]}
            cases.append(vector)
        else:
            vector["layout"] = MSK_JS_LAYOUT
            vector["expected"] = {"signature": py["expected"]["signature"], "params": query_params(js_url),
                                  "url": js_url, "token": js["token"], "expiry_ms": js["expiry_ms"]}
            js_cases.append(vector)
    return cases, js_cases, js_version


def msk_errors():
    """One invalid field per case, in our field order (region, credentials, time, expires_in,
    user_agent). User agent: 1..=256 printable ASCII characters (0x20..=0x7E); expires_in
    1..=900 (the python signer's fixed 900 is the limit)."""
    rules = "iamauth input rules (README, Input rules)"
    out = []

    def add(id_, code, **kw):
        case = msk_base(**kw)
        out.append({"id": id_, "source": rules, "input": {**case, "time": unix(case["time"])}, "error": code})

    for name, region in BAD_REGIONS.items():
        add(f"msk-region-{name}", "INVALID_REGION", region=region)
    for name, ua in {
        "empty": "", "control": "signer/1.0\u0001", "newline": "signer/1.0\n", "del": "signer\u007f/1.0",
        "non-ascii": "signér/1.0", "too-long": "u" * 257,
    }.items():
        add(f"msk-user-agent-{name}", "INVALID_USER_AGENT", user_agent=ua)
    for n in (0, 901, -1):
        add(f"msk-expires-{n}", "INVALID_EXPIRY", expires_in=n)
    for name, kw in BAD_CREDENTIALS.items():
        add(f"msk-credentials-{name}", "INVALID_CREDENTIALS", **kw)
    for t in BAD_TIMES:
        add(f"msk-time-{t}", "INVALID_TIME")
        out[-1]["input"]["time"] = t
    return out


def main():
    check = "--check" in sys.argv
    tokens = token_vectors()
    import awscli
    import botocore

    eks = eks_vectors()
    bundled = eks_bundled_check(eks)
    msk, msk_js_cases, js_version = msk_vectors()

    files = {
        "tokens.json": {
            "generator": "tests/vectors/generate.py",
            "botocore": botocore.__version__,
            "note": "input.time is unix seconds; expected.* are botocore's own values",
            "cases": tokens,
        },
        "errors.json": {
            "generator": "tests/vectors/generate.py",
            "note": "one invalid field per case; input.time is unix seconds",
            "cases": error_vectors(),
        },
        "layouts.json": {
            "generator": "tests/vectors/generate.py",
            "note": "other SDKs' parameter orders of tokens in tokens.json; inspect must read each like its original",
            "cases": layout_vectors(tokens),
        },
        "verify.json": {
            "generator": "tests/vectors/generate.py",
            "note": "verify(token, keys, expect, now) -> outcome. keys: the keys-file shape (with the optional "
                    "users / hosts grants). expect: absent fields are the defaults (any host, port, user, "
                    "action, region; service rds-db; skew 300; no cluster, which an EKS token needs). "
                    "Tokens are as clients send them (EKS and MSK ones in base64). now: unix "
                    "seconds. outcome: {identity} (user and port null when the token has none) or {code}, "
                    "the first failed check in core/src/verify.rs's order",
            "cases": verify_vectors(),
        },
        "eks.json": {
            "generator": "tests/vectors/generate.py",
            "awscli": awscli.__version__,
            "botocore": botocore.__version__,
            "note": "input.time is unix seconds; expected.* are awscli's TokenGenerator values (the SigV4 steps "
                    "recorded inside botocore; url is the token decoded; expiration_timestamp is GetTokenCommand's "
                    f"now + 14 min). The same expectations come out of the botocore {bundled} that awscli "
                    f"{awscli.__version__} bundles (what `aws eks get-token` runs); the generator checks it. "
                    "sts_endpoint global is botocore's sts_regional_endpoints=legacy: sts.amazonaws.com signed "
                    "for us-east-1 for the regions of its legacy list, the regional endpoint elsewhere. errors: one "
                    "invalid field per case",
            "cases": eks,
            "errors": eks_errors(),
        },
        "msk.json": {
            "generator": "tests/vectors/generate.py",
            "python_signer": f"aws-msk-iam-sasl-signer-python {msk_base()['user_agent'].split('/')[1]}",
            "js_signer": f"{MSK_JS_SIGNER} {js_version}",
            "botocore": botocore.__version__,
            "note": "input.time is unix seconds; expected.* are aws-msk-iam-sasl-signer-python's values (the SigV4 "
                    "steps recorded inside botocore; url is the token decoded, with the reference's own unsigned "
                    "User-Agent parameter, input.user_agent, after the signature); the host is "
                    "kafka.<region>.amazonaws.com in every partition, as both signers make it. js_cases: the same "
                    "inputs signed by the js signer, whose parameter order differs (see each case's layout); its "
                    "signature and expiry equal the python signer's (checked). errors: one invalid field per case",
            "cases": msk,
            "js_cases": msk_js_cases,
            "errors": msk_errors(),
        },
    }
    stale = []
    for name, data in files.items():
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        path = os.path.join(HERE, name)
        if check:
            if not os.path.exists(path):
                stale.append(name)
                continue
            with open(path, encoding="utf-8") as f:
                if f.read() != text:
                    stale.append(name)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            extra = "".join(f", {len(data[k])} {k}" for k in ("js_cases", "errors") if k in data)
            print(f"wrote {path}: {len(data['cases'])} cases{extra}")
    if stale:
        sys.exit(f"stale vectors (rerun tests/vectors/generate.py): {', '.join(stale)}")
    if check:
        print("vectors are up to date")


if __name__ == "__main__":
    if "--eks-bundled" in sys.argv:
        import awscli  # noqa: F401  first, so that `import botocore` is awscli's own (as in `aws`)

        eks_bundled()
        sys.exit(0)
    botocore_venv.ensure(__file__, botocore_venv.REFERENCES)
    main()
