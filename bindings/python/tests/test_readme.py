"""Docs are tested code: every ```python block of the repository's README runs here, against
the installed wheel, and must not raise; the pool recipe's blocks are also driven to the point
where a connection would be opened, and what reaches the driver is checked."""

import re

import psycopg2
import pytest
import sqlalchemy.exc

import pyiamauth
from conftest import ROOT

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
HOST = "mydb.123456789012.us-east-1.rds.amazonaws.com"


def readme_blocks():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.S | re.M)


def run_block(containing):
    """Runs the one README block that contains `containing`; returns its globals."""
    blocks = [b for b in readme_blocks() if containing in b]
    assert len(blocks) == 1, f"{len(blocks)} README python blocks contain {containing!r}"
    names = {}
    exec(compile(blocks[0], "README.md", "exec"), names)
    return names


def test_the_readme_has_python_examples():
    assert readme_blocks(), "README.md has no ```python block"


def test_every_readme_python_block_runs():
    # The Kafka block's client is made against a loopback port in test_kafka.py (no broker here).
    for block in readme_blocks():
        if '"oauth_cb"' not in block:
            exec(compile(block, "README.md", "exec"), {})


def test_the_readme_says_where_the_ca_bundle_comes_from():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    python = text[text.index("- **Python**"):text.index("## Node and wasm")]
    assert "global-bundle.pem" in python
    assert "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem" in python


class Refused(Exception):
    """What the stand-in driver raises instead of connecting (there is no database here)."""


@pytest.fixture
def driver(no_aws_env):
    """psycopg2.connect replaced by a recorder, and credentials in the environment (the recipe
    passes credentials=None)."""
    no_aws_env.setenv("AWS_ACCESS_KEY_ID", AKID)
    no_aws_env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    calls = []

    def connect(*args, **kwargs):
        calls.append((args, kwargs))
        raise Refused()

    no_aws_env.setattr(psycopg2, "connect", connect)
    return calls


def assert_logs_in_with_a_token(kwargs):
    assert kwargs["host"] == HOST and int(kwargs["port"]) == 5432
    assert kwargs["user"] == "iam_user" and kwargs["dbname"] == "app"
    assert (kwargs["sslmode"], kwargs["sslrootcert"]) == ("verify-full", "global-bundle.pem")
    info = pyiamauth.inspect(kwargs["password"])
    assert (info.kind, info.host, info.port, info.user, info.region) == (
        "rds", HOST, 5432, "iam_user", "us-east-1")
    assert info.access_key_id == AKID and info.status == "valid"


def test_readme_sqlalchemy_do_connect_puts_a_token_in_cparams(driver):
    engine = run_block('"do_connect"')["engine"]
    try:
        for _ in range(2):  # each new connection asks the listener again
            with pytest.raises((Refused, sqlalchemy.exc.DBAPIError)):
                engine.connect()
    finally:
        engine.dispose()
    assert len(driver) == 2
    for args, kwargs in driver:
        assert args == ()
        assert_logs_in_with_a_token(kwargs)


def test_readme_queue_pool_connects_with_a_token(driver):
    pool = run_block("QueuePool(")["pool"]
    with pytest.raises(Refused):
        pool.connect()
    assert len(driver) == 1
    assert_logs_in_with_a_token(driver[0][1])


# --- bindings/python/README.md: the drivers' page -----------------------------------------------
# Its blocks log in against real servers in tests/e2e/drivers/python_*.py (which also checks that
# every block is run there); here, without the drivers, they must compile, and the redis block,
# whose client connects only when used, runs.

def driver_blocks():
    text = (ROOT / "bindings" / "python" / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.S | re.M)


def test_every_driver_block_compiles():
    blocks = driver_blocks()
    assert len(blocks) >= 6
    for block in blocks:
        compile(block, "bindings/python/README.md", "exec")


def test_the_redis_block_makes_clients_with_the_provider(no_aws_env):
    no_aws_env.setenv("AWS_ACCESS_KEY_ID", AKID)
    no_aws_env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    [block] = [b for b in driver_blocks() if "RedisCredentialProvider(" in b]
    names = {}
    exec(compile(block, "bindings/python/README.md", "exec"), names)
    provider = names["client"].get_connection_kwargs()["credential_provider"]
    assert provider is names["credentials"]
    user, token = provider.get_credentials()
    info = pyiamauth.inspect(token)
    assert (user, info.kind, info.host, info.user) == ("iam-user-01", "elasticache", "my-cache",
                                                       "iam-user-01")
    names["client"].close()
