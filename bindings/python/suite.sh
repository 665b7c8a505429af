# Sourced by bindings/python/test.sh (the wheel built from the checkout) and tests/dist/test-python.sh
# (the packages in dist/python, as users install them): the one way the pytest suite is run.
#
#   . bindings/python/suite.sh
#   "$PY" -m pip install "${PYTHON_TEST_PINS[@]}"
#   python_suite WORKDIR PYTHON [PYTEST-ARG...]
#
# PYTHON is an interpreter (or a wrapper script) that already imports the installed `pyiamauth`
# and the test pins. The tests run from a copy in WORKDIR, so `import pyiamauth` can only find the
# installed package, never bindings/python/python. PYTHON_SUITE_STUBTEST=0 skips mypy's stubtest
# (under qemu it is slow, and the stubs are the same files in every wheel).

# Pinned test tools: botocore supplies the real credential classes; mypy's stubtest checks
# _native.pyi against the built module; psycopg2 and SQLAlchemy, the same versions as tests/e2e,
# run the README's driver and pool recipes; redis (as tests/e2e/drivers/python.txt) is the base
# class of RedisCredentialProvider; confluent-kafka and kafka-python are the Kafka clients
# MskTokenProvider is tested with (tests/test_kafka.py: oauth_cb, sasl_oauth_token_provider).
PYTHON_TEST_PINS=(pytest==9.2.0 botocore==1.44.8 mypy==2.4.1 psycopg2-binary==2.9.13 SQLAlchemy==2.1.9 redis==8.1.0
    confluent-kafka==2.16.1 kafka-python==3.0.12)

python_suite() { # WORKDIR PYTHON [PYTEST-ARG...]
    local work="$1" py="$2" here root
    shift 2
    here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
    root="$(cd "$here/../.." && pwd)"
    rm -rf "$work/tests"
    cp -r "$here/tests" "$work/tests"
    (
        cd "$work" || exit 1
        # The stubs must match the module's real signatures and names.
        if [ "${PYTHON_SUITE_STUBTEST:-1}" != 0 ]; then
            "$py" -m mypy.stubtest pyiamauth || exit 1
        fi
        IAMAUTH_ROOT="$root" "$py" -m pytest -p no:cacheprovider -q "$work/tests" "$@"
    )
}
