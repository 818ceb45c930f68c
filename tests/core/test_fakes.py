"""Generated values repeat for the same seed and key, whichever way they are drawn."""

from __future__ import annotations

from sandbox.core.fakes import Fakes, aba, hexify, numerify


def test_uuid4_is_what_the_seeded_faker_gives_without_building_faker():
    fakes = Fakes(seed=7)
    keys = [("p100.user", "tenant", "alice"), ("p100.balance", "t", "u", "eur"), ("x", 0)]
    fast = [fakes.uuid4(*key) for key in keys]
    assert fakes._faker is None  # the point: start-up need not build Faker
    for key, value in zip(keys, fast, strict=True):
        with fakes.seeded(*key) as faker:
            assert faker.uuid4() == value
    assert len(set(fast)) == 3 and Fakes(seed=8).uuid4(*keys[0]) != fast[0]


def test_digits_and_hex_are_what_the_seeded_faker_gives_without_building_faker():
    """Account numbers, routing numbers, IBANs' account parts and transaction hashes keep
    Faker's values for a seed, drawn from the same stream without loading Faker."""
    fakes = Fakes(seed=3)
    keys = [("ibanera.account", n) for n in range(14001, 14004)] + [("p100.iban", "key", "ada"), ("p100.txhash", 0)]
    drawn = []
    for key in keys:
        pick = fakes.rng(*key)
        drawn.append((aba(pick), numerify(pick, "%###########"), hexify(pick, "^" * 64), numerify(pick, "+1%#")))
    assert fakes._faker is None
    for key, fast in zip(keys, drawn, strict=True):
        with fakes.seeded(*key) as faker:
            slow = (faker.aba(), faker.numerify("%###########"), faker.hexify("^" * 64), faker.numerify("+1%#"))
        assert fast == slow
    assert len({routing for routing, *_ in drawn}) == len(keys)
