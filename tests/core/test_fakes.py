"""Generated values repeat for the same seed and key, whichever way they are drawn."""

from __future__ import annotations

from sandbox.core.fakes import Fakes


def test_uuid4_is_what_the_seeded_faker_gives_without_building_faker():
    fakes = Fakes(seed=7)
    keys = [("p100.user", "tenant", "alice"), ("p100.balance", "t", "u", "eur"), ("x", 0)]
    fast = [fakes.uuid4(*key) for key in keys]
    assert fakes._faker is None  # the point: start-up need not build Faker
    for key, value in zip(keys, fast, strict=True):
        with fakes.seeded(*key) as faker:
            assert faker.uuid4() == value
    assert len(set(fast)) == 3 and Fakes(seed=8).uuid4(*keys[0]) != fast[0]
