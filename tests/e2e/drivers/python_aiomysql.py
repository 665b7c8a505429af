"""aiomysql against MariaDB (mysql_clear_password over verified TLS), each connection opened with
an AsyncTokenProvider's token: a login from aiomysql.connect, and SQLAlchemy's async engine
(async_creator) past its first token's expiry (3 s tokens, the pool disposed of after it, the
first token then refused by MariaDB). The code is bindings/python/README.md's aiomysql block."""
import os
import ssl

import aiomysql
import pyiamauth
from sqlalchemy import text

from python_readme import (CA, HOST, REGION, SKIP_POOLS, USER, AsyncRecording, check, done,
                           expect_expired_in_log, expect_fresh, readme_block, wait_past)

PORT = int(os.environ["E2E_MY_PORT"])
MARKER = "mysql+aiomysql://"


def readme(provider=None):
    return readme_block(MARKER, HOST=HOST, PORT=PORT, CA=CA,
                        provider=provider or pyiamauth.AsyncTokenProvider(HOST, PORT, USER, REGION))


async def login():
    conn = await readme()["connect"]()
    try:
        async with conn.cursor() as cur:
            await cur.execute("select current_user()")
            assert (await cur.fetchone())[0] == "iam_user@%", "current_user()"
            await cur.execute("show session status like 'Ssl_cipher'")
            assert (await cur.fetchone())[1], "no TLS cipher"
    finally:
        conn.close()


async def expect_login(engine):
    async with engine.connect() as conn:
        assert (await conn.execute(text("select current_user()"))).scalar() == "iam_user@%"
        assert (await conn.execute(text("show session status like 'Ssl_cipher'"))).one()[1]


async def engine_login():
    engine = readme()["engine"]
    try:
        await expect_login(engine)
    finally:
        await engine.dispose()


async def across_expiry():
    provider = AsyncRecording(HOST, PORT, USER, REGION, expires_in=3)
    engine = readme(provider)["engine"]
    try:
        await expect_login(engine)
        first = provider.seen[0]
        wait_past(first)
        await engine.dispose()  # retires the pool's connections (as pool_recycle does)
        for _ in range(3):
            await expect_login(engine)
        expect_fresh(provider.seen, first)
        try:
            conn = await aiomysql.connect(host=HOST, port=PORT, user=USER, db="mysql", password=first,
                                          auth_plugin="mysql_clear_password",
                                          ssl=ssl.create_default_context(cafile=CA))
            conn.close()
        except aiomysql.OperationalError:
            pass
        else:
            raise AssertionError("the expired first token still logs in")
        expect_expired_in_log(os.environ["E2E_MY_LOG"])
    finally:
        await engine.dispose()


if __name__ == "__main__":
    v = aiomysql.__version__
    check(f"Python: aiomysql {v}, password=await AsyncTokenProvider(), mysql_clear_password, verified TLS",
          login)
    check(f"Python: aiomysql {v} + SQLAlchemy async engine (async_creator)", engine_login)
    if not SKIP_POOLS:
        check(f"Python: aiomysql {v} SQLAlchemy async pool past its first token's expiry (3 s tokens, "
              "dispose, old token refused by MariaDB)", across_expiry)
    done()
