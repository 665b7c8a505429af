#!/usr/bin/env python3
"""Writes N seeded random valid token cases, each signed by botocore (pinned, in the throwaway venv
of tests/vectors/botocore_venv.py, its clock frozen per case), one tab-separated line per case:

    id kind host port user region action service serverless time expires_in
    access_key_id secret_access_key session_token now token

`kind` is rds, dsql, elasticache, eks or msk; `port` 0 and `user` empty where the kind has none;
eks: `host` is the cluster name and `action` the STS endpoint (regional / global), signed by awscli's
TokenGenerator; msk: `user` is the User-Agent (the Python signer's own, so whole tokens compare),
signed by aws-msk-iam-sasl-signer-python;
`session_token` empty for none; `now` a time inside the token's validity (for verify); `token`
botocore's. No field holds a tab or a newline (users have no control characters, by the user
rule). The same --seed and --n always give the same file.

    python3 tests/differential/cases.py --n 10000 --seed 1 --out target/differential/cases.tsv
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors"))
import botocore_venv  # noqa: E402

MAX_UNIX_TIME = 253402300799  # 9999-12-31T23:59:59Z

# Credential sets, one per access key id (verify looks a key up by its id): AWS's example, ids
# with `_` and digits, secrets with `/` and `+`, session tokens short and long (STS-shaped, with
# `/`, `+` and `=`, up to about 2,000 characters).
def credential_pool(rng):
    b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    pool = [("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None),
            ("ACCESS_KEY", "SECRET_KEY", "SESSION_TOKEN")]
    for i in range(10):
        akid = ("ASIA" if i % 2 else "AKIA") + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
        secret = "".join(rng.choice(b64) for _ in range(40))
        session = None
        if i % 2:
            n = rng.choice([16, 356, 744, 1024, 2048])
            session = "IQoJb3JpZ2luX2Vj" + "".join(rng.choice(b64) for _ in range(n)) + rng.choice(["", "=", "=="])
        pool.append((akid, secret, session))
    return pool


PARTITIONS = [
    (["us-east-1", "us-west-2", "eu-west-3", "eu-central-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1",
      "me-central-1", "il-central-1", "ca-west-1", "af-south-1"], "amazonaws.com", "on.aws"),
    (["cn-north-1", "cn-northwest-1"], "amazonaws.com.cn", "on.amazonwebservices.com.cn"),
    (["us-gov-west-1", "us-gov-east-1"], "amazonaws.com", "on.aws"),
]

# Users: ASCII letters, every reserved and printable character, Latin-1, CJK, emoji, spaces.
ASCII = [chr(c) for c in range(0x20, 0x7F)]
WIDE = list("äöüßéñçøåÆ") + list("用户数据库管理員") + ["🐘", "🔑", "💾", "𝔘"] + ["\u00a0", "\u200b", "\u2028", "\ufeff"]


def user(rng):
    style = rng.random()
    if style < 0.3:
        return rng.choice(["iam_user", "app", "postgres", "admin", "report_reader", "default", "a"])
    if style < 0.4:
        return rng.choice(["x&DBUser=admin", "a=b&c", "100%", "a%20b", "o'neil\\\"", "a#b?c", "-admin", "~u~"])
    out, size = [], 0
    limit = rng.choice([1, 8, 32, 64, 200, 512])
    # Up to 64 characters, or filled up to the user rule's 512 bytes.
    for _ in range(512 if limit == 512 else rng.randint(1, 64) if limit > 1 else 1):
        c = rng.choice(ASCII) if rng.random() < 0.7 else rng.choice(WIDE)
        if size + len(c.encode()) > limit:
            break
        out.append(c)
        size += len(c.encode())
    return "".join(out) or "u"


def label(rng, n=None):
    n = n or rng.randint(1, 20)
    first = rng.choice("abcdefghijklmnopqrstuvwxyz")
    return first + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789-") for _ in range(n - 1)).rstrip("-")


def case_upper(rng, host):
    return host.upper() if rng.random() < 0.05 else (host.title() if rng.random() < 0.05 else host)


def ip_host(rng):
    if rng.random() < 0.5:
        return ".".join(str(rng.randint(0, 255)) for _ in range(4))
    groups = [format(rng.randint(0, 0xFFFF), rng.choice(["x", "X"])) for _ in range(8)]
    form = rng.random()
    if form < 0.4:
        text = ":".join(groups)
    elif form < 0.8:
        cut = rng.randint(1, 6)
        text = ":".join(groups[:cut]) + "::" + ":".join(groups[cut + 1 + rng.randint(0, 1):])
    else:
        text = rng.choice(["::1", "::", "fe80::1", "::ffff:10.0.0.1", "2001:db8::"])
    return f"[{text}]"


def time_and_now(rng, expires_in):
    r = rng.random()
    if r < 0.03:
        t = 0
    elif r < 0.06:
        t = MAX_UNIX_TIME - rng.randint(0, 1000)
    elif r < 0.5:
        t = rng.randint(1_600_000_000, 1_900_000_000)
    else:
        t = rng.randint(0, MAX_UNIX_TIME)
    now = rng.randint(t, min(t + expires_in - 1, MAX_UNIX_TIME))
    return t, now


def expiry(rng, limit):
    r = rng.random()
    if r < 0.5:
        return 900 if limit >= 900 else limit
    if r < 0.6:
        return rng.choice([1, limit])
    return rng.randint(1, limit)


def make_case(rng, i, pool):
    regions, rds_suffix, dsql_suffix = rng.choice(PARTITIONS)
    region = rng.choice(regions)
    akid, secret, session = rng.choice(pool)
    kind = rng.choices(["rds", "dsql", "elasticache", "eks", "msk"], [5, 3, 3, 3, 2])[0]
    c = {"id": i, "kind": kind, "port": 0, "user": "", "region": region, "serverless": 0,
         "access_key_id": akid, "secret_access_key": secret, "session_token": session or ""}
    if kind == "rds":
        r = rng.random()
        if r < 0.15:
            host = ip_host(rng)
        elif r < 0.2:
            host = rng.choice(["localhost", "db", "db.internal"])
        else:
            cluster = rng.choice(["", "cluster-", "cluster-ro-", "proxy-", "cluster-custom-"])
            host = f"{label(rng)}.{cluster}{label(rng, 12)}.{region}.rds.{rds_suffix}"
        c.update(host=case_upper(rng, host), port=rng.choice([5432, 3306, 443, 1, 65535, rng.randint(1, 65535)]),
                 user=user(rng), action="connect", service="rds-db", expires_in=expiry(rng, 900))
    elif kind == "dsql":
        host = ip_host(rng) if rng.random() < 0.05 else f"{label(rng, 26)}.dsql.{region}.{dsql_suffix}"
        c.update(host=case_upper(rng, host), action=rng.choice(["DbConnect", "DbConnectAdmin"]), service="dsql",
                 expires_in=expiry(rng, 604800))
    elif kind == "eks":
        # EKS's cluster name rule: a letter or digit, then letters, digits, '-' and '_' (1 to 100).
        alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        n = rng.choice([1, 10, rng.randint(1, 100), 100])
        cluster = rng.choice(alnum) + "".join(rng.choice(alnum + "-_") for _ in range(n - 1))
        c.update(host=cluster, action=rng.choice(["regional", "global"]), service="sts", expires_in=60)
        # The server accepts an EKS token for 15 minutes, whatever X-Amz-Expires says.
        c["time"], c["now"] = time_and_now(rng, 900)
        return c
    elif kind == "msk":
        c.update(host=f"kafka.{region}.amazonaws.com", user=MSK_USER_AGENT, action="kafka-cluster:Connect",
                 service="kafka-cluster", expires_in=900)
    else:
        service = rng.choice(["elasticache", "memorydb"])
        c.update(host=case_upper(rng, label(rng, rng.randint(1, 40))), user=user(rng), action="connect",
                 service=service, serverless=int(rng.random() < 0.4), expires_in=expiry(rng, 900))
    c["time"], c["now"] = time_and_now(rng, c["expires_in"])
    return c


# aws-msk-iam-sasl-signer-python writes its own name and version; the case gives ours the same.
MSK_USER_AGENT = "aws-msk-iam-sasl-signer-python/1.0.2"


class Botocore:
    """botocore's own entry points, clients made once per credential set."""

    def __init__(self):
        import datetime

        import botocore.auth
        import botocore.session

        self.session = botocore.session.get_session()
        self.emitter = self.session.get_component("event_emitter")
        self.clients = {}
        self.when = datetime.datetime(2000, 1, 1)
        botocore.auth.get_current_datetime = lambda *a, **k: self.when

    def freeze(self, unix):
        import datetime

        self.when = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=unix)

    def client(self, service, c):
        key = (service, c["access_key_id"])
        if key not in self.clients:
            if service in ("rds", "dsql"):
                self.clients[key] = self.session.create_client(
                    service, region_name="us-east-1", aws_access_key_id=c["access_key_id"],
                    aws_secret_access_key=c["secret_access_key"], aws_session_token=c["session_token"] or None)
            else:
                from botocore.credentials import Credentials
                from botocore.model import ServiceId
                from botocore.signers import RequestSigner

                creds = Credentials(c["access_key_id"], c["secret_access_key"], c["session_token"] or None)
                self.clients[key] = RequestSigner(ServiceId(service), "us-east-1", service, "v4", creds, self.emitter)
        return self.clients[key]

    def sts(self, c):
        """awscli's STS client for `aws eks get-token` (its k8s-aws-id handlers registered), with
        botocore's `sts_regional_endpoints` regional or legacy (the global endpoint)."""
        key = ("sts", c["action"], c["region"], c["access_key_id"])
        if key not in self.clients:
            import botocore.session
            from awscli.customizations.eks.get_token import STSClientFactory

            session = botocore.session.get_session()
            session.set_config_variable("sts_regional_endpoints", "legacy" if c["action"] == "global" else "regional")
            sts = session.create_client(
                "sts", region_name=c["region"], aws_access_key_id=c["access_key_id"],
                aws_secret_access_key=c["secret_access_key"], aws_session_token=c["session_token"] or None)
            STSClientFactory(session)._register_k8s_aws_id_handlers(sts)
            self.clients[key] = sts
        return self.clients[key]

    def msk(self, c):
        from aws_msk_iam_sasl_signer import MSKAuthTokenProvider
        from botocore.credentials import CredentialProvider, Credentials

        class Fixed(CredentialProvider):
            def load(self):
                return Credentials(c["access_key_id"], c["secret_access_key"], c["session_token"] or None)

        token, expiry_ms = MSKAuthTokenProvider.generate_auth_token_from_credentials_provider(c["region"], Fixed())
        assert expiry_ms == (c["time"] + c["expires_in"]) * 1000, (c, expiry_ms)
        return token

    def token(self, c):
        self.freeze(c["time"])
        if c["kind"] == "eks":
            from awscli.customizations.eks.get_token import TokenGenerator

            return TokenGenerator(self.sts(c)).get_token(c["host"])
        if c["kind"] == "msk":
            return self.msk(c)
        if c["kind"] == "rds":
            rds = self.client("rds", c)
            if c["expires_in"] == 900:
                return rds.generate_db_auth_token(c["host"], c["port"], c["user"], Region=c["region"])
            # generate_db_auth_token's own body with expires_in changed (it has no parameter).
            from botocore.awsrequest import prepare_request_dict

            request = {"url_path": "/", "query_string": "", "headers": {}, "method": "GET",
                       "body": {"Action": "connect", "DBUser": c["user"]}}
            prepare_request_dict(request, f"https://{c['host']}:{c['port']}")
            url = rds._request_signer.generate_presigned_url(
                operation_name="connect", request_dict=request, region_name=c["region"],
                expires_in=c["expires_in"], signing_name="rds-db")
            return url[len("https://"):]
        if c["kind"] == "dsql":
            dsql = self.client("dsql", c)
            make = (dsql.generate_db_connect_admin_auth_token if c["action"] == "DbConnectAdmin"
                    else dsql.generate_db_connect_auth_token)
            return make(c["host"], c["region"], c["expires_in"])
        # AWS's documented ElastiCache / MemoryDB recipe (as tests/vectors/generate.py).
        from urllib.parse import quote

        query = f"Action=connect&User={quote(c['user'], safe='')}"
        if c["serverless"]:
            query += "&ResourceType=ServerlessCache"
        url = self.client(c["service"], c).generate_presigned_url(
            {"method": "GET", "url": f"http://{c['host']}/?{query}", "body": {}, "headers": {}, "context": {}},
            operation_name="connect", expires_in=c["expires_in"], region_name=c["region"])
        return url[len("http://"):]


