"""Python drivers logging in with tokens from the pyiamauth wheel (run by tests/e2e/run).

    clients.py logins   psycopg2, psycopg 3, a SQLAlchemy engine (do_connect + pool_recycle)
    clients.py pools    SQLAlchemy across token expiry: 3 s tokens, pool_recycle=1
    clients.py chain    psycopg2 with credentials from pyiamauth.CredentialChain() (run with the
                        container or IMDS mock set and no keys in the environment)
Prints `ok   NAME` / `FAIL NAME: why` lines. Settings come from the E2E_* environment.
"""
import os
import sys
import time

import pyiamauth
import psycopg
import psycopg2
import sqlalchemy
from sqlalchemy import event, text

HOST = os.environ["E2E_HOST"]
PORT = int(os.environ["E2E_PG_PORT"])
REGION = os.environ["E2E_REGION"]
CA = os.environ["E2E_CA"]
USER = "iam_user"
TLS = {"sslmode": "verify-full", "sslrootcert": CA}
failures = 0


def check(name, fn):
    global failures
    try:
        fn()
        print(f"ok   {name}", flush=True)
    except Exception as e:  # noqa: BLE001 - any failure is reported, the next check runs
        failures += 1
        print(f"FAIL {name}: {type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}", flush=True)


def token(expires_in=900):
    # credentials=None: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (fake), time=None: now.
    return pyiamauth.rds_token(HOST, PORT, USER, REGION, expires_in=expires_in)


def last_pam_line():
    with open(os.environ["E2E_PG_LOG"], encoding="utf-8") as f:
        return f.read().splitlines()[-1]


def expect_user(got):
    if got != USER:
        raise AssertionError(f"current_user is {got!r}")


def psycopg2_login():
    conn = psycopg2.connect(host=HOST, port=PORT, user=USER, dbname="postgres", password=token(), **TLS)
    try:
        with conn.cursor() as cur:
            cur.execute("select current_user")
            expect_user(cur.fetchone()[0])
        assert conn.info.ssl_in_use, "not TLS"
    finally:
        conn.close()


def psycopg3_login():
    with psycopg.connect(host=HOST, port=PORT, user=USER, dbname="postgres", password=token(), **TLS) as conn:
        expect_user(conn.execute("select current_user").fetchone()[0])
        assert conn.pgconn.ssl_in_use, "not TLS"


def engine(expires_in=900, recycle=600, seen=None):
    eng = sqlalchemy.create_engine(
        f"postgresql+psycopg2://{USER}@{HOST}:{PORT}/postgres", connect_args=dict(TLS),
        pool_recycle=recycle, pool_size=2, max_overflow=0)

    @event.listens_for(eng, "do_connect")
    def fresh_token(dialect, conn_rec, cargs, cparams):
        cparams["password"] = token(expires_in)
        if seen is not None:
            seen.append(cparams["password"])

    return eng


def sqlalchemy_login():
    seen = []
    eng = engine(seen=seen)
    try:
        with eng.connect() as c:
            expect_user(c.execute(text("select current_user")).scalar())
        with eng.connect() as c, eng.connect() as d:  # a second connection: a second token
            expect_user(d.execute(text("select current_user")).scalar())
            expect_user(c.execute(text("select current_user")).scalar())
        assert len(seen) == 2, f"{len(seen)} tokens for 2 connections"
    finally:
        eng.dispose()


def sqlalchemy_across_expiry():
    seen = []
    eng = engine(expires_in=3, recycle=1, seen=seen)
    try:
        with eng.connect() as c:
            expect_user(c.execute(text("select current_user")).scalar())
        first = seen[0]
        time.sleep(4.5)  # the first token (3 s) has expired; pool_recycle (1 s) retires its connection
        info = pyiamauth.inspect(first)
        assert info.status == "expired", f"first token is {info.status}"
        for _ in range(3):
            with eng.connect() as c:
                expect_user(c.execute(text("select current_user")).scalar())
        assert len(seen) >= 2 and seen[-1] != first, "no fresh token after expiry"
        assert pyiamauth.inspect(seen[-1]).status == "valid"
        # The server really refuses the first token now: the pool did not work by luck.
        try:
            psycopg2.connect(host=HOST, port=PORT, user=USER, dbname="postgres", password=first, **TLS).close()
        except psycopg2.OperationalError:
            pass
        else:
            raise AssertionError("the expired first token still logs in")
        last = last_pam_line()
        assert " code=EXPIRED_TOKEN " in last, f"PAM log's last line: {last}"
    finally:
        eng.dispose()


def chain_login():
    chain = pyiamauth.CredentialChain()
    password = pyiamauth.rds_token(HOST, PORT, USER, REGION, credentials=chain)
    conn = psycopg2.connect(host=HOST, port=PORT, user=USER, dbname="postgres", password=password, **TLS)
    try:
        with conn.cursor() as cur:
            cur.execute("select current_user")
            expect_user(cur.fetchone()[0])
    finally:
        conn.close()
    assert chain.source in ("container endpoint", "IMDS"), chain.source
    assert os.environ.get("AWS_ACCESS_KEY_ID") is None


if __name__ == "__main__":
    if sys.argv[1] == "logins":
        check("Python: psycopg2 2.9, token from pyiamauth.rds_token, verify-full", psycopg2_login)
        check("Python: psycopg 3, verify-full", psycopg3_login)
        check("Python: SQLAlchemy engine, a fresh token per connection (do_connect)", sqlalchemy_login)
    elif sys.argv[1] == "chain":
        source = os.environ.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") and "container" or "IMDS"
        check(f"Python: psycopg2, credentials from CredentialChain() ({source} mock)", chain_login)
    elif sys.argv[1] == "pools":
        check("Python: SQLAlchemy pool past its first token's expiry (3 s tokens, pool_recycle=1, "
              "old token refused by the server)", sqlalchemy_across_expiry)
    sys.exit(1 if failures else 0)
