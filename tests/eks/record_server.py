#!/usr/bin/env python3
"""A loopback HTTPS server standing in for a Kubernetes API server: it answers every GET with a
small JSON object (what `kubectl get --raw` prints) and appends each request's Authorization
header, one per line, to the file given. Binds 127.0.0.1 only, on a free port it writes to the
port file once it listens. TLS with the given self-signed certificate and key (kubectl sends
exec-plugin credentials only over TLS).

    python3 record_server.py AUTH_LOG PORT_FILE CERT KEY
"""

import http.server
import ssl
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(sys.argv[1], "a", encoding="utf-8") as log:
            log.write(self.headers.get("Authorization", "") + "\n")
        body = b'{"major":"1","minor":"32","gitVersion":"v1.32.0-iamauth-test"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[3], sys.argv[4])
server.socket = context.wrap_socket(server.socket, server_side=True)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
