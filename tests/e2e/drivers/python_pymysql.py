"""pymysql against MariaDB (mysql_clear_password over verified TLS), pooled by SQLAlchemy with a
do_connect listener that puts a TokenProvider's token in each new connection's parameters: a
login, and the pool past its first token's expiry (3 s tokens, the pool disposed of after it,
the first token then refused by MariaDB). The code is bindings/python/README.md's MariaDB block
(`mysql+pymysql`)."""
import os

import pymysql
import pyiamauth
from sqlalchemy import text

from python_readme import (CA, HOST, REGION, SKIP_POOLS, USER, Recording, check, done,
                           expect_expired_in_log, expect_fresh, readme_block, wait_past)

PORT = int(os.environ["E2E_MY_PORT"])
MARKER = "mysql+pymysql://"
ME = text("select current_user()")
TLS = text("show session status like 'Ssl_cipher'")


def engine(provider=None):
    return readme_block(MARKER, HOST=HOST, PORT=PORT, CA=CA,
                        provider=provider or pyiamauth.TokenProvider(HOST, PORT, USER, REGION))["pymysql_engine"]


def expect_login(conn):
    assert conn.execute(ME).scalar() == "iam_user@%", "current_user()"
    assert conn.execute(TLS).one()[1], "no TLS cipher"


def login():
    eng = engine()
    try:
        with eng.connect() as conn:
            expect_login(conn)
    finally:
        eng.dispose()


def across_expiry():
    provider = Recording(HOST, PORT, USER, REGION, expires_in=3)
    eng = engine(provider)
    try:
        with eng.connect() as conn:
            expect_login(conn)
        first = provider.seen[0]
        wait_past(first)
        eng.dispose()  # retires the pool's connections (as pool_recycle does)
        for _ in range(3):
            with eng.connect() as conn:
                expect_login(conn)
        expect_fresh(provider.seen, first)
        try:
            pymysql.connect(host=HOST, port=PORT, user=USER, password=first, database="mysql",
                        ssl={"ca": CA, "check_hostname": True}).close()
        except pymysql.err.OperationalError:
            pass
        else:
            raise AssertionError("the expired first token still logs in")
        expect_expired_in_log(os.environ["E2E_MY_LOG"])
    finally:
        eng.dispose()


if __name__ == "__main__":
    v = pymysql.VERSION_STRING  # (__version__ is the MySQLdb version it stands in for)
    check(f"Python: pymysql {v} + SQLAlchemy do_connect, MariaDB mysql_clear_password, verified TLS", login)
    if not SKIP_POOLS:
        check(f"Python: pymysql {v} SQLAlchemy pool past its first token's expiry (3 s tokens, "
              "dispose, old token refused by MariaDB)", across_expiry)
    done()
