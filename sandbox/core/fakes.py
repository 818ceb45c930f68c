"""Seeded Faker for every generated value.

Each value is drawn from a Faker reseeded from (--seed, a stable key such as
"ibanera.account", 14001), so the same seed gives the same value for the same
record whatever order concurrent requests arrive in.
"""

from __future__ import annotations

import hashlib
import threading
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

    @contextmanager
    def seeded(self, *key: object) -> Iterator[Faker]:
        """A Faker seeded for this key; hold it only inside the with-block."""
        digest = hashlib.sha256(repr((self.seed, *key)).encode()).digest()
        with self._lock:
            if self._faker is None:
                # Faker costs ~0.3 s to import and build: pay it on first use,
                # not at start-up.
                from faker import Faker

                self._faker = Faker(self._locale)
            self._faker.seed_instance(int.from_bytes(digest[:8], "big"))
            yield self._faker
