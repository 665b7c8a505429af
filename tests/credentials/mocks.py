"""Loopback mocks of the AWS credential endpoints, shared by botocore and iamauth in the
differential (differential.py): IMDS and the container endpoint over http, STS and the SSO
portal over https with a test CA (made with the openssl command). Each checks what the real
service checks: IMDS wants the session token on every GET and the TTL header on the PUT; the
container endpoint its Authorization header; STS a valid SigV4 signature (botocore signs a
POST with an Authorization header, iamauth presigns a GET: both are recomputed here with the
secret of the key they name); the SSO portal the cached bearer token. Answers are a function of
the request only, so both resolvers get the same credentials."""

import hashlib
import hmac
import http.server
import json
import os
import ssl
import subprocess
import threading
import time
import urllib.parse

# The long-term keys the mocks know (what a fixture's files and environment hold), by id.
SECRETS = {
    "AKIDEXAMPLE": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "AKIDSECOND": "second/secret+key/EXAMPLEKEYEXAMPLEKEY00",
    "AKIDTHIRD": "third+secret/key/EXAMPLEKEYEXAMPLEKEY000",
}
IMDS_TOKEN = "imds-session-token-AQAEAFE0"
CONTAINER_TOKEN = "container-authorization-token"
SSO_TOKEN = "sso-cached-access-token"
WEB_IDENTITY_TOKEN = "eyJhbGciOiJSUzI1NiJ9.web.identity"


def expiration(hours):
    """A fixed expiration some hours ahead of now, whole seconds (both resolvers see the same)."""
    t = (int(time.time()) // 3600 + 1 + hours) * 3600
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)), t


def issued(kind, *parts):
    """Deterministic temporary credentials for one request's identity."""
    seed = hashlib.sha256("|".join((kind,) + parts).encode()).hexdigest()
    akid = "ASIA" + seed[:16].upper()
    secret = seed[16:56]
    token = "IQoJb3JpZ2luX2VjE" + seed[:40] + "/+="
    SECRETS[akid] = secret
    return akid, secret, token


def sigv4_key(secret, date, region, service):
    k = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return k


def uri_encode(s):
    return urllib.parse.quote(s, safe="-_.~")


def signature(secret, scope, amz_date, canonical_request):
    date, region, service, _ = scope
    string_to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, "/".join(scope), hashlib.sha256(canonical_request.encode()).hexdigest()]
    )
    return hmac.new(sigv4_key(secret, date, region, service), string_to_sign.encode(), hashlib.sha256).hexdigest()


