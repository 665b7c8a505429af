"""Every tokens.json case byte-identical and every errors.json case with its code."""

import pytest

import pyiamauth
from conftest import ERROR_CASES, TOKEN_CASES
from vectors import DSQL_ADMIN, botocore_creds, make_token, ours

CREDENTIAL_FORMS = {"iamauth": ours, "botocore": botocore_creds}


@pytest.mark.parametrize("form", sorted(CREDENTIAL_FORMS))
@pytest.mark.parametrize("case", TOKEN_CASES, ids=[c["id"] for c in TOKEN_CASES])
def test_token_vector(case, form):
    token = make_token(case, CREDENTIAL_FORMS[form](case))
    assert token == case["expected"]["token"]


def _expressible(case):
    return case["kind"] != "dsql" or case["input"]["action"] in DSQL_ADMIN


@pytest.mark.parametrize("form", sorted(CREDENTIAL_FORMS))
@pytest.mark.parametrize("case", ERROR_CASES, ids=[c["id"] for c in ERROR_CASES])
def test_error_vector(case, form):
    if not _expressible(case):
        # `admin` is a bool: an action string such as "DbConnectX" cannot reach the core;
        # passing it where the flag goes is a TypeError instead of INVALID_ACTION.
        assert case["error"] == "INVALID_ACTION"
        i = case["input"]
        with pytest.raises(TypeError):
            pyiamauth.dsql_token(
                i["host"], i["region"], ours(case) if form == "iamauth" else botocore_creds(case),
                admin=i["action"], time=i["time"],
            )
        return
    with pytest.raises(pyiamauth.IamAuthError) as err:
        # pyiamauth.Credentials validates when built; botocore objects at the call.
        make_token(case, CREDENTIAL_FORMS[form](case))
    assert err.value.code == case["error"]
    assert isinstance(err.value, ValueError)
    assert str(err.value).startswith(case["error"] + ": ")
    assert err.value.message and err.value.message in str(err.value)


def test_every_error_code_is_covered():
    codes = {c["error"] for c in ERROR_CASES}
    assert {"INVALID_HOST", "INVALID_PORT", "INVALID_USER", "INVALID_REGION", "INVALID_EXPIRY",
            "INVALID_CREDENTIALS", "INVALID_TIME", "INVALID_SERVICE"} <= codes
