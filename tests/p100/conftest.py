from __future__ import annotations

import pytest

from tests.p100.client import KEY, KEY_2, P100Client


@pytest.fixture
def p100(client) -> P100Client:
    return P100Client(client, KEY)


@pytest.fixture
def other(client) -> P100Client:
    """The second partner of the default scenario."""
    return P100Client(client, KEY_2)
