"""Seeded Faker for every generated value.

Each value is drawn from a Faker reseeded from (--seed, a stable key such as
"ibanera.account", 14001), so the same seed gives the same value for the same
record whatever order concurrent requests arrive in.

Digits, hex and UUIDs need no Faker: `numerify`, `aba`, `hexify` and
`Fakes.uuid4` draw from `Fakes.rng(*key)`, the very random stream Faker's
`seeded(*key)` draws from, the way Faker does, so they give Faker's values.
Importing Faker alone costs ~0.13 s (it scans its locales), which start-up
with the default scenario and the requests that open accounts should not pay.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faker import Faker


class Fakes:
    def __init__(self, seed: int, locale: str = "en_US") -> None:
        self.seed = seed
        self._locale = locale
        self._faker: Faker | None = None
        self._lock = threading.Lock()

    def token(self, *key: object, length: int = 40) -> str:
        """A hex token for this key (links, references): the same for the same
        seed and key, and ~50x cheaper than asking Faker for random digits."""
        return hashlib.sha256(repr((self.seed, *key)).encode()).hexdigest()[:length]

    def _key_seed(self, *key: object) -> int:
        return int.from_bytes(hashlib.sha256(repr((self.seed, *key)).encode()).digest()[:8], "big")

    def uuid4(self, *key: object) -> str:
        """A version-4 UUID for this key: the very value `seeded(*key)`'s
        Faker.uuid4() gives (Faker draws it from random.Random seeded the same
        way), without building Faker: scenario loading calls this, and start-up
        should not wait ~0.3 s for Faker."""
        return str(uuid.UUID(int=random.Random(self._key_seed(*key)).getrandbits(128), version=4))

    @contextmanager
    def seeded(self, *key: object) -> Iterator[Faker]:
        """A Faker seeded for this key; hold it only inside the with-block."""
        with self._lock:
            faker = self._build()
            faker.seed_instance(self._key_seed(*key))
            yield faker

    def rng(self, *key: object) -> random.Random:
        """A plain seeded random for this key: the stream `seeded(*key)`'s Faker
        draws from. For bulk generated values (a scenario's `generate: 10000`),
        where Faker per record would cost ~100x more, and for `numerify`,
        `aba` and `hexify`."""
        return random.Random(self._key_seed(*key))

    def name_pool(self, *key: object, size: int = 200) -> tuple[list[str], list[str]]:
        """(first names, last names) that Faker gives for this key: drawn
        once, then picked from with rng() for each generated person."""
        with self.seeded("name-pool", *key) as fake:
            return [fake.first_name() for _ in range(size)], [fake.last_name() for _ in range(size)]

    def _build(self) -> Faker:
        if self._faker is None:
            from faker import Faker  # ~0.3 s: not at import time

            self._faker = Faker(self._locale)
        return self._faker


_HASH, _PERCENT, _CIRCUMFLEX = re.compile("#"), re.compile("%"), re.compile(r"\^")
_HEX = "0123456789abcdef"


def numerify(rng: random.Random, text: str) -> str:
    """Faker's numerify for `#` (a digit) and `%` (a digit but 0), in its order:
    every `#` left to right, then every `%`."""
    text = _HASH.sub(lambda _: str(rng.randint(0, 9)), text)
    return _PERCENT.sub(lambda _: str(rng.randint(1, 9)), text)


def aba(rng: random.Random) -> str:
    """Faker's ABA routing number: a Federal Reserve district, six digits and the check digit."""
    digits = f"{rng.randrange(1, 13):02}{numerify(rng, '######')}"
    d = [int(n) for n in digits]
    total = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5]
    return f"{digits}{-total % 10}"


def hexify(rng: random.Random, text: str) -> str:
    """Faker's hexify: each `^` a lower-case hex digit."""
    return _CIRCUMFLEX.sub(lambda _: rng.choice(_HEX), text)
