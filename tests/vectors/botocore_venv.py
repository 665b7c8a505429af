"""The one pinned botocore, run from a throwaway venv: shared by the vector generator and the
botocore benchmark so both always talk about the same botocore."""

import os
import subprocess
import sys
import tempfile

BOTOCORE = "botocore==1.44.8"
# The other references of the vector generator (tests/vectors/generate.py): awscli's EKS
# TokenGenerator and the MSK signer, installed beside the pinned botocore (boto3, which the MSK
# signer imports, pinned to the release that goes with it). awscli 1.46.3 does not depend on
# botocore (it bundles its own copy), so pip keeps botocore at the pin.
REFERENCES = ("awscli==1.46.3", "aws-msk-iam-sasl-signer-python==1.0.2", "boto3==1.44.8")
_FLAG = "IAMAUTH_BOTOCORE_VENV"


def _has(pins):
    from importlib import metadata

    for pin in pins:
        name, version = pin.split("==")
        try:
            if metadata.version(name) != version:
                return False
        except metadata.PackageNotFoundError:
            return False
    return True


def ensure(script, extras=()):
    """Returns when this interpreter has the pinned botocore (and the pinned `extras`, e.g.
    REFERENCES); otherwise re-runs `script` with the same arguments in a new venv (removed
    afterwards) that pip-installs them, and exits with its status."""
    if _has((BOTOCORE, *extras)) or os.environ.get(_FLAG):
        return
    with tempfile.TemporaryDirectory(prefix="iamauth-botocore-") as tmp:
        venv = os.path.join(tmp, "venv")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        py = os.path.join(venv, "bin", "python")
        subprocess.run([py, "-m", "pip", "install", "-q", BOTOCORE, *extras], check=True)
        env = dict(os.environ, **{_FLAG: "1"})
        sys.exit(subprocess.run([py, os.path.abspath(script), *sys.argv[1:]], env=env).returncode)
