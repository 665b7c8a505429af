"""asyncpg with an AsyncTokenProvider as its password callable: a login (asyncpg.connect) and an
asyncpg.create_pool that goes on working past its first token's expiry (3 s tokens, the pool's
connections expired after it, the first token then refused by PostgreSQL). The code is
bindings/python/README.md's asyncpg block."""
import os

import asyncpg
import pyiamauth

from python_readme import (CA, HOST, REGION, SKIP_POOLS, USER, AsyncRecording, check, done,
                           expect_asyncpg_refuses, expect_fresh, readme_block, wait_past)

PORT = int(os.environ["E2E_PG_PORT"])
MARKER = "asyncpg.create_pool("


def readme(provider=None):
    provider = provider or pyiamauth.AsyncTokenProvider(HOST, PORT, USER, REGION)
    return readme_block(MARKER, HOST=HOST, PORT=PORT, CA=CA, provider=provider)


async def login():
    ns = readme()
    conn = await ns["connect"]()
    try:
        assert await conn.fetchval("select current_user") == USER
        assert await conn.fetchval("select ssl from pg_stat_ssl where pid = pg_backend_pid()")
    finally:
        await conn.close()


async def pool_across_expiry():
    provider = AsyncRecording(HOST, PORT, USER, REGION, expires_in=3)
    ns = readme(provider)
    pool = await ns["open_pool"]()
    try:
        assert await pool.fetchval("select current_user") == USER
        first = provider.seen[0]
        wait_past(first)
        # Retire the pool's connections (as max_inactive_connection_lifetime would): the next
        # acquire opens a new one, which asks the password callable again.
        await pool.expire_connections()
        for _ in range(3):
            async with pool.acquire() as conn:
                assert await conn.fetchval("select current_user") == USER
        expect_fresh(provider.seen, first)
        await expect_asyncpg_refuses(first)
    finally:
        await pool.close()


if __name__ == "__main__":
    v = asyncpg.__version__
    check(f"Python: asyncpg {v}, password=AsyncTokenProvider (awaited per connection), verify-full", login)
    if not SKIP_POOLS:
        check(f"Python: asyncpg {v} create_pool past its first token's expiry (3 s tokens, "
              "expire_connections, old token refused by the server)", pool_across_expiry)
    done()
