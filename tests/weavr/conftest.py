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
    """How many records a Weavr collection holds (e.g. count("consumers"))."""

    def records(name: str) -> int:
        return sandbox.store.collection(f"weavr.{name}").count()

    return records
