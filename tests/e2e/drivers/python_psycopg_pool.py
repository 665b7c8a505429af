"""psycopg 3's psycopg_pool.ConnectionPool and AsyncConnectionPool with
pyiamauth.psycopg_pool_kwargs (psycopg_pool 3.3's `kwargs` callable, asked for each new
connection): a login from each, and each pool past its first token's expiry (3 s tokens, the pool
drained after it, the first token then refused by PostgreSQL). The code is
bindings/python/README.md's psycopg_pool block."""
import os

import psycopg
import psycopg_pool
import pyiamauth

from python_readme import (CA, HOST, REGION, SKIP_POOLS, USER, AsyncRecording, Recording, check,
                           done, expect_expired_in_log, expect_fresh, readme_block, wait_past)

PORT = int(os.environ["E2E_PG_PORT"])
MARKER = "psycopg_pool.ConnectionPool("
SQL = "select current_user, ssl from pg_stat_ssl where pid = pg_backend_pid()"


def readme(provider=None, async_provider=None):
    return readme_block(
        MARKER, HOST=HOST, PORT=PORT, CA=CA,
        provider=provider or pyiamauth.TokenProvider(HOST, PORT, USER, REGION),
        async_provider=async_provider or pyiamauth.AsyncTokenProvider(HOST, PORT, USER, REGION))


def expect_row(row):
    assert tuple(row) == (USER, True), f"current_user, ssl: {row}"


def expect_refused(first):
    try:
        psycopg.connect(host=HOST, port=PORT, user=USER, dbname="postgres", password=first,
                        sslmode="verify-full", sslrootcert=CA).close()
    except psycopg.OperationalError:
        pass
    else:
        raise AssertionError("the expired first token still logs in")
    expect_expired_in_log(os.environ["E2E_PG_LOG"])


def login():
    with readme()["open_pool"]() as pool, pool.connection() as conn:
        expect_row(conn.execute(SQL).fetchone())


async def async_login():
    async with await readme()["open_async_pool"]() as pool, pool.connection() as conn:
        expect_row(await (await conn.execute(SQL)).fetchone())


def pool_across_expiry():
    provider = Recording(HOST, PORT, USER, REGION, expires_in=3)
    with readme(provider=provider)["open_pool"]() as pool:
        with pool.connection() as conn:
            expect_row(conn.execute(SQL).fetchone())
        first = provider.seen[0]
        wait_past(first)
        pool.drain()  # retires every connection (as max_lifetime does); new ones are opened
        for _ in range(3):
            with pool.connection() as conn:
                expect_row(conn.execute(SQL).fetchone())
        expect_fresh(provider.seen, first)
    expect_refused(first)


async def async_pool_across_expiry():
    provider = AsyncRecording(HOST, PORT, USER, REGION, expires_in=3)
    async with await readme(async_provider=provider)["open_async_pool"]() as pool:
        async with pool.connection() as conn:
            expect_row(await (await conn.execute(SQL)).fetchone())
        first = provider.seen[0]
        wait_past(first)
        await pool.drain()
        for _ in range(3):
            async with pool.connection() as conn:
                expect_row(await (await conn.execute(SQL)).fetchone())
        expect_fresh(provider.seen, first)
    expect_refused(first)


if __name__ == "__main__":
    v = psycopg_pool.__version__
    check(f"Python: psycopg_pool {v} ConnectionPool, kwargs=psycopg_pool_kwargs(TokenProvider), verify-full", login)
    check(f"Python: psycopg_pool {v} AsyncConnectionPool, kwargs=psycopg_pool_kwargs(AsyncTokenProvider)",
          async_login)
    if not SKIP_POOLS:
        check(f"Python: psycopg_pool {v} ConnectionPool past its first token's expiry (3 s tokens, "
              "drain, old token refused by the server)", pool_across_expiry)
        check(f"Python: psycopg_pool {v} AsyncConnectionPool past its first token's expiry (3 s tokens, "
              "drain, old token refused by the server)", async_pool_across_expiry)
    done()
