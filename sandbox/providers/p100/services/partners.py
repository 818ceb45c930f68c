"""P100's partners: who calls. A partner is known by one of the scenario's
API keys, and that key is its tenant: every other service takes it first."""

from __future__ import annotations

from typing import NewType

#: a partner calling P100: its API key, which is also the tenant of its users and ledger
Partner = NewType("Partner", str)


class Partners:
    def __init__(self) -> None:
        self.keys: frozenset[str] = frozenset()

    def load(self, api_keys) -> None:
        """The scenario's API keys (replacing any before)."""
        self.keys = frozenset(api_keys)

    def of(self, api_key: str | None) -> Partner | None:
        """The partner behind an API key, if the key is one of the scenario's."""
        return Partner(api_key) if api_key in self.keys else None

    def all(self) -> list[Partner]:
        """Every partner, in a stable order."""
        return [Partner(key) for key in sorted(self.keys)]
