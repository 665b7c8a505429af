"""pyiamauth.MskTokenProvider with the real Kafka clients (installed from PyPI by the suite's
pins): confluent-kafka-python's ``oauth_cb`` and kafka-python's ``sasl_oauth_token_provider``,
driven as far as a client goes without a broker; and the provider's cache, which is the token
providers' (the core's refresh rule)."""

import ast
import re
import threading
import warnings

import confluent_kafka
import pytest

with warnings.catch_warnings():
    # kafka-python 3.0's schema loader uses importlib.resources' deprecated read_text.
    warnings.simplefilter("ignore", DeprecationWarning)
    import kafka
    import kafka.net.sasl.oauth

import pyiamauth
from conftest import ROOT

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"
T0 = 1704164645
CREDS = pyiamauth.Credentials(AKID, SECRET)


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


class Recording(pyiamauth.MskTokenProvider):
    """The provider, recording what each client asked for and got."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.oauth_cb_calls = []
        self.token_calls = []

    def __call__(self, config=None):
        result = super().__call__(config)
        self.oauth_cb_calls.append((config, result))
        return result

    def token(self):
        token = super().token()
        self.token_calls.append(token)
        return token


def closed_port():
    """A 127.0.0.1 port nothing listens on (bound, then closed)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_msk_token(token, signed_at=None):
    """The token verifies as an MSK token of REGION with CREDS (at its own signing time)."""
    info = pyiamauth.inspect(token)
    if signed_at is not None:
        assert info.signed_at == signed_at
    who = pyiamauth.verify(token, CREDS, service="kafka-cluster", region=REGION,
                           now=info.signed_at)
    assert (who.kind, who.access_key_id, who.region) == ("msk", AKID, REGION)
    return info


# --- the provider itself ------------------------------------------------------------------------

def test_the_provider_is_msk_token_cached_until_the_cores_refresh_point():
    clock = Clock(T0)
    provider = pyiamauth.MskTokenProvider(REGION, CREDS, clock=clock)
    token, expiry_ms = pyiamauth.msk_token(REGION, CREDS, time=T0)
    assert provider("ignored config") == (token, expiry_ms / 1000)
    assert isinstance(provider()[1], float)
    assert provider.token() == token and provider.token_and_expiry() == (token, expiry_ms)
    assert provider.extensions() == {}
    refresh = pyiamauth.refresh_at(T0, pyiamauth.DEFAULT_EXPIRES_IN)
    clock.now = refresh - 1
    assert provider.token() == token  # reused, same expiry
    clock.now = refresh
    token2, expiry2 = provider.token_and_expiry()
    assert token2 != token and expiry2 == (refresh + 900) * 1000
    assert_msk_token(token2, signed_at=refresh)
    provider.invalidate()
    clock.now = refresh + 1
    assert provider.token_and_expiry()[1] == (refresh + 1 + 900) * 1000


def test_the_provider_takes_msk_tokens_options():
    provider = pyiamauth.MskTokenProvider(REGION, CREDS, expires_in=120, user_agent="app/2.0",
                                          clock=Clock(T0))
    assert provider.token_and_expiry() == pyiamauth.msk_token(
        REGION, CREDS, time=T0, expires_in=120, user_agent="app/2.0")


def test_the_provider_checks_its_arguments_when_made():
    for kwargs, code in (({"region": "US EAST"}, "INVALID_REGION"),
                         ({"region": REGION, "expires_in": 901}, "INVALID_EXPIRY"),
                         ({"region": REGION, "user_agent": "bad\nagent"}, "INVALID_USER_AGENT")):
        with pytest.raises(pyiamauth.IamAuthError) as e:
            pyiamauth.MskTokenProvider(credentials=CREDS, **kwargs)
        assert e.value.code == code
    with pytest.raises(pyiamauth.IamAuthTypeError) as e:
        pyiamauth.MskTokenProvider(REGION, CREDS, expires_in="900")
    assert e.value.code == "INVALID_EXPIRY"


