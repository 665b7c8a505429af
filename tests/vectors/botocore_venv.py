"""The one pinned botocore, run from a throwaway venv: shared by the vector generator and the
botocore benchmark so both always talk about the same botocore."""

import os
import subprocess
import sys
import tempfile

BOTOCORE = "botocore==1.44.8"
_FLAG = "IAMAUTH_BOTOCORE_VENV"


def _has_pinned_botocore():
    try:
        import botocore
    except ImportError:
        return False
    return botocore.__version__ == BOTOCORE.split("==")[1]


def ensure(script):
    """Returns when this interpreter has the pinned botocore; otherwise re-runs `script` with
    the same arguments in a new venv (removed afterwards) and exits with its status."""
    if _has_pinned_botocore() or os.environ.get(_FLAG):
        return
    with tempfile.TemporaryDirectory(prefix="iamauth-botocore-") as tmp:
        venv = os.path.join(tmp, "venv")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        py = os.path.join(venv, "bin", "python")
        subprocess.run([py, "-m", "pip", "install", "-q", BOTOCORE], check=True)
        env = dict(os.environ, **{_FLAG: "1"})
        sys.exit(subprocess.run([py, os.path.abspath(script), *sys.argv[1:]], env=env).returncode)
