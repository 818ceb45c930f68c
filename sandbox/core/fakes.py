"""Seeded Faker for every generated value.

Each value is drawn from a Faker reseeded from (--seed, a stable key such as
"ibanera.account", 14001), so the same seed gives the same value for the same
record whatever order concurrent requests arrive in.
"""

from __future__ import annotations

import hashlib
import random
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
        """A plain seeded random for this key: for bulk generated values
        (a scenario's `generate: 10000`), where Faker per record would cost
        ~100x more."""
        digest = hashlib.sha256(repr((self.seed, *key)).encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    def name_pool(self, *key: object, size: int = 200) -> tuple[list[str], list[str]]:
        """(first names, last names) that Faker gives for this key: drawn
        once, then picked from with rng() for each generated person."""
        with self.seeded("name-pool", *key) as fake:
            return [fake.first_name() for _ in range(size)], [fake.last_name() for _ in range(size)]

    def warm_up(self) -> None:
        """Build Faker now, on a background thread: it costs ~0.3 s, which
        neither start-up nor the first request that needs it should pay."""
        threading.Thread(target=lambda: self._locked_build(), name="fakes-warm-up", daemon=True).start()

    def _locked_build(self) -> None:
        with self._lock:
            self._build()

    def _build(self) -> Faker:
        if self._faker is None:
            from faker import Faker  # ~0.3 s: not at import time

            self._faker = Faker(self._locale)
        return self._faker