def test_the_provider_resolves_credentials_at_each_refresh_and_honours_their_expiration():
    clock = Clock(T0)
    calls = []

    def source():
        calls.append(clock.now)
        return pyiamauth.Credentials(AKID, SECRET, expiration=T0 + 300)

    provider = pyiamauth.MskTokenProvider(REGION, source, clock=clock)
    assert calls == []  # not resolved when made
    provider.token()
    # Reused no later than the core says for credentials expiring at T0 + 300.
    until = pyiamauth.refresh_at(T0, 900, T0 + 300)
    clock.now = until - 1
    provider.token()
    assert calls == [T0]
    clock.now = until
    provider.token()
    assert calls == [T0, until]
    clock.now = T0 + 300  # expired credentials: the core's INVALID_CREDENTIALS, no token
    with pytest.raises(pyiamauth.IamAuthError) as e:
        provider.token()
    assert e.value.code == "INVALID_CREDENTIALS"


def test_one_refresh_for_concurrent_callers():
    calls = []

    def source():
        calls.append(1)
        return CREDS

    provider = pyiamauth.MskTokenProvider(REGION, source)
    got = []
    threads = [threading.Thread(target=lambda: got.append(provider.token())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(set(got)) == 1


# --- confluent-kafka-python: oauth_cb -----------------------------------------------------------

def confluent_config(provider, **extra):
    return {
        "bootstrap.servers": f"127.0.0.1:{closed_port()}",  # nothing listens: no broker
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanism": "OAUTHBEARER",
        "sasl.oauthbearer.config": "from-the-config",
        "oauth_cb": provider,
        "log_level": 0,  # the refused connections' log lines
        **extra,
    }


def assert_confluent_got_a_token(provider):
    # librdkafka asks once, when the client is made; a token it refuses (an expiry in the past,
    # a value outside RFC 6750's b64token) fails the constructor after 10 s instead.
    assert len(provider.oauth_cb_calls) == 1
    config, (token, expiry) = provider.oauth_cb_calls[0]
    assert config == "from-the-config"
    assert isinstance(token, str) and isinstance(expiry, float)
    info = assert_msk_token(token)
    # confluent-kafka's contract: the expiry in unix seconds (librdkafka takes it * 1000).
    assert expiry == info.expires_at == info.signed_at + 900
    assert provider.token_and_expiry() == (token, int(expiry * 1000))


def test_confluent_kafka_producer_calls_oauth_cb():
    provider = Recording(REGION, CREDS)
    producer = confluent_kafka.Producer(confluent_config(provider))
    producer.poll(0.2)
    assert_confluent_got_a_token(provider)
    producer.flush(0)


def test_confluent_kafka_consumer_calls_oauth_cb():
    provider = Recording(REGION, CREDS)
    consumer = confluent_kafka.Consumer(confluent_config(provider, **{"group.id": "g"}))
    try:
        consumer.poll(0.2)
        assert_confluent_got_a_token(provider)
    finally:
        consumer.close()


# --- kafka-python: sasl_oauth_token_provider -----------------------------------------------------

def test_the_provider_is_kafka_pythons_abstract_token_provider():
    from kafka.net.sasl.oauth import AbstractTokenProvider  # kafka-python 3.x's path

    assert isinstance(pyiamauth.MskTokenProvider(REGION, CREDS), AbstractTokenProvider)


def test_kafka_python_oauthbearer_mechanism_sends_the_token():
    """kafka-python's own OAUTHBEARER mechanism (what a connection runs after the broker's
    SaslHandshake): it checks the provider's class, calls token() and extensions(), and
    writes the client's first message (RFC 7628)."""
    from kafka.net.sasl import get_sasl_mechanism

    provider = Recording(REGION, CREDS)
    mechanism = get_sasl_mechanism("OAUTHBEARER")(host="127.0.0.1",
                                                  sasl_oauth_token_provider=provider)
    message = mechanism.auth_bytes()
    [token] = provider.token_calls
    assert message == f"n,,\x01auth=Bearer {token}\x01\x01".encode()
    assert_msk_token(token)
    mechanism.receive(b"")  # the broker's empty success answer
    assert mechanism.is_authenticated()


def kafka_python_config(provider):
    return dict(bootstrap_servers=f"127.0.0.1:{closed_port()}", security_protocol="SASL_PLAINTEXT",
                sasl_mechanism="OAUTHBEARER", sasl_oauth_token_provider=provider,
                api_version=(2, 5))


def test_kafka_python_producer_and_admin_take_the_provider():
    """Without a broker, KafkaProducer is made (it connects lazily) and KafkaAdminClient's
    bootstrap fails at the TCP connect: neither reaches SASL, so token() is not called."""
    provider = Recording(REGION, CREDS)
    producer = kafka.KafkaProducer(max_block_ms=200, **kafka_python_config(provider))
    try:
        assert producer.config["sasl_oauth_token_provider"] is provider
    finally:
        producer.close(timeout=1)
    with pytest.raises(kafka.errors.KafkaError):
        kafka.KafkaAdminClient(bootstrap_timeout_ms=300, **kafka_python_config(provider))
    assert provider.token_calls == []


# --- the confluent-kafka block of bindings/python/README.md and of the top README --------------

PACKAGE_README = ROOT / "bindings" / "python" / "README.md"


def readme_block(marker, readme=PACKAGE_README):
    text = readme.read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"^```python\n(.*?)^```$", text, flags=re.S | re.M)
              if marker in b]
    assert len(blocks) == 1, f"{len(blocks)} README blocks contain {marker!r}"
    return blocks[0]


