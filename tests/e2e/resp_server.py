"""A small RESP endpoint standing in for ElastiCache / MemoryDB with IAM authentication (run by
tests/e2e/run with the e2e venv's pyiamauth): `AUTH user token` and `HELLO 2|3 AUTH user token`
are answered by this project's verify (the cache name as host, the user, the region, service
`elasticache` or `memorydb`, the fake keys), and every other command but QUIT is refused with
NOAUTH until one succeeded, as a real cache does. `PING`, `ECHO`, `SET`/`GET` (in memory),
`SELECT 0`, `CLIENT ...` and `INFO` answer after that. A refused AUTH is `-WRONGPASS ...
(CODE)`, the core's code appended for the tests.

`--drop-after S` closes a connection S seconds after its AUTH (a client must reconnect, and so
present a fresh token, after its short-lived one expired); every AUTH is a JSON line in `--log`:
{"code", "user", "signedAt", "token"} (the token's SHA-256 only).

    python resp_server.py --service elasticache --name my-cache --user iam-user-01 \\
        --region us-east-1 --keys keys.json --port-file F [--drop-after 4] [--log F]
"""
import argparse
import asyncio
import hashlib
import json
import os
import signal

import pyiamauth


class Conn(asyncio.Protocol):
    def __init__(self, cfg):
        self.cfg, self.buf, self.authed, self.transport = cfg, b"", False, None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buf += data
        if len(self.buf) > 1 << 20:
            self.transport.close()
            return
        while True:
            parsed = parse(self.buf)
            if parsed is None:
                return
            args, self.buf = parsed
            if args:
                self.command(args)

    def reply(self, data):
        if not self.transport.is_closing():
            self.transport.write(data)

    def auth(self, user, token):
        cfg = self.cfg
        try:
            who = pyiamauth.verify(token, cfg.keys, host=cfg.name, user=user, region=cfg.region,
                                   service=cfg.service)
            code, signed = "OK", who.signed_at
        except pyiamauth.IamAuthError as e:
            code, signed = e.code, None
        with open(cfg.log, "a") as f:
            f.write(json.dumps({"code": code, "user": user, "signedAt": signed,
                                "token": hashlib.sha256(token.encode()).hexdigest()}) + "\n")
        if code != "OK":
            return False, f"-WRONGPASS invalid username-password pair or user is disabled. ({code})\r\n"
        if not self.authed and cfg.drop_after:
            asyncio.get_running_loop().call_later(cfg.drop_after, self.transport.close)
        self.authed = True
        return True, "+OK\r\n"

    def command(self, args):
        name = args[0].upper()
        rest = args[1:]
        if name == "QUIT":
            self.reply(b"+OK\r\n")
            self.transport.close()
            return
        if name == "AUTH":
            if len(rest) != 2:
                # No default user here: IAM authentication always names its user.
                self.reply(b"-WRONGPASS invalid username-password pair or user is disabled. (NO_USER)\r\n")
                return
            _, answer = self.auth(rest[0], rest[1])
            self.reply(answer.encode())
            return
        if name == "HELLO":
            proto = rest[0] if rest else "2"
            if proto not in ("2", "3"):
                self.reply(b"-NOPROTO unsupported protocol version\r\n")
                return
            i = 1
            while i < len(rest):
                opt = rest[i].upper()
                if opt == "AUTH" and i + 2 < len(rest):
                    ok, answer = self.auth(rest[i + 1], rest[i + 2])
                    if not ok:
                        self.reply(answer.encode())
                        return
                    i += 3
                elif opt == "SETNAME" and i + 1 < len(rest):
                    i += 2
                else:
                    self.reply(b"-ERR syntax error in HELLO\r\n")
                    return
            if not self.authed:
                self.reply(b"-NOAUTH HELLO must be called with the client already authenticated\r\n")
                return
            fields = [("server", "redis"), ("version", "7.1.0"), ("proto", int(proto)), ("id", 1),
                      ("mode", "standalone"), ("role", "master"), ("modules", [])]
            self.reply(encode_map(fields, proto == "3"))
            return
        if not self.authed:
            self.reply(b"-NOAUTH Authentication required.\r\n")
            return
        if name == "PING":
            self.reply(b"+PONG\r\n" if not rest else bulk(rest[0]))
        elif name == "ECHO" and rest:
            self.reply(bulk(rest[0]))
        elif name == "SET" and len(rest) >= 2:
            self.cfg.store[rest[0]] = rest[1]
            self.reply(b"+OK\r\n")
        elif name == "GET" and rest:
            value = self.cfg.store.get(rest[0])
            self.reply(b"$-1\r\n" if value is None else bulk(value))
        elif name in ("SELECT", "CLIENT", "READONLY"):
            self.reply(b"+OK\r\n")
        elif name == "INFO":
            self.reply(bulk("# Server\r\nredis_version:7.1.0\r\nredis_mode:standalone\r\n"))
        else:
            self.reply(f"-ERR unknown command '{args[0][:32]}'\r\n".encode())


def bulk(s):
    b = s.encode()
    return b"$%d\r\n%s\r\n" % (len(b), b)


def encode_map(fields, resp3):
    def one(v):
        if isinstance(v, int):
            return b":%d\r\n" % v
        if isinstance(v, list):
            return b"*0\r\n"
        return bulk(v)
    out = (b"%%%d\r\n" % len(fields)) if resp3 else (b"*%d\r\n" % (2 * len(fields)))
    for k, v in fields:
        out += bulk(k) + one(v)
    return out


def parse(buf):
    """(args, rest) for one complete command in `buf`, or None when more is needed."""
    if not buf:
        return None
    if buf[:1] != b"*":
        end = buf.find(b"\r\n")
        if end < 0:
            return None
        return buf[:end].decode(errors="replace").split(), buf[end + 2:]
    end = buf.find(b"\r\n")
    if end < 0:
        return None
    n, at, args = int(buf[1:end]), end + 2, []
    for _ in range(n):
        end = buf.find(b"\r\n", at)
        if end < 0 or buf[at:at + 1] != b"$":
            return None
        size = int(buf[at + 1:end])
        start = end + 2
        if len(buf) < start + size + 2:
            return None
        args.append(buf[start:start + size].decode(errors="replace"))
        at = start + size + 2
    return args, buf[at:]


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--service", required=True, choices=["elasticache", "memorydb"])
    ap.add_argument("--name", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--region", required=True)
    ap.add_argument("--keys", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--drop-after", type=float, default=0)
    ap.add_argument("--log", default=os.devnull)
    cfg = ap.parse_args()
    with open(cfg.keys) as f:
        cfg.keys = f.read()
    cfg.store = {}
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Conn(cfg), "127.0.0.1", 0)
    tmp = cfg.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.sockets[0].getsockname()[1]))
    os.replace(tmp, cfg.port_file)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
