"""What the provider-neutral tests (tests/core) need from each provider: a
valid call of every operation of its document, after preparing the state
that call needs. A new provider adds a Harness in its own test folder and a
line in tests/conftest.py; the generic tests then cover it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from sandbox.core.provider import Provider

# A 1x1 PNG: the smallest image an upload check accepts
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict | None = None
    query: dict | None = None
    headers: dict = field(default_factory=dict)
    #: the status a valid call answers when the provider has switched the
    #: operation off (it still answers, in its envelope); None: a 2xx
    refused: int | None = None

    def succeeded(self, response) -> bool:
        if self.refused is not None:
            return response.status_code == self.refused
        return 200 <= response.status_code < 300

    def send(self, client, *, body=None, query=None, **kwargs):
        return client.open(self.path, method=self.method.upper(), json=self.body if body is None else body,
                           query_string=self.query if query is None else query, headers=self.headers, **kwargs)


class Harness(ABC):
    provider: Provider

    @abstractmethod
    def calls(self, client) -> dict[tuple[str, str], Call]:
        """A valid call of every operation, keyed by (method, path as the document names it)."""

    @abstractmethod
    def credentials(self, client, method: str, path: str) -> dict[str, str]:
        """The headers a caller of the default scenario sends to this
        operation (method, path as the document names it), obtained the way
        a partner would (logging in where the provider wants a login)."""


def stored_records(sandbox) -> int:
    """How many records the whole store holds (to check nothing was stored)."""
    return sandbox.store.count()