def run_with(block, **overrides):
    """Runs `block` with its top-level assignments to the names in `overrides` replaced."""
    tree = ast.parse(block)
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and getattr(node.targets[0], "id", None) in overrides:
            node.value = ast.copy_location(ast.Constant(overrides[node.targets[0].id]),
                                           node.value)
    names = {}
    exec(compile(tree, "bindings/python/README.md", "exec"), names)
    return names


@pytest.fixture
def env_credentials(no_aws_env):
    """The README's CredentialChain finds these (the environment comes first)."""
    no_aws_env.setenv("AWS_ACCESS_KEY_ID", AKID)
    no_aws_env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    no_aws_env.setenv("AWS_CONFIG_FILE", "/nonexistent")
    no_aws_env.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    # The block's provider, recording what the client asks.
    no_aws_env.setattr(pyiamauth, "MskTokenProvider", Recording, raising=False)
    return no_aws_env


@pytest.mark.parametrize("readme", [PACKAGE_README, ROOT / "README.md"], ids=["package", "top"])
def test_readme_confluent_kafka_block(env_credentials, readme):
    names = run_with(readme_block('"oauth_cb"', readme), BOOTSTRAP=f"127.0.0.1:{closed_port()}")
    producer, provider = names["producer"], names["provider"]
    try:
        assert isinstance(provider, Recording) and provider.oauth_cb_calls
        config, (token, expiry) = provider.oauth_cb_calls[0]
        info = assert_msk_token(token)
        assert info.region == REGION and expiry == info.expires_at
    finally:
        producer.flush(0)


def test_readme_kafka_python_block(env_credentials):
    """KafkaProducer bootstraps in its constructor (it probes the broker's version), so here
    it is a recorder: the block's arguments go to kafka-python's own OAUTHBEARER mechanism,
    whose first message must carry a token that verifies."""
    from kafka.net.sasl import get_sasl_mechanism

    made = []

    class Producer:
        def __init__(self, **config):
            made.append(config)

    env_credentials.setattr(kafka, "KafkaProducer", Producer)
    names = run_with(readme_block("sasl_oauth_token_provider="),
                     BOOTSTRAP=f"127.0.0.1:{closed_port()}")
    [config] = made
    assert config["security_protocol"] == "SASL_SSL" and config["sasl_mechanism"] == "OAUTHBEARER"
    assert config["sasl_oauth_token_provider"] is names["provider"]
    mechanism = get_sasl_mechanism(config["sasl_mechanism"])(host="127.0.0.1", **config)
    message = mechanism.auth_bytes().decode()
    token = re.fullmatch("n,,\x01auth=Bearer ([^\x01]+)\x01\x01", message).group(1)
    assert [token] == names["provider"].token_calls
    assert_msk_token(token)


def test_without_kafka_python_the_provider_is_duck_typed():
    """kafka-python not installed: MskTokenProvider is made on `object` and still has token(),
    extensions() and the oauth_cb call."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['kafka'] = None\n"  # `import kafka` raises ImportError
        "import pyiamauth\n"
        "c = pyiamauth.Credentials('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY')\n"
        "p = pyiamauth.MskTokenProvider('us-east-1', c, clock=lambda: 1704164645)\n"
        "assert [k.__name__ for k in type(p).__mro__][-1:] == ['object']\n"
        "assert 'AbstractTokenProvider' not in [k.__name__ for k in type(p).__mro__]\n"
        "token, expiry = p('')\n"
        "assert token == p.token() and expiry == 1704165545.0 and p.extensions() == {}\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0 and out.stdout == "ok\n", out.stderr
