"""The credential chain against botocore's, on the same files, environment and mocks.

For each fixture (files under a scratch HOME, variables, maybe `--profile`), botocore 1.44.8's
own resolver (`Session(profile=...).get_credentials()`, in this process) and iamauth's
(`credentials/examples/chain_digest`, a child process with exactly the fixture's environment)
must agree: the same access key id, secret, session token (compared as SHA-256 digests: the
example never prints a secret) and expiration, or both fail. The mocks (mocks.py) answer every
request as a function of what it asks, and check signatures and tokens as AWS would.

    python3 tests/credentials/differential.py CHAIN_DIGEST_BINARY

Prints one line per fixture and a summary; exits 1 on any difference.
"""

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "vectors"))
import botocore_venv  # noqa: E402

botocore_venv.ensure(__file__)

import botocore.credentials  # noqa: E402
import botocore.session  # noqa: E402
import botocore.tokens  # noqa: E402

sys.path.insert(0, HERE)
import mocks  # noqa: E402

K1, S1 = "AKIDEXAMPLE", mocks.SECRETS["AKIDEXAMPLE"]
K2, S2 = "AKIDSECOND", mocks.SECRETS["AKIDSECOND"]
K3, S3 = "AKIDTHIRD", mocks.SECRETS["AKIDTHIRD"]
ROLE = "arn:aws:iam::123456789012:role/app"
ROLE2 = "arn:aws:iam::123456789012:role/second"
ROLE3 = "arn:aws:iam::123456789012:role/third"
START_URL = "https://corp.awsapps.com/start"

PROCESS = """#!/bin/sh
printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"%s}' "$1" "$2" "$3"
"""


def process(akid, secret, extra=""):
    return f"credential_process = {{home}}/bin/process {akid} {secret} '{extra}'"


def creds(name, akid, secret, more=""):
    return f"[{name}]\naws_access_key_id = {akid}\naws_secret_access_key = {secret}\n{more}"


