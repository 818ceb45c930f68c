"""Weavr test helpers as fixtures."""

from __future__ import annotations

import pytest

from tests.weavr.client import KEY, KEY_2, WeavrClient


@pytest.fixture
def weavr(client):
    """A fresh client of the first api-key (no consumer yet)."""
    return WeavrClient(client, KEY)


@pytest.fixture
def weavr2(client):
    return WeavrClient(client, KEY_2)


@pytest.fixture
def count(sandbox):
    """How many records the test added to a Weavr collection (e.g.
    count("consumers")): the default scenario's own records are not counted."""
    names = ("consumers", "accounts", "fee_charges", "tokens", "idempotency")
    scenario = {name: sandbox.store.collection(f"weavr.{name}").count() for name in names}

    def records(name: str) -> int:
        return sandbox.store.collection(f"weavr.{name}").count() - scenario[name]

    return records