def verify_sigv4(method, path, query, headers, body):
    """The access key id of a correctly signed request (header or presigned), else None."""
    params = urllib.parse.parse_qsl(query, keep_blank_values=True)
    if "Authorization" in headers:
        auth = headers["Authorization"]
        fields = dict(p.strip().split("=", 1) for p in auth.split(" ", 1)[1].split(","))
        akid, *scope = fields["Credential"].split("/")
        signed = fields["SignedHeaders"].split(";")
        canonical_headers = "".join(f"{h}:{' '.join(headers[h].split())}\n" for h in signed)
        canonical_query = "&".join(
            f"{uri_encode(k)}={uri_encode(v)}" for k, v in sorted(params)
        )
        canonical = "\n".join(
            [method, path, canonical_query, canonical_headers, ";".join(signed), hashlib.sha256(body).hexdigest()]
        )
        given, amz_date = fields["Signature"], headers["X-Amz-Date"]
    else:
        q = dict(params)
        if "X-Amz-Signature" not in q:
            return None
        akid, *scope = q["X-Amz-Credential"].split("/")
        signed = q["X-Amz-SignedHeaders"].split(";")
        canonical_headers = "".join(f"{h}:{headers[h]}\n" for h in signed)
        canonical_query = "&".join(
            f"{uri_encode(k)}={uri_encode(v)}" for k, v in sorted(params) if k != "X-Amz-Signature"
        )
        canonical = "\n".join(
            [method, path, canonical_query, canonical_headers, ";".join(signed), hashlib.sha256(b"").hexdigest()]
        )
        given, amz_date = q["X-Amz-Signature"], q["X-Amz-Date"]
    secret = SECRETS.get(akid)
    if secret is None or not hmac.compare_digest(signature(secret, scope, amz_date, canonical), given):
        return None
    return akid


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _headers(self):
        # Case-insensitive lookups with the names as sent for the signature's canonical form.
        h = {k.lower(): v for k, v in self.headers.items()}
        h.update({k: v for k, v in self.headers.items()})
        return h

    def _reply(self, status, body, content_type="application/json"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        self.server.mock.handle(self, "GET")

    def do_PUT(self):
        self.server.mock.handle(self, "PUT")

    def do_POST(self):
        self.server.mock.handle(self, "POST")


class _Server(threading.Thread):
    def __init__(self, mock, tls_context=None):
        super().__init__(daemon=True)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.mock = mock
        if tls_context is not None:
            self.httpd.socket = tls_context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.scheme = "https" if tls_context else "http"

    def run(self):
        self.httpd.serve_forever(poll_interval=0.05)

    def url(self):
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Imds:
    def __init__(self, role="web-role", v1=False):
        self.role, self.v1, self.requests = role, v1, 0

    def handle(self, h, method):
        self.requests += 1
        path = urllib.parse.urlsplit(h.path).path
        if method == "PUT" and path == "/latest/api/token":
            if self.v1:
                return h._reply(403, "")
            if h.headers.get("x-aws-ec2-metadata-token-ttl-seconds") is None:
                return h._reply(400, "")
            return h._reply(200, IMDS_TOKEN, "text/plain")
        if not self.v1 and h.headers.get("x-aws-ec2-metadata-token") != IMDS_TOKEN:
            return h._reply(401, "")
        base = "/latest/meta-data/iam/security-credentials/"
        if path == base:
            return h._reply(200, self.role, "text/plain")
        if path == base + self.role:
            akid, secret, token = issued("imds", self.role)
            exp, _ = expiration(6)
            return h._reply(200, json.dumps({
                "Code": "Success", "LastUpdated": "2024-01-02T03:04:05Z", "Type": "AWS-HMAC",
                "AccessKeyId": akid, "SecretAccessKey": secret, "Token": token, "Expiration": exp,
            }))
        return h._reply(404, "")


class Container:
    def __init__(self):
        self.requests = 0

    def handle(self, h, method):
        self.requests += 1
        if h.headers.get("Authorization") not in (None, CONTAINER_TOKEN):
            return h._reply(401, "{}")
        akid, secret, token = issued("container", h.path, h.headers.get("Authorization") or "")
        exp, _ = expiration(2)
        return h._reply(200, json.dumps({
            "AccessKeyId": akid, "SecretAccessKey": secret, "Token": token, "Expiration": exp,
            "RoleArn": "arn:aws:iam::123456789012:role/task",
        }))


class Sts:
    def __init__(self):
        self.requests = 0

    def handle(self, h, method):
        self.requests += 1
        url = urllib.parse.urlsplit(h.path)
        body = h._body()
        form = dict(urllib.parse.parse_qsl(body.decode())) if method == "POST" else {}
        params = dict(urllib.parse.parse_qsl(url.query)) | form
        action = params.get("Action")
        if action == "AssumeRoleWithWebIdentity":
            if params.get("WebIdentityToken") != WEB_IDENTITY_TOKEN:
                return self.error(h, 400, "InvalidIdentityToken", "bad token")
            who = "web"
        elif action == "AssumeRole":
            headers = h._headers()
            akid = verify_sigv4(method, url.path, url.query, headers, body)
            if akid is None:
                return self.error(h, 403, "SignatureDoesNotMatch", "signature")
            who = akid
        else:
            return self.error(h, 400, "InvalidAction", "no")
        # The session name is left out: without `role_session_name` each resolver makes its own
        # (botocore-session-<time>, iamauth-session-<time>).
        extra = "|".join(params.get(k, "") for k in ("ExternalId", "DurationSeconds"))
        akid, secret, token = issued("sts", action, params.get("RoleArn", ""), who, extra)
        exp, _ = expiration(1)
        return h._reply(200, (
            f'<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><{action}Result>'
            f"<Credentials><AccessKeyId>{akid}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>"
            f"<SessionToken>{token}</SessionToken><Expiration>{exp}</Expiration></Credentials>"
            f"</{action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{action}Response>"
        ), "text/xml")

    @staticmethod
    def error(h, status, code, message):
        return h._reply(status, (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>"
            "</Error><RequestId>r</RequestId></ErrorResponse>"), "text/xml")


class Sso:
    def __init__(self):
        self.requests = 0

    def handle(self, h, method):
        self.requests += 1
        url = urllib.parse.urlsplit(h.path)
        if url.path != "/federation/credentials":
            return h._reply(404, "{}")
        if h.headers.get("x-amz-sso_bearer_token") != SSO_TOKEN:
            return h._reply(401, '{"message":"Session token not found or invalid"}')
        q = dict(urllib.parse.parse_qsl(url.query))
        akid, secret, token = issued("sso", q.get("account_id", ""), q.get("role_name", ""))
        _, exp = expiration(3)
        return h._reply(200, json.dumps({"roleCredentials": {
            "accessKeyId": akid, "secretAccessKey": secret, "sessionToken": token,
            "expiration": exp * 1000}}))


class Mocks:
    """All four mocks and the test CA; `stop()` ends them."""

    def __init__(self, workdir):
        self.ca = os.path.join(workdir, "ca.pem")
        key, cert = os.path.join(workdir, "server.key"), os.path.join(workdir, "server.pem")
        ca_key = os.path.join(workdir, "ca.key")
        quiet = dict(check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key,
                        "-out", self.ca, "-days", "2", "-subj", "/CN=iamauth test CA"], **quiet)
        csr = os.path.join(workdir, "server.csr")
        subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr,
                        "-subj", "/CN=127.0.0.1"], **quiet)
        ext = os.path.join(workdir, "ext.cnf")
        with open(ext, "w") as f:
            f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                    "extendedKeyUsage=serverAuth\n")
        subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", ca_key,
                        "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", ext], **quiet)
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        self.imds, self.imds_v1 = Imds(), Imds(v1=True)
        self.container, self.sts, self.sso = Container(), Sts(), Sso()
        self.servers = {
            "imds": _Server(self.imds), "imds_v1": _Server(self.imds_v1),
            "container": _Server(self.container), "sts": _Server(self.sts, tls), "sso": _Server(self.sso, tls),
        }
        for s in self.servers.values():
            s.start()

    def url(self, name):
        return self.servers[name].url()

    def stop(self):
        for s in self.servers.values():
            s.stop()


def main(argv):
    """`python3 mocks.py serve DIR`: starts the mocks, writes DIR/mocks.json (their URLs and the
    CA file), runs until SIGTERM. `python3 mocks.py issued KIND PART...`: the credentials the
    mocks hand out for that request, as JSON (what a keys file for them holds)."""
    import signal
    import sys

    if len(argv) == 2 and argv[0] == "serve":
        m = Mocks(argv[1])
        urls = {name: m.url(name) for name in m.servers} | {"ca": m.ca}
        tmp = os.path.join(argv[1], "mocks.json.tmp")
        with open(tmp, "w") as f:
            json.dump(urls, f)
        os.replace(tmp, os.path.join(argv[1], "mocks.json"))
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            signal.pause()
        finally:
            m.stop()
        return 0
    if len(argv) >= 2 and argv[0] == "issued":
        akid, secret, token = issued(*argv[1:])
        print(json.dumps({"accessKeyId": akid, "secretAccessKey": secret, "sessionToken": token}))
        return 0
    print("usage: mocks.py serve DIR | mocks.py issued KIND PART...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