FIELDS = ["id", "kind", "host", "port", "user", "region", "action", "service", "serverless", "time", "expires_in",
          "access_key_id", "secret_access_key", "session_token", "now"]


CHUNK = 1000
_signer = None


def chunk(job):
    """Cases [k * CHUNK, min(n, (k + 1) * CHUNK)) as text lines: each chunk has its own seeded
    generator, so the file depends on --seed and --n only, not on --jobs."""
    global _signer
    seed, k, n = job
    if _signer is None:
        _signer = Botocore()
    pool = credential_pool(random.Random(seed))
    rng = random.Random(f"{seed}:{k}")
    lines = []
    for i in range(k * CHUNK, min(n, (k + 1) * CHUNK)):
        c = make_case(rng, i, pool)
        row = [str(c[f]) for f in FIELDS] + [_signer.token(c)]
        assert not any("\t" in f or "\n" in f for f in row), c
        lines.append("\t".join(row) + "\n")
    return "".join(lines)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="signing processes (default: all cores)")
    args = p.parse_args()
    botocore_venv.ensure(__file__, botocore_venv.REFERENCES)
    jobs = [(args.seed, k, args.n) for k in range((args.n + CHUNK - 1) // CHUNK)]
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        if args.jobs <= 1 or len(jobs) <= 1:
            for job in jobs:
                out.write(chunk(job))
        else:
            import multiprocessing

            with multiprocessing.Pool(args.jobs) as pool:
                for text in pool.imap(chunk, jobs):
                    out.write(text)


if __name__ == "__main__":
    main()
