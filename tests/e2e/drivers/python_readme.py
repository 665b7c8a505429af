"""The Python drivers' shared part (imported by tests/e2e/drivers/python_*.py), and, run as a
driver itself, the check that every ```python block of bindings/python/README.md is run by one of
them.

The driver files take their code from the README: `readme_block(marker, NAME=value, ...)` runs
the one block containing `marker` with its top-level `NAME = ...` assignments replaced by the
values given (the test servers' host, port and CA, a provider with 3-second tokens), so what the
README shows is what logs in.
"""
import ast
import asyncio
import hashlib
import inspect
import json
import os
import pathlib
import re
import sys
import time

import pyiamauth

ROOT = pathlib.Path(os.environ.get("E2E_ROOT") or pathlib.Path(__file__).resolve().parents[3])
README = ROOT / "bindings" / "python" / "README.md"
HOST = os.environ.get("E2E_HOST", "127.0.0.1")
REGION = os.environ.get("E2E_REGION", "us-east-1")
CA = os.environ.get("E2E_CA", "")
USER = "iam_user"
SKIP_POOLS = os.environ.get("E2E_SKIP_POOLS", "0") == "1"
failures = 0


def check(name, fn, *args):
    """Runs fn (a coroutine function runs in a fresh event loop); prints ok / FAIL."""
    global failures
    try:
        if inspect.iscoroutinefunction(fn):
            asyncio.run(fn(*args))
        else:
            fn(*args)
        print(f"ok   {name}", flush=True)
    except Exception as e:  # noqa: BLE001 - any failure is reported, the next check runs
        failures += 1
        text = str(e).strip()
        print(f"FAIL {name}: {type(e).__name__}: {text.splitlines()[0] if text else ''}", flush=True)


def done():
    sys.exit(1 if failures else 0)


def readme_blocks():
    text = README.read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.S | re.M)


def readme_block(marker, **overrides):
    """Runs the README block containing `marker` (exactly one), its top-level assignments to the
    names in `overrides` replaced by those values; returns the block's globals."""
    blocks = [b for b in readme_blocks() if marker in b]
    if len(blocks) != 1:
        raise AssertionError(f"{len(blocks)} README blocks contain {marker!r}")
    tree = ast.parse(blocks[0], "bindings/python/README.md")
    replaced = set()
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id in overrides):
            name = node.targets[0].id
            node.value = ast.Subscript(value=ast.Name("__overrides__", ast.Load()),
                                       slice=ast.Constant(name), ctx=ast.Load())
            replaced.add(name)
    missing = set(overrides) - replaced
    if missing:
        raise AssertionError(f"the README block has no top-level {sorted(missing)}")
    ast.fix_missing_locations(tree)
    names = {"__overrides__": overrides, "__name__": "readme"}
    exec(compile(tree, "bindings/python/README.md", "exec"), names)
    return names


def last_line(log):
    with open(log, encoding="utf-8") as f:
        lines = f.read().splitlines()
    return lines[-1] if lines else ""


async def expect_asyncpg_refuses(token):
    """`token` (expired by now) no longer logs in to PostgreSQL, and the PAM log says why."""
    import asyncpg
    import ssl

    try:
        await asyncpg.connect(host=HOST, port=int(os.environ["E2E_PG_PORT"]), user=USER,
                              database="postgres", password=token,
                              ssl=ssl.create_default_context(cafile=CA))
    except asyncpg.InvalidAuthorizationSpecificationError:
        pass
    else:
        raise AssertionError("the expired first token still logs in")
    expect_expired_in_log(os.environ["E2E_PG_LOG"])


def expect_expired_in_log(log):
    """The PAM log's last line is the first token's refusal: the pool did not work by luck."""
    last = last_line(log)
    assert " code=EXPIRED_TOKEN " in last, f"PAM log's last line: {last}"


def expect_fresh(seen, first):
    assert len(seen) >= 2 and seen[-1] != first, f"no fresh token after expiry ({len(seen)} signed)"
    assert pyiamauth.inspect(first).status == "expired", "the first token has not expired"
    assert pyiamauth.inspect(seen[-1]).status == "valid", "the last token is not valid"


class Recording(pyiamauth.TokenProvider):
    """A TokenProvider that records each token it hands out (3 s tokens for the expiry checks)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen = []

    def __call__(self):
        token = super().__call__()
        self.seen.append(token)
        return token


class AsyncRecording(pyiamauth.AsyncTokenProvider):
    """The same for AsyncTokenProvider."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen = []

    async def __call__(self):
        token = await super().__call__()
        self.seen.append(token)
        return token


def wait_past(token):
    """Sleeps until `token` has expired (3 s tokens: about 3.5 s)."""
    info = pyiamauth.inspect(token)
    time.sleep(max(0.0, info.expires_at - time.time()) + 1.2)


def sha256(token):
    return hashlib.sha256(token.encode()).hexdigest()


def resp_log(service):
    """The RESP stand-in's AUTH log (a JSON line per AUTH), [] before the first."""
    path = os.path.join(os.environ["E2E_RESP_LOG_DIR"], f"{service}.log")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def readme_coverage():
    """Every README block is selected by a readme_block(...) marker of some driver file, or of
    the package's pytest files (the Kafka blocks: no broker here, so they are run up to the
    token the client hands over, in bindings/python/tests/test_kafka.py)."""
    here = pathlib.Path(__file__).resolve().parent
    markers = []
    for path in sorted(here.glob("python_*.py")):
        source = path.read_text(encoding="utf-8")
        # readme_block("marker", ...) or readme_block(MARKER, ...) with MARKER = "marker"
        markers += re.findall(r'readme_block\(\s*"([^"\\]*)"', source)
        markers += re.findall(r'^MARKER = "([^"\\]*)"$', source, flags=re.M)
    for path in sorted((ROOT / "bindings" / "python" / "tests").glob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        # readme_block('"marker"'), readme_block("marker", readme): the first argument.
        markers += [m[1] for m in re.findall(r"""readme_block\(\s*(['"])(.*?)\1\s*[,)]""", source)]
    blocks = readme_blocks()
    assert blocks, "bindings/python/README.md has no ```python block"
    unused = [i for i, b in enumerate(blocks, 1) if not any(m in b for m in markers)]
    assert not unused, f"README blocks (1-based, in order) no driver runs: {unused}"
    print(f"     {len(blocks)} README blocks, each run by a driver ({len(markers)} markers)")


if __name__ == "__main__":
    check("Python drivers: every block of bindings/python/README.md is run by a driver file",
          readme_coverage)
    done()