FIXTURES = [
    # name, {file: text}, {variable: value}, explicit profile (or None)
    ("environment keys", {}, {"AWS_ACCESS_KEY_ID": K1, "AWS_SECRET_ACCESS_KEY": S1}, None),
    ("environment with session token", {},
     {"AWS_ACCESS_KEY_ID": K1, "AWS_SECRET_ACCESS_KEY": S1, "AWS_SESSION_TOKEN": "FwoGZXIvYXdzEXAMPLE"}, None),
    ("environment with expiration", {},
     {"AWS_ACCESS_KEY_ID": K1, "AWS_SECRET_ACCESS_KEY": S1, "AWS_SESSION_TOKEN": "t",
      "AWS_CREDENTIAL_EXPIRATION": "{exp2}"}, None),
    ("credentials file, default", {"credentials": creds("default", K1, S1)}, {}, None),
    ("credentials file, session token", {"credentials": creds("default", K1, S1, "aws_session_token = tok1\n")}, {}, None),
    ("credentials file, aws_security_token wins", {"credentials": creds(
        "default", K1, S1, "aws_session_token = tok1\naws_security_token = tok2\n")}, {}, None),
    ("config file [default]", {"config": creds("default", K2, S2)}, {}, None),
    ("config file, AWS_PROFILE", {"config": creds("profile dev", K2, S2)}, {"AWS_PROFILE": "dev"}, None),
    ("credentials file over config file", {"config": creds("profile dev", K2, S2), "credentials": creds("dev", K1, S1)},
     {"AWS_PROFILE": "dev"}, None),
    ("AWS_DEFAULT_PROFILE", {"credentials": creds("a", K1, S1) + creds("b", K2, S2)},
     {"AWS_DEFAULT_PROFILE": "b"}, None),
    ("AWS_DEFAULT_PROFILE before AWS_PROFILE", {"credentials": creds("a", K1, S1) + creds("b", K2, S2)},
     {"AWS_DEFAULT_PROFILE": "b", "AWS_PROFILE": "a"}, None),
    ("--profile over the environment's keys", {"credentials": creds("dev", K2, S2)},
     {"AWS_ACCESS_KEY_ID": K1, "AWS_SECRET_ACCESS_KEY": S1}, "dev"),
    ("environment's keys over AWS_PROFILE", {"credentials": creds("dev", K2, S2)},
     {"AWS_ACCESS_KEY_ID": K1, "AWS_SECRET_ACCESS_KEY": S1, "AWS_PROFILE": "dev"}, None),
    ("[profile default] and [default]", {"config": creds("profile default", K1, S1) + creds("default", K2, S2)}, {}, None),
    ("comments and spacing", {"credentials": "# keys\n; more\n[default]\n  aws_access_key_id=AKIDEXAMPLE\n"
                              f"aws_secret_access_key   =   {S1}\n# trailing\n"}, {}, None),
    ("credential_process", {"config": "[default]\n" + process(K1, S1) + "\n"}, {}, None),
    ("credential_process with token and expiration", {"config": "[default]\n" + process(
        K2, S2, ', "SessionToken": "proc-token", "Expiration": "{exp3}"') + "\n"}, {}, None),
    ("credentials file before credential_process", {"config": "[default]\n" + process(K2, S2) + "\n",
                                                   "credentials": creds("default", K1, S1)}, {}, None),
    ("credential_process before config keys", {"config": creds("default", K1, S1, process(K2, S2) + "\n")}, {}, None),
    ("role from a source profile", {"config": f"[profile app]\nrole_arn = {ROLE}\nsource_profile = base\n",
                                    "credentials": creds("base", K1, S1)}, {"AWS_PROFILE": "app"}, None),
    ("role with external_id", {"config": f"[profile app]\nrole_arn = {ROLE}\nsource_profile = base\nexternal_id = ext-77\n",
                               "credentials": creds("base", K1, S1)}, {"AWS_PROFILE": "app"}, None),
    ("role with duration_seconds", {"config": f"[profile app]\nrole_arn = {ROLE}\nsource_profile = base\nduration_seconds = 7200\n",
                                    "credentials": creds("base", K1, S1)}, {"AWS_PROFILE": "app"}, None),
    ("role with role_session_name", {"config": f"[profile app]\nrole_arn = {ROLE}\nsource_profile = base\nrole_session_name = me\n",
                                     "credentials": creds("base", K1, S1)}, {}, "app"),
    ("role chain of two", {"config": f"[profile a]\nrole_arn = {ROLE2}\nsource_profile = b\n[profile b]\nrole_arn = {ROLE}\nsource_profile = base\n",
                           "credentials": creds("base", K1, S1)}, {"AWS_PROFILE": "a"}, None),
    ("role chain of three", {"config": f"[profile a]\nrole_arn = {ROLE3}\nsource_profile = b\n[profile b]\nrole_arn = {ROLE2}\nsource_profile = c\n[profile c]\nrole_arn = {ROLE}\nsource_profile = base\n",
                             "credentials": creds("base", K3, S3)}, {"AWS_PROFILE": "a"}, None),
    ("role sourced from its own keys", {"credentials": creds("self", K2, S2, f"role_arn = {ROLE}\nsource_profile = self\n")},
     {"AWS_PROFILE": "self"}, None),
    ("role from a credential_process profile", {"config": f"[profile app]\nrole_arn = {ROLE}\nsource_profile = p\n[profile p]\n" + process(K1, S1) + "\n"},
     {"AWS_PROFILE": "app"}, None),
    ("credential_source Environment", {"config": f"[profile app]\nrole_arn = {ROLE}\ncredential_source = Environment\n"},
     {"AWS_ACCESS_KEY_ID": K3, "AWS_SECRET_ACCESS_KEY": S3}, "app"),
    ("credential_source EcsContainer", {"config": f"[profile app]\nrole_arn = {ROLE2}\ncredential_source = EcsContainer\n"},
     {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{container}/task"}, "app"),
    ("credential_source Ec2InstanceMetadata", {"config": f"[profile app]\nrole_arn = {ROLE3}\ncredential_source = Ec2InstanceMetadata\n"},
     {"AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "{imds}/"}, "app"),
    ("web identity from the environment", {"token": mocks.WEB_IDENTITY_TOKEN},
     {"AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token", "AWS_ROLE_ARN": ROLE, "AWS_ROLE_SESSION_NAME": "pod"}, None),
    ("web identity in the profile", {"token": mocks.WEB_IDENTITY_TOKEN,
                                     "config": f"[profile irsa]\nrole_arn = {ROLE2}\nweb_identity_token_file = {{home}}/token\n"},
     {"AWS_PROFILE": "irsa"}, None),
    ("role from a web identity profile", {"token": mocks.WEB_IDENTITY_TOKEN, "config":
                                          f"[profile app]\nrole_arn = {ROLE3}\nsource_profile = w\n"
                                          f"[profile w]\nrole_arn = {ROLE2}\nweb_identity_token_file = {{home}}/token\n"},
     {"AWS_PROFILE": "app"}, None),
    ("SSO, legacy profile", {"sso-legacy": "", "config": f"[profile sso]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n"
                                                         "sso_account_id = 123456789012\nsso_role_name = ReadOnly\n"},
     {"AWS_PROFILE": "sso"}, None),
    ("SSO, sso_session", {"sso-session": "corp", "config": "[profile sso]\nsso_session = corp\nsso_account_id = 210987654321\n"
                                                          "sso_role_name = Admin\n"
                                                          f"[sso-session corp]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n"},
     {}, "sso"),
    ("role from an SSO profile", {"sso-session": "corp", "config": f"[profile app]\nrole_arn = {ROLE}\nsource_profile = sso\n"
                                  "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Base\n"
                                  f"[sso-session corp]\nsso_start_url = {START_URL}\nsso_region = eu-west-1\n"},
     {"AWS_PROFILE": "app"}, None),
    ("container endpoint", {}, {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{container}/v1/credentials"}, None),
    ("container endpoint with a token", {},
     {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{container}/v1/credentials",
      "AWS_CONTAINER_AUTHORIZATION_TOKEN": mocks.CONTAINER_TOKEN}, None),
    ("container endpoint with a token file", {"pod-token": mocks.CONTAINER_TOKEN},
     {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{container}/pod",
      "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "{home}/pod-token"}, None),
    ("IMDSv2", {}, {"AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "{imds}/"}, None),
    ("IMDSv1 fallback", {}, {"AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "{imds_v1}/"}, None),
    ("the profile before the container endpoint", {"credentials": creds("default", K1, S1)},
     {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{container}/x"}, None),
    ("the container endpoint before IMDS", {},
     {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{container}/y", "AWS_EC2_METADATA_DISABLED": "false",
      "AWS_EC2_METADATA_SERVICE_ENDPOINT": "{imds}/"}, None),
    # Both must fail.
    ("nothing configured", {}, {}, None),
    ("a named profile that does not exist", {"credentials": creds("default", K1, S1)}, {}, "nope"),
    ("a source_profile cycle", {"config": f"[profile a]\nrole_arn = {ROLE}\nsource_profile = b\n[profile b]\nrole_arn = {ROLE2}\nsource_profile = a\n"},
     {"AWS_PROFILE": "a"}, None),
    ("a key id without its secret", {"credentials": f"[default]\naws_access_key_id = {K1}\n"}, {}, None),
    ("a failing credential_process", {"config": "[default]\ncredential_process = {home}/bin/fail\n"}, {}, None),
    ("a web identity token STS refuses", {"token": "not-the-token"},
     {"AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token", "AWS_ROLE_ARN": ROLE}, None),
]


def digest(s):
    return None if s is None else hashlib.sha256(s.encode()).hexdigest()


def botocore_side(env, profile):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    # botocore fixes the SSO cache directory from HOME when it is imported: point it at the
    # fixture's home, as a fresh process with this HOME would have it.
    cache = os.path.join(env["HOME"], ".aws", "sso", "cache")
    botocore.credentials.SSOProvider._SSO_TOKEN_CACHE_DIR = cache
    botocore.tokens.SSOTokenProvider._SSO_TOKEN_CACHE_DIR = cache
    try:
        session = botocore.session.Session(profile=profile)
        c = session.get_credentials()
        if c is None:
            return {"error": "no credentials"}
        frozen = c.get_frozen_credentials()
        expiry = getattr(c, "_expiry_time", None)
        return {"accessKeyId": frozen.access_key, "secretSha256": digest(frozen.secret_key),
                "sessionTokenSha256": digest(frozen.token),
                "expiration": None if expiry is None else int(expiry.timestamp())}
    except Exception as e:  # noqa: BLE001 - any failure is "fails" for the comparison
        return {"error": f"{type(e).__name__}: {e}"}
    finally:
        os.environ.clear()
        os.environ.update(saved)


def ours(binary, env, profile):
    import json
    args = [binary] + (["--profile", profile] if profile else [])
    out = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        return {"error": f"exit {out.returncode}: {out.stderr.strip()[:300]}"}
    got = json.loads(out.stdout)
    got.pop("source", None)
    return got


def setup(home, files, m):
    os.makedirs(os.path.join(home, ".aws", "sso", "cache"))
    os.makedirs(os.path.join(home, "bin"))
    for name, body in (("process", mocks_process()), ("fail", "#!/bin/sh\necho 'no credentials here' >&2\nexit 3\n")):
        path = os.path.join(home, "bin", name)
        with open(path, "w") as f:
            f.write(body)
        os.chmod(path, stat.S_IRWXU)
    exp8, _ = mocks.expiration(8)
    for name, text in files.items():
        if name in ("config", "credentials"):
            path = os.path.join(home, ".aws", name)
        elif name in ("sso-legacy", "sso-session"):
            key = START_URL if name == "sso-legacy" else text
            path = os.path.join(home, ".aws", "sso", "cache", hashlib.sha1(key.encode()).hexdigest() + ".json")
            text = ('{"startUrl": "%s", "region": "us-east-1", "accessToken": "%s", "expiresAt": "%s"}'
                    % (START_URL, mocks.SSO_TOKEN, exp8))
        else:
            path = os.path.join(home, name)
        with open(path, "w") as f:
            f.write(fill(text, home, m))


def mocks_process():
    return PROCESS


def fill(text, home, m):
    exp2, _ = mocks.expiration(2)
    exp3, _ = mocks.expiration(3)
    return (text.replace("{home}", home).replace("{exp2}", exp2).replace("{exp3}", exp3)
            .replace("{container}", m.url("container")).replace("{imds_v1}", m.url("imds_v1"))
            .replace("{imds}", m.url("imds")))


def main():
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="iamauth-credentials-differential-")
    m = mocks.Mocks(work)
    failures, started = 0, time.time()
    try:
        for i, (name, files, variables, profile) in enumerate(FIXTURES):
            home = os.path.join(work, f"home{i}")
            setup(home, files, m)
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
                "AWS_CA_BUNDLE": m.ca, "AWS_ENDPOINT_URL_STS": m.url("sts"), "AWS_ENDPOINT_URL_SSO": m.url("sso"),
                "AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
            }
            env.update({k: fill(v, home, m) for k, v in variables.items()})
            theirs = botocore_side(env, profile)
            mine = ours(binary, env, profile)
            same = ("error" in theirs and "error" in mine) or theirs == mine
            outcome = "fails in both" if "error" in theirs and same else ("same" if same else "DIFFERENT")
            print(f"{'ok  ' if same else 'FAIL'} {name}: {outcome}")
            if not same:
                failures += 1
                print(f"     botocore: {theirs}\n     iamauth:  {mine}")
    finally:
        m.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"credential chain vs botocore: {len(FIXTURES) - failures} of {len(FIXTURES)} fixtures agree "
          f"({time.time() - started:.1f} s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
