"""EKS and MSK tokens: every eks.json / msk.json case (read in place) byte-identical, with its
expiry, read back by inspect and accepted by verify; every error case with its code; the
arguments' defaults, types and order."""

import base64
import json

import pytest

import pyiamauth
from conftest import EKS, MSK
from vectors import botocore_creds, make_eks_token, make_msk_token, ours

CREDENTIAL_FORMS = {"iamauth": ours, "botocore": botocore_creds}
AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
T0 = 1704164645
CREDS = pyiamauth.Credentials(AKID, SECRET)


def ids(cases):
    return [c["id"] for c in cases]


def decoded(token):
    """The presigned URL inside an EKS or MSK token (test-side only, to compare with the
    vectors' `url`)."""
    body = token[len("k8s-aws-v1."):] if token.startswith("k8s-aws-v1.") else token
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()


def test_there_are_eks_and_msk_vectors():
    assert len(EKS["cases"]) >= 10 and len(EKS["errors"]) >= 10
    assert len(MSK["cases"]) >= 5 and len(MSK["errors"]) >= 10 and MSK["js_cases"]


# --- EKS ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("form", sorted(CREDENTIAL_FORMS))
@pytest.mark.parametrize("case", EKS["cases"], ids=ids(EKS["cases"]))
def test_eks_vector(case, form):
    creds = CREDENTIAL_FORMS[form](case)
    want = case["expected"]
    token = make_eks_token(case, creds)
    assert token == want["token"]
    assert decoded(token) == want["url"]
    # The ExecCredential awscli prints for the same call.
    assert make_eks_token(case, creds, exec_credential=True) == {
        "kind": "ExecCredential",
        "apiVersion": "client.authentication.k8s.io/v1beta1",
        "spec": {},
        "status": {"expirationTimestamp": want["expiration_timestamp"], "token": want["token"]},
    }


@pytest.mark.parametrize("case", EKS["cases"], ids=ids(EKS["cases"]))
def test_eks_vector_reads_back_and_verifies(case):
    i = case["input"]
    token = case["expected"]["token"]
    info = pyiamauth.inspect(token, now=i["time"])
    host = case["expected"]["url"].split("/")[2]
    assert (info.kind, info.host, info.port, info.user, info.service, info.action) == (
        "eks", host, None, None, "sts", "GetCallerIdentity")
    assert info.access_key_id == i["access_key_id"] and info.signed_at == i["time"]
    assert info.signature == case["expected"]["signature"]
    assert info.has_session_token == (i["session_token"] is not None)
    assert info.status == "valid"
    keys = ours(case)
    who = pyiamauth.verify(token, keys, cluster=i["cluster"], service="sts", now=i["time"])
    assert (who.kind, who.access_key_id, who.host) == ("eks", i["access_key_id"], host)
    # The cluster is signed, not carried: verify needs it, and another one does not match.
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.verify(token, keys, service="sts", now=i["time"])
    assert e.value.code == "INVALID_CLUSTER"
    with pytest.raises(pyiamauth.IamAuthError) as e:
        other = i["cluster"][:-1] + ("y" if i["cluster"].endswith("x") else "x")
        pyiamauth.verify(token, keys, cluster=other, service="sts", now=i["time"])
    assert e.value.code == "SIGNATURE_MISMATCH"


@pytest.mark.parametrize("form", sorted(CREDENTIAL_FORMS))
@pytest.mark.parametrize("case", EKS["errors"], ids=ids(EKS["errors"]))
def test_eks_error_vector(case, form):
    for exec_credential in (False, True):
        with pytest.raises(pyiamauth.IamAuthError) as err:
            make_eks_token(case, CREDENTIAL_FORMS[form](case), exec_credential)
        assert err.value.code == case["error"]
        assert str(err.value).startswith(case["error"] + ": ")
        assert not isinstance(err.value, TypeError)


