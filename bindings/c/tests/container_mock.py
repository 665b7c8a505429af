#!/usr/bin/env python3
"""A container credentials endpoint on 127.0.0.1 for the C and Java tests of the credential chain
(bindings/c/tests/test_credentials.c, bindings/java/tests/dev/iamauth/ChainProbe.java), answering
as the ECS agent and EKS Pod Identity do. Prints its port on the first line of stdout, then serves
until killed (test.sh and suite.sh stop it by PID).

  GET /creds   with `Authorization: mock-authorization-token` (AWS_CONTAINER_AUTHORIZATION_TOKEN):
               200 and the credentials below; without it, or with another value: 401
  GET /hits    the number of credentials answered so far (text), so a test can see its cache
  anything else: 404

The tests know these values; keep them in step with KEYS in test_credentials.c and ChainProbe.java.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

AUTHORIZATION = "mock-authorization-token"
CREDENTIALS = {
    "Code": "Success",
    "Type": "AWS-HMAC",
    "AccessKeyId": "ASIAMOCKEXAMPLE",
    "SecretAccessKey": "mockSecretKey/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "Token": "IQoJb3JpZ2luX2VjEMockSessionToken+/=",
    "Expiration": "2099-01-01T00:00:00Z",  # 4070908800
    "LastUpdated": "2024-01-02T03:00:00Z",
}

hits = 0
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        global hits
        if self.path == "/creds":
            if self.headers.get("Authorization") != AUTHORIZATION:
                return self.answer(401, b'{"Message":"unauthorized"}')
            with lock:
                hits += 1
            return self.answer(200, json.dumps(CREDENTIALS).encode())
        if self.path == "/hits":
            with lock:
                return self.answer(200, str(hits).encode(), "text/plain")
        self.answer(404, b'{"Message":"not found"}')

    def answer(self, status, body, kind="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    sys.exit(0)
