"""The contract between the sandbox core and one provider's package.

Adding a provider means one package that defines a Provider subclass and one
line in sandbox/providers/__init__.py."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response
from marshmallow import Schema
from werkzeug.exceptions import HTTPException

if TYPE_CHECKING:
    from sandbox.config import Config
    from sandbox.core.clock import Clock
    from sandbox.core.fakes import Fakes
    from sandbox.core.openapi import ApiDocument
    from sandbox.core.store import Store


class ProviderError(Exception):
    """An error that a provider answers in its own envelope."""

    def to_response(self) -> Response:
        raise NotImplementedError


@dataclass
class Context:
    """What a provider's runtime is given: shared services, no Flask."""

    config: Config
    store: Store
    clock: Clock
    fakes: Fakes


class Provider(ABC):
    name: str
    #: (blueprint, url_prefix) pairs; errors under any of these prefixes are
    #: answered in this provider's envelope.
    mounts: tuple[tuple[Blueprint, str], ...]
    api_doc: ApiDocument
    #: validates this provider's section of a scenario file
    scenario_schema: type[Schema]

    def owns(self, path: str) -> bool:
        return any(path == prefix or path.startswith(prefix + "/") for _, prefix in self.mounts)

    @abstractmethod
    def bind(self, context: Context) -> Any:
        """Create this provider's runtime (its service) over the shared store."""

    @abstractmethod
    def load_scenario(self, runtime: Any, section: dict) -> None:
        """Seed the store from this provider's (validated) scenario section."""

    @abstractmethod
    def credentials(self, section: dict) -> list[str]:
        """Human-readable credential lines for the start-up banner."""

    @abstractmethod
    def http_error(self, exc: HTTPException) -> Response:
        """Answer a routing/transport error (404, 405, 413, 415, bad JSON)."""

    @abstractmethod
    def unexpected_error(self) -> Response:
        """Answer a sandbox bug (500) in the provider's envelope."""
