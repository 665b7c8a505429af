"""Shared fixtures: the vector files, read in place from the repository's tests/vectors.

The suite runs against the INSTALLED wheel from outside the source tree; test.sh passes the
repository root in IAMAUTH_ROOT (without it, the root is found relative to this file).
"""

import json
import os
import pathlib

import pytest


def repo_root() -> pathlib.Path:
    env = os.environ.get("IAMAUTH_ROOT")
    if env:
        return pathlib.Path(env)
    return pathlib.Path(__file__).resolve().parents[3]


ROOT = repo_root()
VECTORS = ROOT / "tests" / "vectors"


def load(name):
    with open(VECTORS / name, encoding="utf-8") as f:
        return json.load(f)["cases"]


def load_all(name):
    with open(VECTORS / name, encoding="utf-8") as f:
        return json.load(f)


TOKEN_CASES = load("tokens.json")
ERROR_CASES = load("errors.json")
EKS = load_all("eks.json")  # {"cases": [...], "errors": [...]}
MSK = load_all("msk.json")  # {"cases": [...], "js_cases": [...], "errors": [...]}


@pytest.fixture
def no_aws_env(monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch
