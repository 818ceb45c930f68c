"""Fixtures: a fresh sandbox app per test, driven through real HTTP requests
(Flask's test client runs the whole WSGI stack in-process)."""

from __future__ import annotations

import pytest

from sandbox.app import create_app
from sandbox.core.runtime import sandbox_of
from sandbox.config import Config
from tests.ibanera.client import IbaneraClient


@pytest.fixture
def config() -> Config:
    return Config()


@pytest.fixture
def app(config):
    app = create_app(config)
    yield app
    sandbox_of(app).close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def sandbox(app):
    """The running sandbox (for moving its clock, as a test of time would)."""
    return sandbox_of(app)


@pytest.fixture
def ibanera(client) -> IbaneraClient:
    """Manager 1 of the default scenario (has a widget client), logged in."""
    return IbaneraClient(client, "manager@example.com").login()


@pytest.fixture
def ibanera2(client) -> IbaneraClient:
    """Manager 2 of the default scenario (no widget client), logged in."""
    return IbaneraClient(client, "manager2@example.com").login()
