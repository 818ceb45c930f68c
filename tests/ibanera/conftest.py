"""Ibanera's fixtures: the default scenario's managers, logged in."""

from __future__ import annotations

import pytest

from tests.ibanera.client import IbaneraClient


@pytest.fixture
def ibanera(client) -> IbaneraClient:
    """Manager 1 of the default scenario (has a widget client), logged in."""
    return IbaneraClient(client, "manager@example.com").login()


@pytest.fixture
def ibanera2(client) -> IbaneraClient:
    """Manager 2 of the default scenario (no widget client), logged in."""
    return IbaneraClient(client, "manager2@example.com").login()
