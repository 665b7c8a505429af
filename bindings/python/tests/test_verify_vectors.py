"""pyiamauth.verify against tests/vectors/verify.json (read in place): each case's token, keys
(keys-file text), expectations and clock give its identity or its code."""

import json

import pytest

import pyiamauth
from conftest import load

VERIFY_CASES = load("verify.json")


def test_there_are_verify_vectors():
    assert VERIFY_CASES, "tests/vectors/verify.json has no cases"


@pytest.mark.parametrize("case", VERIFY_CASES, ids=[c["name"] for c in VERIFY_CASES])
def test_verify_vector(case):
    keys = json.dumps(case["keys"])
    # Absent expectations are left out: the binding's defaults must be the core's.
    expect = dict(case["expect"])
    outcome = case["outcome"]
    if "code" in outcome:
        with pytest.raises(pyiamauth.IamAuthError) as e:
            pyiamauth.verify(case["token"], keys, now=case["now"], **expect)
        assert e.value.code == outcome["code"], str(e.value)
        for entry in case["keys"].values():
            assert entry["secret_access_key"] not in str(e.value)
        return
    who = pyiamauth.verify(case["token"], keys, now=case["now"], **expect)
    want = outcome["identity"]
    got = {name: getattr(who, name) for name in want}
    assert got == want
