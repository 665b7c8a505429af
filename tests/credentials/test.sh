#!/usr/bin/env bash
# The credential chain against botocore's (pinned, in a throwaway venv): the fixtures of
# differential.py on loopback mocks of IMDS, the container endpoint, STS and the SSO portal
# (mocks.py; https with a test CA made by openssl). Needs python3 (with venv), openssl, cargo.
set -euo pipefail
. "$(dirname "$0")/../need.sh"
need_venv
need_cmd openssl openssl
step "credentials: the chain against botocore"
cargo build --quiet -p iamauth-credentials --example chain_digest
python3 "$root/tests/credentials/differential.py" "$(cargo_target)/debug/examples/chain_digest"