def test_eks_defaults_and_options():
    regional = pyiamauth.eks_token("my-cluster", "us-east-1", CREDS, time=T0)
    assert regional == pyiamauth.eks_token("my-cluster", "us-east-1", CREDS,
                                           sts_endpoint="regional", time=T0)
    assert regional == EKS["cases"][0]["expected"]["token"]
    glob = pyiamauth.eks_token("my-cluster", "us-east-1", CREDS, sts_endpoint="global", time=T0)
    assert pyiamauth.inspect(glob, now=T0).host == "sts.amazonaws.com"
    cred = pyiamauth.eks_exec_credential("my-cluster", "us-east-1", CREDS, time=T0,
                                         api_version="client.authentication.k8s.io/v1")
    assert cred["apiVersion"] == "client.authentication.k8s.io/v1"
    assert cred["apiVersion"] != pyiamauth.EXEC_CREDENTIAL_API_VERSION
    assert cred["status"] == {"expirationTimestamp": "2024-01-02T03:18:05Z", "token": regional}
    json.dumps(cred)  # what an exec plugin prints
    # "now": a token signed at the clock's time, valid.
    assert pyiamauth.inspect(pyiamauth.eks_token("c1", "eu-west-1", CREDS)).status == "valid"


def test_eks_argument_types_and_order():
    with pytest.raises(pyiamauth.IamAuthTypeError) as e:
        pyiamauth.eks_token(42, "us-east-1", CREDS)
    assert e.value.code == "INVALID_CLUSTER"
    with pytest.raises(pyiamauth.IamAuthTypeError) as e:
        pyiamauth.eks_token("my-cluster", CREDS)  # the region left out
    assert e.value.code == "INVALID_REGION" and "region left out" in e.value.message
    with pytest.raises(pyiamauth.IamAuthTypeError) as e:
        pyiamauth.eks_token("my-cluster", "us-east-1", CREDS, sts_endpoint=True)
    assert e.value.code == "INVALID_REQUEST"
    with pytest.raises(pyiamauth.IamAuthTypeError) as e:
        pyiamauth.eks_exec_credential("my-cluster", "us-east-1", CREDS, api_version=1)
    assert e.value.code == "INVALID_REQUEST"
    # The order every binding has: sts_endpoint (parsed before the request is built), then the
    # core's cluster, region, credentials, time.
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.eks_token("-bad", "US EAST", CREDS, sts_endpoint="bogus", time=-1)
    assert e.value.code == "INVALID_REQUEST"
    for cluster, region, code in (("-bad", "us-east-1", "INVALID_CLUSTER"),
                                  ("ok", "US EAST", "INVALID_REGION")):
        with pytest.raises(pyiamauth.IamAuthError) as e:
            pyiamauth.eks_token(cluster, region, CREDS, sts_endpoint="global", time=-1)
        assert e.value.code == code
    # Credentials known to have expired at the signing time sign nothing.
    expired = pyiamauth.Credentials(AKID, SECRET, expiration=T0)
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.eks_token("my-cluster", "us-east-1", expired, time=T0)
    assert e.value.code == "INVALID_CREDENTIALS"


def test_eks_credentials_from_the_environment(no_aws_env):
    no_aws_env.setenv("AWS_ACCESS_KEY_ID", AKID)
    no_aws_env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    assert pyiamauth.eks_token("my-cluster", "us-east-1", time=T0) == \
        EKS["cases"][0]["expected"]["token"]


# --- MSK ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("form", sorted(CREDENTIAL_FORMS))
@pytest.mark.parametrize("case", MSK["cases"], ids=ids(MSK["cases"]))
def test_msk_vector(case, form):
    token, expiry_ms = make_msk_token(case, CREDENTIAL_FORMS[form](case))
    assert token == case["expected"]["token"]
    assert decoded(token) == case["expected"]["url"]
    assert expiry_ms == case["expected"]["expiry_ms"]
    assert isinstance(expiry_ms, int)


@pytest.mark.parametrize("case", MSK["cases"], ids=ids(MSK["cases"]))
def test_msk_vector_reads_back_and_verifies(case):
    i = case["input"]
    token = case["expected"]["token"]
    info = pyiamauth.inspect(token, now=i["time"])
    assert (info.kind, info.host, info.port, info.user, info.service, info.action) == (
        "msk", f"kafka.{i['region']}.amazonaws.com", None, None, "kafka-cluster",
        "kafka-cluster:Connect")
    assert info.signature == case["expected"]["signature"]
    assert info.expires_at * 1000 == case["expected"]["expiry_ms"]
    who = pyiamauth.verify(token, ours(case), service="kafka-cluster", region=i["region"],
                           now=i["time"])
    assert (who.kind, who.access_key_id) == ("msk", i["access_key_id"])
    with pytest.raises(pyiamauth.IamAuthError) as e:  # the default service is RDS's
        pyiamauth.verify(token, ours(case), now=i["time"])
    assert e.value.code == "WRONG_SERVICE"


