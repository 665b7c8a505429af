"""SQLAlchemy's async engine with asyncpg, an AsyncTokenProvider as asyncpg's password in
connect_args (asked for each new connection): a login, and the engine's pool past its first
token's expiry (3 s tokens, the pool disposed of after it, the first token then refused by PostgreSQL). The code
is bindings/python/README.md's postgresql+asyncpg block."""
import os

import pyiamauth
import sqlalchemy
from sqlalchemy import text

from python_readme import (CA, HOST, REGION, SKIP_POOLS, USER, AsyncRecording, check, done,
                           expect_asyncpg_refuses, expect_fresh, readme_block, wait_past)

PORT = int(os.environ["E2E_PG_PORT"])
MARKER = "postgresql+asyncpg://"
SQL = text("select current_user, ssl from pg_stat_ssl where pid = pg_backend_pid()")


def readme(provider=None):
    return readme_block(MARKER, HOST=HOST, PORT=PORT, CA=CA,
                        provider=provider or pyiamauth.AsyncTokenProvider(HOST, PORT, USER, REGION))


async def login():
    engine = readme()["engine"]
    try:
        async with engine.connect() as conn:
            assert tuple((await conn.execute(SQL)).one()) == (USER, True)
    finally:
        await engine.dispose()


async def across_expiry():
    provider = AsyncRecording(HOST, PORT, USER, REGION, expires_in=3)
    engine = readme(provider)["engine"]
    try:
        async with engine.connect() as conn:
            assert tuple((await conn.execute(SQL)).one()) == (USER, True)
        first = provider.seen[0]
        wait_past(first)
        await engine.dispose()  # retires the pool's connections (as pool_recycle does)
        for _ in range(3):
            async with engine.connect() as conn:
                assert tuple((await conn.execute(SQL)).one()) == (USER, True)
        expect_fresh(provider.seen, first)
        await expect_asyncpg_refuses(first)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    v = sqlalchemy.__version__
    check(f"Python: SQLAlchemy {v} async engine + asyncpg, connect_args password=AsyncTokenProvider", login)
    if not SKIP_POOLS:
        check(f"Python: SQLAlchemy {v} async engine + asyncpg past its first token's expiry "
              "(3 s tokens, dispose, old token refused by the server)", across_expiry)
    done()
