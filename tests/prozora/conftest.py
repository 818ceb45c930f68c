"""Prozora's fixtures: the default scenario's employees."""

from __future__ import annotations

import pytest

from tests.prozora.client import TOKEN_B, TOKEN_KYIV, B, ProzoraClient


@pytest.fixture
def prozora(client) -> ProzoraClient:
    """Counterparty A's unassigned employee: sees all of A's customers."""
    return ProzoraClient(client)


@pytest.fixture
def kyiv(client) -> ProzoraClient:
    """Counterparty A's Kyiv branch employee."""
    return ProzoraClient(client, TOKEN_KYIV)


@pytest.fixture
def prozora_b(client) -> ProzoraClient:
    """Counterparty B's employee."""
    return ProzoraClient(client, TOKEN_B, B)
