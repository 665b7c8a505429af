"""PyMySQL and mysqlclient against MariaDB (mysql_clear_password over verified TLS), each pooled
by SQLAlchemy with a do_connect listener that puts a TokenProvider's token in each new
connection's parameters: a login, and the pool past its first token's expiry (3 s tokens, the
pool disposed of after it, the first token then refused by MariaDB). The code is
bindings/python/README.md's MariaDB blocks (`mysql+pymysql`, `mysql+mysqldb`)."""
import os

import MySQLdb
import pymysql
import pyiamauth
from sqlalchemy import text

from python_readme import (CA, HOST, REGION, SKIP_POOLS, USER, Recording, check, done,
                           expect_expired_in_log, expect_fresh, readme_block, wait_past)

PORT = int(os.environ["E2E_MY_PORT"])
ME = text("select current_user()")
TLS = text("show session status like 'Ssl_cipher'")


def pymysql_engine(provider):
    return readme_block("mysql+pymysql://", HOST=HOST, PORT=PORT, CA=CA, provider=provider)["pymysql_engine"]


def mysqldb_engine(provider):
    return readme_block("mysql+mysqldb://", HOST=HOST, PORT=PORT, CA=CA, provider=provider)["mysqldb_engine"]


def pymysql_direct(password):
    pymysql.connect(host=HOST, port=PORT, user=USER, password=password, database="mysql",
                    ssl={"ca": CA, "check_hostname": True}).close()


def mysqldb_direct(password):
    MySQLdb.connect(host=HOST, port=PORT, user=USER, password=password, database="mysql",
                    ssl={"ca": CA}, ssl_mode="VERIFY_IDENTITY").close()


# name, version, the README's engine, a direct connection, its "refused" error.
DRIVERS = [
    ("pymysql", pymysql.VERSION_STRING, pymysql_engine, pymysql_direct, pymysql.err.OperationalError),
    ("mysqlclient", ".".join(map(str, MySQLdb.version_info[:3])), mysqldb_engine, mysqldb_direct,
     MySQLdb.OperationalError),
]


def expect_login(conn):
    assert conn.execute(ME).scalar() == "iam_user@%", "current_user()"
    assert conn.execute(TLS).one()[1], "no TLS cipher"


def login(engine):
    eng = engine(pyiamauth.TokenProvider(HOST, PORT, USER, REGION))
    try:
        with eng.connect() as conn:
            expect_login(conn)
    finally:
        eng.dispose()


def across_expiry(engine, direct, refused):
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
            direct(first)
        except refused:
            pass
        else:
            raise AssertionError("the expired first token still logs in")
        expect_expired_in_log(os.environ["E2E_MY_LOG"])
    finally:
        eng.dispose()


if __name__ == "__main__":
    for name, v, engine, direct, refused in DRIVERS:
        check(f"Python: {name} {v} + SQLAlchemy do_connect, MariaDB mysql_clear_password, verified TLS",
              login, engine)
        if not SKIP_POOLS:
            check(f"Python: {name} {v} SQLAlchemy pool past its first token's expiry (3 s tokens, "
                  "dispose, old token refused by MariaDB)", across_expiry, engine, direct, refused)
    done()
