#!/usr/bin/env python3
"""Writes tests/vectors/{tokens,errors,layouts}.json: the cross-language vectors.

Expected tokens come from botocore (pinned below), installed from PyPI into a throwaway venv,
with its clock frozen per case; the intermediate SigV4 steps are recorded from inside botocore.
Nothing here computes a signature itself.

    python3 tests/vectors/generate.py          # regenerate (creates and removes a venv)
    python3 tests/vectors/generate.py --check  # regenerate in memory and diff with the files

Error cases are this project's input rules (README "Input rules"), one invalid field per case.
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
        for name, region in {
            "empty": "", "words": "US EAST", "slash": "us-east-1/x", "upper": "US-EAST-1", "underscore": "us_east_1",
            "no-dash": "useast1", "no-number": "us-east-", "trailing-space": "us-east-1 ", "short-prefix": "u-east-1",
            "zero": "us-east-0", "three-digit": "us-east-100", "non-ascii": "us-eäst-1", "too-long": "us-" + "a" * 40 + "-1",
        }.items():
            add(f"{kind}-region-{name}", kind, "INVALID_REGION", region=region)
    for kind, values in {
        "rds": (0, -1, 901, 3600, 9223372036854775807),
        "dsql": (0, -900, 604801, 9223372036854775807),
        "elasticache": (0, 901),
    }.items():
        for n in values:
            add(f"{kind}-expires-{n}", kind, "INVALID_EXPIRY", expires_in=n)
    for kind in ("rds", "dsql", "elasticache"):
        for name, kw in {
            "akid-empty": {"access_key_id": ""}, "akid-space": {"access_key_id": "AKID EXAMPLE"},
            "akid-slash": {"access_key_id": "AKID/EXAMPLE"}, "akid-non-ascii": {"access_key_id": "AKIDÉXAMPLE"},
            "akid-too-long": {"access_key_id": "A" * 129}, "secret-empty": {"secret_access_key": ""},
            "secret-too-long": {"secret_access_key": "s" * 129}, "token-empty": {"session_token": ""},
            "token-space": {"session_token": "abc def"}, "token-newline": {"session_token": "abc\ndef"},
            "token-too-long": {"session_token": "t" * 8193},
        }.items():
            add(f"{kind}-credentials-{name}", kind, "INVALID_CREDENTIALS", **kw)
    for kind in ("rds", "dsql", "elasticache"):
        for t in (-1, 253402300800, -9223372036854775808, 9223372036854775807):
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


def main():
    check = "--check" in sys.argv
    tokens = token_vectors()
    import botocore

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
    }
    stale = []
    for name, data in files.items():
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        path = os.path.join(HERE, name)
        if check:
            with open(path, encoding="utf-8") as f:
                if f.read() != text:
                    stale.append(name)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"wrote {path}: {len(data['cases'])} cases")
    if stale:
        sys.exit(f"stale vectors (rerun tests/vectors/generate.py): {', '.join(stale)}")
    if check:
        print("vectors are up to date")


if __name__ == "__main__":
    botocore_venv.ensure(__file__)
    main()
