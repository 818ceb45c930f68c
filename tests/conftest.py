"""Fixtures. One app for the whole session, put back to its scenario by the
product's own reset before each test (that exercises reset on every test);
a test that needs other settings overrides `config` and gets its own app.
Requests go through Flask's test client: the whole WSGI stack, in-process.

The registry below is every provider the provider-neutral tests (tests/core)
cover: each served provider, plus a toy one that proves a new provider is
one folder and one line here."""

from __future__ import annotations

import pytest

from sandbox.app import create_app
from sandbox.config import Config
from sandbox.core.runtime import sandbox_of
from sandbox.testing.receiver import Receiver
from tests.codes_listed import AnsweredCodes
from tests.ibanera.harness import IbaneraHarness
from tests.p100.harness import P100Harness
from tests.prozora.harness import ProzoraHarness
from tests.toy.harness import ToyHarness
from tests.weavr.harness import WeavrHarness

HARNESSES = (
    IbaneraHarness(),
    P100Harness(),
    ProzoraHarness(),
    WeavrHarness(),
    ToyHarness(),
)
PROVIDERS = tuple(h.provider for h in HARNESSES)
DEFAULT_CONFIG = Config()


@pytest.fixture(scope="session")
def answered_codes():
    """At the end of the run: every error code an operation answered is
    listed for that operation in its provider's document."""
    codes = AnsweredCodes(PROVIDERS)
    yield codes
    unlisted = codes.unlisted()
    assert not unlisted, "answered but not in the operation's x-error-codes:\n" + "\n".join(unlisted)


@pytest.fixture(scope="session")
def shared_app(answered_codes):
    app = create_app(DEFAULT_CONFIG, PROVIDERS)
    answered_codes.install(app)
    yield app
    sandbox_of(app).close()


@pytest.fixture
def config() -> Config:
    return DEFAULT_CONFIG


@pytest.fixture
def app(config, shared_app, answered_codes):
    if config == DEFAULT_CONFIG:
        sandbox_of(shared_app).reset()
        yield shared_app
        return
    app = create_app(config, PROVIDERS)
    answered_codes.install(app)
    yield app
    sandbox_of(app).close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def sandbox(app):
    """The running sandbox (for moving its clock, as a test of time would)."""
    return sandbox_of(app)


@pytest.fixture(params=HARNESSES, ids=lambda h: h.provider.name)
def harness(request):
    """Each provider in turn, with a valid call of each of its operations."""
    return request.param


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1, closed after the test."""
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def frozen(client):
    """Sandbox time stands still until the test moves it."""
    assert client.post("/_sandbox/clock", json={"freeze": True}).status_code == 200