@pytest.mark.parametrize("case", MSK["js_cases"], ids=ids(MSK["js_cases"]))
def test_msk_js_vector(case):
    """The JS signer orders the parameters differently (its `layout`): the same signature,
    parameters and expiry."""
    token, expiry_ms = make_msk_token(case, ours(case))
    want = case["expected"]
    assert expiry_ms == want["expiry_ms"]
    assert pyiamauth.inspect(token, now=case["input"]["time"]).signature == want["signature"]
    ours_url, js_url = decoded(token), want["url"]
    assert ours_url.split("?")[0] == js_url.split("?")[0]
    assert sorted(ours_url.split("?")[1].split("&")) == sorted(js_url.split("?")[1].split("&"))
    assert sorted(p.split("=")[0] for p in ours_url.split("?")[1].split("&")) == want["params"]


@pytest.mark.parametrize("form", sorted(CREDENTIAL_FORMS))
@pytest.mark.parametrize("case", MSK["errors"], ids=ids(MSK["errors"]))
def test_msk_error_vector(case, form):
    with pytest.raises(pyiamauth.IamAuthError) as err:
        make_msk_token(case, CREDENTIAL_FORMS[form](case))
    assert err.value.code == case["error"]
    assert str(err.value).startswith(case["error"] + ": ")
    assert not isinstance(err.value, TypeError)


def test_msk_defaults():
    token, expiry_ms = pyiamauth.msk_token("us-east-1", CREDS, time=T0)
    assert expiry_ms == (T0 + pyiamauth.DEFAULT_EXPIRES_IN) * 1000
    ua = pyiamauth.MSK_USER_AGENT
    assert ua == f"iamauth/{pyiamauth.__version__}"
    assert decoded(token).endswith("&User-Agent=" + ua.replace("/", "%2F"))
    short, short_expiry = pyiamauth.msk_token("us-east-1", CREDS, time=T0, expires_in=60)
    assert short_expiry == (T0 + 60) * 1000
    assert pyiamauth.inspect(short, now=T0).expires_in == 60
    now_token, now_expiry = pyiamauth.msk_token("eu-west-1", CREDS)
    info = pyiamauth.inspect(now_token)
    assert info.status == "valid" and now_expiry == info.expires_at * 1000


def test_msk_argument_types():
    with pytest.raises(pyiamauth.IamAuthTypeError) as e:
        pyiamauth.msk_token(CREDS)  # the region left out
    assert e.value.code == "INVALID_REGION"
    with pytest.raises(pyiamauth.IamAuthTypeError) as e:
        pyiamauth.msk_token("us-east-1", CREDS, user_agent=b"agent/1")
    assert e.value.code == "INVALID_USER_AGENT" and "decode" in e.value.message
    with pytest.raises(pyiamauth.IamAuthTypeError) as e:
        pyiamauth.msk_token("us-east-1", CREDS, expires_in="900")
    assert e.value.code == "INVALID_EXPIRY"
    with pytest.raises(pyiamauth.IamAuthTypeError) as e:
        pyiamauth.msk_token("us-east-1", CREDS, expires_in=None)
    assert e.value.code == "INVALID_EXPIRY"


# --- verify of EKS / MSK tokens: malformed ones --------------------------------------------------

def test_inspect_and_verify_refuse_bad_base64():
    for token in ("k8s-aws-v1.!!!", "k8s-aws-v1." + base64.urlsafe_b64encode(b"http://x/").decode(),
                  base64.urlsafe_b64encode(b"not a url").decode().rstrip("=")):
        with pytest.raises(pyiamauth.IamAuthError) as e:
            pyiamauth.inspect(token)
        assert e.value.code == "MALFORMED_TOKEN"
        with pytest.raises(pyiamauth.IamAuthError) as e:
            pyiamauth.verify(token, CREDS, cluster="c")
        assert e.value.code == "MALFORMED_TOKEN"
    # A malformed expectation is reported before the token is read.
    with pytest.raises(pyiamauth.IamAuthError) as e:
        pyiamauth.verify("k8s-aws-v1.!!!", CREDS, cluster="-bad")
    assert e.value.code == "INVALID_CLUSTER"
    with pytest.raises(pyiamauth.IamAuthTypeError) as e:
        pyiamauth.verify("k8s-aws-v1.!!!", CREDS, cluster=5)
    assert e.value.code == "INVALID_CLUSTER"
